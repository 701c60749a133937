"""The resident ingest (issue 14: "a new harvest in seconds"): ``harvestgraph watch`` and ``serve --watch``.

The Watcher is driven look by look (``poll``) over a real store on disk, so nothing here depends on how
fast the machine is; the two process tests wait for a change with a generous deadline that only bounds a
failure. How fast a change lands is measured in ``benchmarks/ingest/bench_watch.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from harvestgraph import config
from harvestgraph.ingest.watch import Watcher
from harvestgraph.store import EmbeddedStore
from harvestgraph.vocab import outcome_iri

DCT = "http://purl.org/dc/terms/"
HG = "https://w3id.org/harvestgraph/ontology#"
DEADLINE = 120.0  # bounds a failure only


def fragment(fid: str, description: str = "The county assembly adopted a budget policy.", year: int = 2025,
             confidential: bool = False) -> str:
    return (f"**FragmentID**: {fid}\n**Country**: Kenya\n**Year**: {year}\n**Outcome description**: {description}\n"
            f"**Outcome statements is CONFIDENTIAL**: {'YES' if confidential else 'NO'}\n\n---\n\n")


def years(store, fid: str) -> list[str]:
    rows = store.select(f"SELECT DISTINCT ?y WHERE {{ GRAPH ?g {{ <{outcome_iri(fid)}> <{HG}year> ?y }} }}")
    return sorted(r["y"].value for r in rows)


def stored(store, fid: str) -> bool:
    return bool(store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{outcome_iri(fid)}> ?p ?o }} }} LIMIT 1"))


@pytest.fixture()
def harvest(tmp_path):
    folder = tmp_path / "harvest"
    folder.mkdir()
    (folder / "a.md").write_text(fragment("W-KEN/001") + fragment("W-KEN/002"))
    (folder / "b.md").write_text(fragment("W-KEN/003"))
    return folder


@pytest.fixture()
def watched(tmp_path, harvest, registry_path):
    st = EmbeddedStore(tmp_path / "store")
    events = []
    w = Watcher([harvest], st, config.make_resolver, registry_path, on_event=events.append, workers=1)
    first = w.sync()
    assert first.report.added == 3 and not first.failed
    yield w, st, events
    w.close()
    st.close()


def settle(w: Watcher):
    """Two looks: the first sees the change, the second finds it settled and ingests it."""
    assert w.poll() is None  # just written: an editor may still be writing it
    return w.poll()


def test_a_saved_edit_is_ingested_once_it_settles_and_only_then(watched, harvest):
    w, st, events = watched
    assert w.poll() is None  # nothing changed: no ingest at all
    assert years(st, "W-KEN/001") == ["2025"]
    (harvest / "a.md").write_text(fragment("W-KEN/001", year=2019) + fragment("W-KEN/002"))
    event = settle(w)
    assert event.files == [harvest / "a.md"]
    assert (event.report.replaced, event.report.unchanged, event.report.added) == (1, 1, 0)
    assert years(st, "W-KEN/001") == ["2019"]
    assert w.poll() is None  # ingested once
    assert len(events) == 2


def test_a_new_file_is_added_and_office_lock_files_are_ignored(watched, harvest):
    w, st, _ = watched
    (harvest / "c.md").write_text(fragment("W-KEN/004"))
    (harvest / "~$portfolio.xlsx").write_bytes(b"\x00lock owner\x00" * 10)  # Excel beside an open workbook
    event = settle(w)
    assert event.files == [harvest / "c.md"] and not event.failed
    assert event.report.added == 1 and stored(st, "W-KEN/004")


def test_a_broken_file_is_reported_with_line_and_field_and_does_not_hold_back_the_others(watched, harvest):
    w, st, _ = watched
    (harvest / "c.md").write_text(fragment("W-KEN/005"))
    (harvest / "d.md").write_text(fragment("W-KEN/006") + "**FragmentID**: \n**Outcome description**: No id.\n")
    event = settle(w)
    assert set(event.files) == {harvest / "c.md", harvest / "d.md"}
    assert list(event.failed) == [harvest / "d.md"]
    p = event.failed[harvest / "d.md"][0]
    assert (Path(p.file).name, p.line, p.field) == ("d.md", 9, "FragmentID") and "missing FragmentID" in p.message
    assert stored(st, "W-KEN/005")  # the good file went in
    assert not stored(st, "W-KEN/006")  # nothing of the broken file (atomic)
    assert "d.md" in event.summary() and "not ingested" in event.summary()
    assert w.poll() is None  # not retried until it changes
    (harvest / "d.md").write_text(fragment("W-KEN/006"))
    fixed = settle(w)
    assert not fixed.failed and fixed.report.added == 1 and stored(st, "W-KEN/006")


def test_a_gone_file_is_reported_and_its_fragments_stay(watched, harvest):
    w, st, _ = watched
    (harvest / "b.md").unlink()
    event = w.poll()
    assert event.gone == [harvest / "b.md"] and event.report is None
    assert "gone" in event.summary() and "harvestgraph remove" in event.summary()
    assert stored(st, "W-KEN/003")
    assert w.poll() is None  # said once


def test_a_registry_edit_maps_every_fragment_again(tmp_path, harvest, registry_path):
    registry = tmp_path / "actors.yaml"
    registry.write_text(registry_path.read_text())
    (harvest / "b.md").write_text(fragment("W-KEN/003", "The Lakeside Water Board adopted a water tariff policy."))
    st = EmbeddedStore(tmp_path / "store")
    try:
        w = Watcher([harvest], st, config.make_resolver, registry, workers=1)
        w.sync()
        assert w.poll() is None
        with registry.open("a") as f:
            f.write("\n- name: Lakeside Water Board\n  acronym: LWB\n  kind: government\n  country: KE\n")
        event = w.poll()  # the registry is read as soon as it changes
        assert event.registry and not event.failed
        assert event.report.fragments == 3 and event.report.added == 0
        rows = st.select(f'SELECT ?a WHERE {{ GRAPH ?g {{ ?a <{HG}acronym> "LWB" }} }}')
        assert rows, "the new registry entry is in the store"
        registry.write_text("- name: [unclosed\n")  # a broken registry: the old one stays
        broken = w.poll()
        assert list(broken.failed) == [registry] and registry in w.failing  # (the admin's landing page lists it)
        assert w.resolver is not None
    finally:
        st.close()


def dump(store) -> list[str]:
    """Every quad of the store, sorted; blank nodes (the ontology's, loaded per store) as one label."""
    text = store.raw.dump(format=ox.RdfFormat.N_QUADS).decode()
    return sorted(re.sub(r"_:[0-9a-f]+", "_:b", text).splitlines())


@pytest.mark.parametrize("path", ["in memory", "streamed"])
def test_the_resident_mapping_processes_store_what_a_plain_ingest_stores(tmp_path, examples_dir, registry_path,
                                                                         monkeypatch, path):
    """The sample corpus (21 fragments: mapped by the pool's 2 processes) through a watcher, and through
    ``ingest``: the same quads. Then a registry edit: the pool is rebuilt with it, and again the same.
    "streamed": the first batch takes the bulk loader's streaming path (as 1,000 new fragments would), fed
    by the pool in windows of 8 fragments, never by workers forked from the caller."""
    from harvestgraph.ingest import ingest, pipeline, workers, write
    from harvestgraph.ingest.pool import POOL_MIN_FRAGMENTS

    if path == "streamed":
        monkeypatch.setattr(write, "BULK_MIN_FRAGMENTS", 10)
        monkeypatch.setattr(pipeline, "POOL_WINDOW", POOL_MIN_FRAGMENTS)

        def no_fork(*a, **k):
            raise AssertionError("a watcher's batch forked mapping workers")
        monkeypatch.setattr(workers, "map_in_workers", no_fork)

    harvest = tmp_path / "harvest"
    shutil.copytree(examples_dir / "text", harvest)
    registry = tmp_path / "actors.yaml"
    registry.write_text(registry_path.read_text())
    watched, plain = EmbeddedStore(tmp_path / "watched"), EmbeddedStore(tmp_path / "plain")
    w = Watcher([harvest], watched, config.make_resolver, registry, workers=2)
    try:
        assert w.pool is not None

        def read_back(*a, input=None, **k):  # what the pool hands back is written as it is, never parsed
            if input is not None:
                raise AssertionError("the caller read the mapping processes' quads back")
            return parse(*a, **k)
        parse = ox.parse
        monkeypatch.setattr(ox, "parse", read_back)
        first = w.sync()
        assert first.report.added >= POOL_MIN_FRAGMENTS  # big enough to go to the pool
        pooled = first.report.added if path == "in memory" else first.report.added // POOL_MIN_FRAGMENTS * POOL_MIN_FRAGMENTS
        assert w.pool.mapped == pooled  # and mapped there (a last window too small for it: here)
        monkeypatch.undo()  # the plain ingest as it is
        ingest([harvest], plain, config.make_resolver(registry))
        assert dump(watched) == dump(plain)
        old_pool = w.pool
        with registry.open("a") as f:
            f.write("\n- name: Kwale Budget Champions\n  acronym: KBC\n  kind: network\n  country: KE\n")
        event = w.poll()
        assert event.registry and event.report.fragments == first.report.added
        assert w.pool is not old_pool and w.pool.mapped == first.report.added  # its processes held the old registry
        ingest([harvest], plain, config.make_resolver(registry))
        assert dump(watched) == dump(plain)
    finally:
        w.close()
        watched.close()
        plain.close()


def test_a_mapping_process_that_dies_costs_one_batch_its_speed_not_the_watch(tmp_path, examples_dir, registry_path):
    """A mapping process killed (out of memory, an operator's kill): that batch is mapped in the watcher's
    own process and stored all the same; the next batch has a fresh pool."""
    import psutil

    from harvestgraph.ingest.pool import POOL_MIN_FRAGMENTS

    harvest = tmp_path / "harvest"
    shutil.copytree(examples_dir / "text", harvest)
    st = EmbeddedStore(tmp_path / "store")
    w = Watcher([harvest], st, config.make_resolver, registry_path, workers=2)
    try:
        pids = w.pool.pids  # the pool's own processes (other tests may share the fork server)
        assert len(pids) == 2
        for pid in pids:
            psutil.Process(pid).kill()
        first = w.sync()
        assert first.report.added >= POOL_MIN_FRAGMENTS and not first.failed
        assert w.pool.mapped == 0  # mapped here, not by the dead pool
        for f in harvest.iterdir():  # every FragmentID renamed: new fragments, the fresh pool maps them
            # (a line on top of each file no longer does: a fragment shifted to another line has only its
            # provenance rewritten, ingest/provenance.py)
            f.write_text(re.sub(r"(?<=/)([A-Z]{3}\d{3})\b", r"\1B", f.read_text()))
        w.poll()
        event = w.poll()
        assert event.report.added == first.report.added and not event.failed
        assert w.pool.mapped == first.report.added
    finally:
        w.close()
        st.close()


def test_closing_the_pool_leaves_no_process_even_one_that_does_not_answer(registry_path):
    """close() asks the mapping processes to stop, and ends one that does not within its timeout: none
    of them outlives it (a stopped process stands for one stuck in a parse)."""
    import psutil

    from harvestgraph.ingest.pool import MappingPool

    pool = MappingPool(config.make_resolver, registry_path, 2)
    pids = pool.pids
    assert len(pids) == 2 and all(psutil.pid_exists(p) for p in pids)
    os.kill(pids[0], signal.SIGSTOP)  # it cannot read the request to stop
    t0 = time.monotonic()
    pool.close(timeout=1.0)
    assert time.monotonic() - t0 < 15
    for pid in pids:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert pool.pids == []


# --------------------------------------------------------------------------- the processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_watching(tmp_path, harvest, registry_path, users, *options: str):
    """``harvestgraph serve --watch HARVEST`` over tmp_path/store in its own session, on a free port, two
    workers; (process, URL, a function giving its log so far)."""
    url = f"http://127.0.0.1:{free_port()}"
    log_path = tmp_path / "serve.log"
    out = open(log_path, "w+")
    cmd = [sys.executable, "-c", "from harvestgraph.api.cli import main; main()", "serve", "--store",
           str(tmp_path / "store"), "--port", url.rsplit(":", 1)[1], "--users", str(users), "--workers", "2",
           "--watch", str(harvest), "--registry", str(registry_path), *options]
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def log() -> str:
        out.flush()
        return log_path.read_text()
    return proc, url, log


def answers(proc, url: str, log) -> bool:
    """Whether the server answers (a dead server fails with its log)."""
    try:
        return httpx.get(url + "/queries", timeout=5).status_code == 200
    except httpx.HTTPError:
        assert proc.poll() is None, log()
        return False


def stop_group(proc) -> None:
    """Stop a server started in its own session (its workers and fork server with it)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wait_for(check, what: str, log=None):
    deadline = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {DEADLINE} s" + (f":\n{log()}" if log else ""))
        time.sleep(0.2)


def test_cli_watch_ingests_a_new_file_and_stops_on_ctrl_c(tmp_path, harvest, registry_path):
    store = tmp_path / "store"
    out = open(tmp_path / "watch.log", "w+")
    cmd = [sys.executable, "-c", "from harvestgraph.api.cli import main; main()", "watch", str(harvest),
           "--store", str(store), "--registry", str(registry_path), "--interval", "0.2"]
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)

    def log() -> str:
        out.flush()
        return (tmp_path / "watch.log").read_text()
    try:
        wait_for(lambda: "3 added" in log(), "the first sync", log)
        (harvest / "c.md").write_text(fragment("W-KEN/007"))
        wait_for(lambda: "1 added" in log(), "the new file's ingest", log)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            rc = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("harvestgraph watch did not stop on SIGINT:\n" + log()) from None
    assert rc == 0, log()
    assert "Traceback" not in log()
    st = EmbeddedStore(store)  # the lock was let go
    try:
        assert stored(st, "W-KEN/007") and stored(st, "W-KEN/001")
    finally:
        st.close()


def test_serve_watch_serves_a_saved_fragment_and_keeps_a_confidential_one_hidden(tmp_path, harvest, registry_path):
    from harvestgraph.api import auth

    users = tmp_path / "users.json"
    tokens = {role: auth.add_user(users, f"u-{role}", role) for role in ("reader", "confidential", "admin")}
    proc, url, log = serve_watching(tmp_path, harvest, registry_path, users)

    def count(fid: str, token: str | None = None) -> int:
        headers = {"Accept": "application/sparql-results+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{outcome_iri(fid)}> ?p ?o }}"
        r = httpx.get(url + "/sparql", params={"query": q}, headers=headers, timeout=30)
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    try:
        wait_for(lambda: answers(proc, url, log), "the server's start", log)
        wait_for(lambda: count("W-KEN/001") > 0, "the first sync", log)
        (harvest / "new.md").write_text(fragment("W-KEN/010", "The county assembly passed a disability act.")
                                        + fragment("W-KEN/011", "A defender was released after pressure.",
                                                   confidential=True))
        wait_for(lambda: count("W-KEN/010") > 0, "the saved fragment being served", log)
        assert count("W-KEN/011") == 0  # anonymous: never the confidential fragment
        assert count("W-KEN/011", tokens["reader"]) == 0
        assert count("W-KEN/011", tokens["confidential"]) > 0
        r = httpx.get(url + "/outcomes/W-KEN%2F011", headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 404
        assert "watch: ingested 2 fragments" in log()
        # the landing page says when the store last changed; an administrator also sees a broken file
        (harvest / "broken.md").write_text(fragment("W-KEN/012") + "**FragmentID**: \n**Outcome description**: x\n")
        wait_for(lambda: "broken.md" in log(), "the broken file's report", log)
        page = httpx.get(url + "/", headers={"Accept": "text/html"}, timeout=30).text
        assert "last change stored" in page and "broken.md" not in page
        admin = httpx.get(url + "/", headers={"Accept": "text/html", "Authorization": f"Bearer {tokens['admin']}"},
                          timeout=30).text
        assert f"{harvest / 'broken.md'}:9" in admin and "missing FragmentID" in admin
    finally:
        stop_group(proc)
    assert "Traceback" not in log()


def test_printed_lines_are_stored_as_the_same_quads(tmp_path):
    """The mapping processes hand back each quad as printed once by the mapping (``MappedFragment.lines``),
    and the caller writes the lines as they are: what lands in the store, and what reading them back
    gives, is the same terms whatever the literals hold (quotes, backslashes, line breaks, non-ASCII, line
    and paragraph separators, empty strings, language tags, datatypes)."""
    from harvestgraph.ingest.pool import _read_chunk
    from harvestgraph.mapping import MappedFragment

    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    g1, g2 = ox.NamedNode("https://example.org/g/1"), ox.NamedNode("https://example.org/g/2")
    texts = ['say "no" \\ twice', "é\nü\tß\r", "\u2028 \u2029 \x7f", "", "Ḩawlī ʿAbd"]
    first = [ox.Quad(s, p, ox.Literal(t, language="en"), g1) for t in texts]
    second = [ox.Quad(s, p, ox.Literal(t), g2) for t in texts] + [
        ox.Quad(s, p, ox.Literal("0.700", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), g2),
        ox.Quad(s, p, ox.NamedNode("https://example.org/o?q=1#x"), g2)]
    back = _read_chunk([*map(str, first), *map(str, second)], [(g1.value, len(first), "d1"), (g2.value, len(second), "d2")])
    assert [(g, n, d) for g, n, d in back] == [(g1, list(map(str, first)), "d1"), (g2, list(map(str, second)), "d2")]
    assert [MappedFragment(None, g, None, d, lines=lines).quads for g, lines, d in back] == [first, second]
    for bulk in (False, True):  # a transaction and a rebuild, against the same quads written as terms
        stores = EmbeddedStore(tmp_path / f"printed{bulk}"), EmbeddedStore(tmp_path / f"terms{bulk}")
        for st in stores:
            st.bulk_min_quads = 1 if bulk else 10**6
        stores[0].write_printed([], [], [(g.value, lines) for g, lines, _ in back])
        stores[1].write([], [*first, *second])
        printed, terms = ({q for q in st.raw if q.graph_name in (g1, g2)} for st in stores)
        assert len(printed) == len(first) + len(second) and printed == terms  # (decimals stored canonical: 0.7)
        for st in stores:
            st.close()


def test_a_renamed_file_is_not_mapped_again_its_provenance_says_the_new_name(watched, harvest, monkeypatch):
    """A file renamed in the watched folder: its fragments are stored as they are but for hg:sourceFile
    (rewritten in place, ingest/provenance.py); none is resolved or mapped again."""
    from harvestgraph import mapping as mapping_mod
    from harvestgraph.vocab import HG, fragment_iri

    w, st, _ = watched
    mapped: list[str] = []
    real = mapping_mod.map_fragment
    monkeypatch.setattr(mapping_mod, "map_fragment", lambda f, r: mapped.append(f.id) or real(f, r))
    (harvest / "a.md").rename(harvest / "a-2025.md")
    assert w.poll().gone == [harvest / "a.md"]  # said at once; the new name is ingested once settled
    event = w.poll()
    assert event.files == [harvest / "a-2025.md"]
    assert event.report.moved == event.report.unchanged == 2 and event.report.replaced == event.report.added == 0
    assert mapped == [] and (w.pool is None or w.pool.mapped == 0)
    rows = st.select(f"SELECT ?v WHERE {{ GRAPH ?g {{ <{fragment_iri('W-KEN/001')}> <{HG.sourceFile}> ?v }} }}")
    assert [r["v"].value for r in rows] == [str(harvest / "a-2025.md")]
    assert w.poll() is None
