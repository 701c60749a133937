"""The resident pool's path of an ingest (``watch``, ``serve --watch``): CPU of the caller and of the mapping
processes, apart, for a batch mapped by the pool and written in memory, and for a big batch streamed.

    python -m benchmarks.ingest.bench_pool SMALL BIG SCRATCH [REGISTRY]

``SMALL`` (e.g. 200 new fragments) is ingested into a fresh store (the in-memory path: ``write_batch``),
``BIG`` (e.g. the 2k corpus) into another (the streamed path: ``write_streaming``), both with one
:class:`MappingPool` of 2 processes started before (its start is not counted). ``caller`` is this process
(reading, normalising, keys, what it does with the pool's results, the write and the loader's threads),
``pool`` the mapping processes (resolve, map, print). Stores are made under ``SCRATCH`` (emptied first).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from benchmarks.common import calibrate, emit, own_cpu_seconds, tree_cpu_seconds


def run(small: str, big: str, scratch: str, registry: str | None = None) -> dict:
    from harvestgraph import config
    from harvestgraph.ingest import ingest
    from harvestgraph.ingest.pool import MappingPool
    from harvestgraph.store import EmbeddedStore

    work = Path(scratch)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    reg = Path(registry) if registry else None
    resolver = config.make_resolver(reg)
    warm = getattr(resolver, "warm", None)
    if warm is not None:
        warm()
    pool = MappingPool(config.make_resolver, reg, 2)
    out: dict = {"load_average": [round(os.getloadavg()[0], 2)]}
    try:
        for name, data in (("small", small), ("big", big)):
            st = EmbeddedStore(work / name)
            st.ensure_static()
            tree0, own0, t0 = tree_cpu_seconds(), own_cpu_seconds(), time.perf_counter()
            report = ingest([Path(data)], st, resolver, pool=pool)
            seconds = time.perf_counter() - t0
            tree, own = tree_cpu_seconds() - tree0, own_cpu_seconds() - own0
            st.close()
            out[name] = {"fragments": report.fragments, "quads_written": report.quads_written, "pool_mapped": pool.mapped,
                         "seconds": round(seconds, 2), "cpu_caller": round(own, 2), "cpu_pool": round(tree - own, 2)}
    finally:
        pool.close()
    out["load_average"].append(round(os.getloadavg()[0], 2))
    out["calibration"] = calibrate()
    return out


if __name__ == "__main__":
    emit(run(*sys.argv[1:]))
