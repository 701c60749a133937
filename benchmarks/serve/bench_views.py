"""Network-view benchmark: the anonymous reader's whole contribution network, as the CLI's ``view`` and
the API's ``/network`` build it (``analyse()`` then ``render_html()``, the public functions of
graph/network/analyse.py and graph/network/view.py), timed step by step in a fresh process.

    python -m benchmarks.serve.bench_views STORE

Reported: the reader's graph list (``visible_graphs``), ``analyse`` (the network queries and the
networkx measures), ``render_html`` (layout, vis.js payload and page), node and edge counts, HTML size.
"""

from __future__ import annotations

import sys

from benchmarks.common import Timer, emit, peak_rss_mb


def main(store: str) -> dict:
    from harvestgraph.network.analyse import analyse
    from harvestgraph.store import EmbeddedStore
    from harvestgraph.network.view import render_html

    st = EmbeddedStore(store, read_only=True)
    with Timer() as t_graphs:
        graphs = st.visible_graphs(confidential=False)
    with Timer() as t_an:
        a = analyse(st, graphs=graphs)
    with Timer() as t_html:
        page = render_html(a)
    return {"outcomes": len(a.data.outcomes), "nodes": a.graph.number_of_nodes(),
            "edges": a.graph.number_of_edges(), "visible_graphs_seconds": t_graphs.seconds,
            "analyse_seconds": t_an.seconds, "render_seconds": t_html.seconds,
            "total_seconds": t_graphs.seconds + t_an.seconds + t_html.seconds,
            "html_mb": len(page.encode()) / 2**20, "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    emit(main(sys.argv[1]))
