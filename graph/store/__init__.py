"""RDF stores: the embedded on-disk Oxigraph (default, :mod:`.embedded`) behind an interface
(:mod:`.base`) that a remote SPARQL 1.1 endpoint implements too (:mod:`.remote`, and :mod:`.virtuoso`
for Virtuoso's dialect; :mod:`.guard` checks what a query may be before an engine that widens datasets
runs it). :mod:`.placement` says where each quad of a fragment goes.

Writes are batches: the graphs to drop and the quads to add are applied in ONE transaction, so a batch
is all or nothing (also under SIGKILL: Oxigraph commits through RocksDB's write-ahead log). Queries can
be confined to a list of graphs (the union becomes the default graph and the only named graphs), which
is how confidential fragments are kept from readers who may not see them.
"""

from __future__ import annotations

from pathlib import Path

from .base import (LOOKUP_CHUNK, MODEL_VERSION, PUBLIC_STATIC_GRAPHS, STATIC_GRAPHS, BlobReader,
                   GraphList, GraphStore, QueryResult, Solutions, Triples, is_select, mentions_graph, model_quad, sendable)
from .embedded import EmbeddedStore
from .placement import (EVERYTHING, UNION_GRAPHS, fragment_nquads, line_placement, nquads_text, own_resources, placement,
                        update_text, with_unions)

__all__ = ["EVERYTHING", "LOOKUP_CHUNK", "MODEL_VERSION", "PUBLIC_STATIC_GRAPHS", "STATIC_GRAPHS", "UNION_GRAPHS",
           "BlobReader", "EmbeddedStore", "GraphList", "GraphStore", "QueryResult", "Solutions", "Triples", "fragment_nquads",
           "line_placement", "mentions_graph", "model_quad", "nquads_text", "open_store", "own_resources",
           "is_select", "placement", "sendable", "update_text", "with_unions"]


def open_store(location: str | Path, *, read_only: bool = False) -> GraphStore:
    """An embedded store for a folder path, a remote one for an http(s) URL."""
    loc = str(location)
    if loc.startswith(("http://", "https://", "virtuoso+http://", "virtuoso+https://")):
        from .remote import open_remote

        return open_remote(loc)
    return EmbeddedStore(loc, read_only=read_only)
