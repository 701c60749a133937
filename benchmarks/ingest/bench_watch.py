"""The resident ingest (``harvestgraph watch``) on a big store (child process): how soon a saved file is
in the store, once the watcher runs.

    python -m benchmarks.ingest.bench_watch DATA STORE NEW [REGISTRY]

Works on ``STORE`` (a scratch copy: it is written). The watcher watches ``DATA`` (the corpus the store was
built from: its sync finds every fragment stored as it is) and a scratch folder beside the store, into
which NEW's file of fresh fragments is copied ("add": a new harvest saved into the watched folder), then
three of its fragments edited ("edit"). Each figure runs from the moment the file is written to the end of
its ingest, so it includes the wait for the file to settle (one look). The start (model load, sync) is
paid once per watcher, and reported apart. CPU seconds include the mapping processes'.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

from benchmarks.common import PeakRSS, Timer, calibrate, emit, tree_cpu_seconds

INTERVAL = 0.2  # seconds between looks (the CLI's default is 1 s: a save waits 1-2 s more there)


def _until_event(watcher, t0: float) -> dict:
    cpu0 = tree_cpu_seconds()
    while True:
        time.sleep(INTERVAL)
        event = watcher.poll()
        if event is not None and (event.report is not None or event.failed):
            break
    r = event.report
    return {"seconds": time.perf_counter() - t0, "ingest_seconds": event.seconds, "cpu_seconds": tree_cpu_seconds() - cpu0,
            "added": r.added if r else 0, "replaced": r.replaced if r else 0, "unchanged": r.unchanged if r else 0,
            "quads": r.quads_written if r else 0, "failed": len(event.failed)}


def run(data: str, store: str, new: str, registry: str | None = None) -> dict:
    from harvestgraph import config
    from harvestgraph.ingest.watch import Watcher
    from harvestgraph.store import EmbeddedStore

    drop = Path(store).parent / "watched-new"
    shutil.rmtree(drop, ignore_errors=True)
    drop.mkdir(parents=True)
    source = sorted(Path(new).glob("fragments_*.txt"))[0]
    load0 = os.getloadavg()[0]
    with PeakRSS(interval=2.0) as mem:  # (reading smaps of 3 big processes every 0.25 s costs a core)
        cpu0 = tree_cpu_seconds()
        with Timer() as start:
            st = EmbeddedStore(store)
            watcher = Watcher([Path(data), drop], st, config.make_resolver, Path(registry) if registry else None,
                              interval=INTERVAL)
        start_cpu = tree_cpu_seconds() - cpu0
        cpu0 = tree_cpu_seconds()
        with Timer() as sync:
            first = watcher.sync()
        sync_cpu = tree_cpu_seconds() - cpu0
        text = source.read_text()
        target = drop / source.name
        t0 = time.perf_counter()
        target.write_text(text)
        add = _until_event(watcher, t0)
        # three fragments edited: their years moved on (same length, so only the modification time says so)
        edited, n = re.subn(r"(\*\*Year\*\*: )(\d{4})", lambda m: m.group(1) + str(int(m.group(2)) - 1), text, count=3)
        assert n == 3, "the new fragments carry no Year field"
        time.sleep(0.01)  # (a later modification time than the add's, on file systems with coarse clocks)
        t0 = time.perf_counter()
        target.write_text(edited)
        edit = _until_event(watcher, t0)
        st.close()
    shutil.rmtree(drop, ignore_errors=True)
    load = os.getloadavg()[0]
    watcher.close()
    calib = calibrate()  # after the run, in this process (its model is loaded)
    return {"calibration": calib, "load_average": [round(load0, 2), round(load, 2)], "start_seconds": start.seconds, "start_cpu_seconds": start_cpu, "sync_seconds": sync.seconds,
            "sync_cpu_seconds": sync_cpu, "sync_unchanged": first.report.unchanged if first and first.report else 0,
            "sync_mapped": (first.report.added + first.report.replaced) if first and first.report else 0,
            "add": add, "edit": edit, "interval": INTERVAL, "peak_rss_mb": mem.peak_mb}


if __name__ == "__main__":
    emit(run(*sys.argv[1:]))
