"""One fragment written as a user keeps it ("**Field**: value" lines in a file) and resolved as ingest reads it: the
helper the extraction tests share to state a mechanism on sentences written for it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from harvestgraph.actors import ActorResolver
from harvestgraph.ingest import read_batch
from harvestgraph.normalise import normalise


def resolve_fields(fields: dict[str, str], resolver: ActorResolver | None = None, fid: str = "XYZ-ABC2501/GEN001"):
    """The resolution of one fragment with these fields ("Country", "Outcome description", ...; empty ones left out),
    by ``resolver`` (default: ``ActorResolver()``)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fragment.md"
        path.write_text(f"**FragmentID**: {fid}\n" + "".join(f"**{k}**: {v}\n" for k, v in fields.items() if v),
                        encoding="utf-8")
        raws, _ = read_batch([path])
        return (resolver or ActorResolver()).resolve(normalise(raws[0]))


def changed_names(country: str, description: str) -> list[str]:
    """The names of the actors that changed in a fragment with this country and outcome description, sorted."""
    res = resolve_fields({"Country": country, "Outcome description": description})
    return sorted(a.actor.name for a in res.actors if a.role == "changed")
