"""Two stores compared quad for quad (``python -m benchmarks.ingest.store_diff A B``): the quads only in one of them,
with the record keys cut from the hash literals (they digest the pipeline's code: any code edit changes
them) and the bundled ontology's blank nodes left out (their labels differ from store to store)."""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox

_HASH = "https://w3id.org/harvestgraph/ontology#contentHash"


def lines(path: str) -> set[str]:
    store = ox.Store.read_only(path)
    out = set()
    for q in store:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            continue
        if q.predicate.value == _HASH:
            q = ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value.split(" ")[0]), q.graph_name)
        out.add(str(q))
    return out


if __name__ == "__main__":
    a, b = lines(sys.argv[1]), lines(sys.argv[2])
    print(json.dumps({"a": len(a), "b": len(b), "only_a": len(a - b), "only_b": len(b - a),
                      "examples": sorted(a ^ b)[:5]}))
