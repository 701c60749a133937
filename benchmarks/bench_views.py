"""Network-view benchmark: build the contribution network from a store (queries + networkx measures)
and render the self-contained HTML page; time of each step, node count and HTML size.

    python -m benchmarks.bench_views STORE
"""

from __future__ import annotations

import sys

from benchmarks.common import Timer, emit, peak_rss_mb


def main(store: str) -> dict:
    from harvestgraph.analyse import analyse
    from harvestgraph.store import EmbeddedStore
    from harvestgraph.view import render_html

    st = EmbeddedStore(store, read_only=True)
    with Timer() as t_an:
        a = analyse(st, graphs=None)
    with Timer() as t_html:
        page = render_html(a)
    return {"nodes": a.graph.number_of_nodes(), "edges": a.graph.number_of_edges(),
            "analyse_seconds": t_an.seconds, "render_seconds": t_html.seconds,
            "html_mb": len(page.encode()) / 2**20, "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    emit(main(sys.argv[1]))
