"""``serve --watch`` with the list index patched after each saved file (issue 14), as a process on
127.0.0.1, over real HTTP: the lists, the counts and the workbench's data show the new state, a fragment
made confidential disappears from the anonymous reader's lists, counts and network while the confidential
reader still sees it, and the server says it patched (not rebuilt) each scope's index.

The deadlines only bound a failure (see tests/ingest/test_watch.py); how fast it goes is in docs/performance.md.
"""

from __future__ import annotations

import re
import shutil

import httpx

from tests.conftest import EXAMPLES
from tests.network.test_index_patch import FLIPPED, NEW, _new_fragments
from tests.ingest.test_watch import answers, serve_watching, stop_group, wait_for


def test_serve_watch_patches_both_scopes_and_a_flipped_fragment_leaves_the_public_pages(tmp_path, registry_path):
    from harvestgraph.api import auth

    harvest = tmp_path / "harvest"
    shutil.copytree(EXAMPLES / "text", harvest)
    users = tmp_path / "users.json"
    secret = {"Authorization": f"Bearer {auth.add_user(users, 'u-conf', 'confidential')}"}
    proc, url, log = serve_watching(tmp_path, harvest, registry_path, users, "--index-wait", "120")


    def page(path: str, headers: dict | None = None) -> str:
        r = httpx.get(url + path, headers={"Accept": "text/html", **(headers or {})}, timeout=150)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.text

    def facets(headers: dict | None = None) -> dict:
        r = httpx.get(url + "/explore/api/facets", headers=headers or {}, timeout=150)
        assert r.status_code == 200, r.text[:500]
        return r.json()

    def found(q: str, headers: dict | None = None) -> list[str]:
        r = httpx.get(url + "/explore/api/search", params={"q": q, "limit": 50}, headers=headers or {}, timeout=150)
        assert r.status_code == 200, r.text[:500]
        return [n["label"] for n in r.json()]

    def outcomes_count(headers: dict | None = None) -> int:
        return int(re.search(r"<strong>(\d+)</strong> outcomes", page("/", headers)).group(1))

    try:
        wait_for(lambda: answers(proc, url, log), "the server's start", log)
        wait_for(lambda: "watch: ingested" in log(), "the first sync", log)
        wait_for(lambda: FLIPPED in page("/outcomes?limit=200"), "the first sync's fragments listed", log)
        # each scope's index of the first sync's data (whether the start's own build ran first depends on timing)
        def synced() -> set[str]:
            return {scope for scope, gen in re.findall(r"index of the (public|confidential) scope \(generation (\d+)\)", log())
                    if int(gen) > 0}
        wait_for(lambda: synced() == {"public", "confidential"}, "both scopes' index of the first sync's data", log)
        before = {"public": outcomes_count(), "confidential": outcomes_count(secret)}
        assert FLIPPED in page("/outcomes?limit=200") and FLIPPED in found(FLIPPED)
        facets_before = facets()

        # an edit (a year), a public fragment made confidential, a new file with two fragments
        single = harvest / "010_scc_kenya_single.txt"
        single.write_text(single.read_text().replace("**Year **: 2025", "**Year **: 2019"))
        seed = harvest / "000_seed.txt"
        seed.write_text(seed.read_text().replace("**Outcome statements is CONFIDENTIAL**: ",
                                                 "**Outcome statements is CONFIDENTIAL**: YES", 1))
        (harvest / "070_new.txt").write_text(_new_fragments())
        mark = len(log())

        def current() -> bool:
            listed = page("/outcomes?limit=200")
            return all(f in listed for f in NEW) and FLIPPED not in listed
        wait_for(current, "the public list showing the saved files", log)
        wait_for(lambda: all(f in page("/outcomes?limit=200", secret) for f in NEW), "the confidential list", log)

        # the anonymous reader: the flipped fragment is gone from lists, counts, search and the network
        assert outcomes_count() == before["public"] + 2 - 1
        link = "/outcomes/" + FLIPPED.replace("/", "%2F")  # (the search page repeats the text searched for)
        assert link not in page("/search?q=" + FLIPPED.replace("/", "%2F")) and link not in page("/outcomes?limit=200")
        assert FLIPPED not in found(FLIPPED)
        assert facets()["outcomes"] == facets_before["outcomes"] + 2 - 1
        assert all(f in found(f) for f in NEW)
        # the confidential reader still sees it, and the new ones
        assert outcomes_count(secret) == before["confidential"] + 2
        assert FLIPPED in page("/outcomes?limit=200", secret) and FLIPPED in found(FLIPPED, secret)
        assert link in page("/search?q=" + FLIPPED.replace("/", "%2F"), secret)
        assert facets(secret)["outcomes"] == facets_before["outcomes"] + 2 + (before["confidential"]
                                                                             - before["public"])
        # ... and the edited year is in the lists' facets
        assert "2019" in page("/outcomes?year=2019&limit=200")
        assert "SCC-KEN2508/CIV011" in page("/outcomes?year=2019&limit=200")

        # both scopes were patched by the written fragments, not built again
        since = log()[mark:]
        patched = re.findall(r"index of the (public|confidential) scope \(generation \d+\): patch (\d+)", since)
        assert {scope for scope, _ in patched} == {"public", "confidential"}, since
        assert "): build in" not in since
        assert all(int(n) <= 8 for _, n in patched)  # the written fragments only (the corpus holds ~40)
    finally:
        stop_group(proc)
    assert "Traceback" not in log()
