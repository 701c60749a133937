"""One ``harvestgraph`` command, measured as a user runs it: wall time, CPU seconds (user + system, the
command and its worker processes), peak memory (PSS summed over the process tree, see
:class:`~benchmarks.common.PeakRSS`) and the load average before and after (the machine is shared).

    python -m benchmarks.ingest.bench_cli ingest DATA --store STORE --registry examples/actors.yaml --no-warnings
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.common import ROOT, PeakRSS, child_env, emit


def _children_cpu() -> float:
    """CPU seconds of the finished children (the command and the workers it waited for), not this
    process's: its memory sampler reads /proc/*/smaps, which costs a few % of a core."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(args: list[str]) -> dict:
    cmd = [sys.executable, "-c", "from harvestgraph.api.cli import main; main()", *args]
    load0 = os.getloadavg()
    cpu0, t0 = _children_cpu(), time.perf_counter()
    with PeakRSS(interval=1.0) as peak:
        done = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    return {"command": "harvestgraph " + " ".join(args), "returncode": done.returncode, "seconds": round(wall, 2),
            "cpu_seconds": round(cpu, 2), "peak_rss_mb": round(peak.peak_mb), "load_before": load0,
            "load_after": os.getloadavg(), "output_tail": (done.stdout + done.stderr)[-600:]}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    emit(measure(sys.argv[1:]))
