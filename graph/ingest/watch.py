"""Watching a harvest: a resident ingest that keeps the language pipeline loaded and ingests each file
seconds after it is saved (``harvestgraph watch``, ``harvestgraph serve --watch``).

Why resident. A one-off ``harvestgraph ingest`` of 200 new fragments into a 10k store spent most of its
8 s starting up: Python and its imports, then the spaCy model (2.4 CPU-s), before parsing anything. A
watcher pays that once; after it, a change costs what the changed fragments cost (the unchanged ones
of a changed file cost a hash and a lookup, :mod:`.scan`).

What it does, each ``interval`` seconds: the files under the watched paths are listed and stat'ed (no
file is read); a file whose size or modification time differs from when it was last ingested, and that
has stayed the same since the previous look (an editor may still be writing it), is ingested. All the
files that settled together are one batch; if that batch fails, each file is tried alone, so one broken
file does not hold back the others. A failed file is reported with its file, line and field and tried
again when it changes; the store is left as it was for it (an ingest is atomic). When the registry file
changes, every file is ingested again with the new registry (every fragment's record key changes).

Where the work runs: the changed fragments of a batch are mapped on every core by resident processes
that loaded the model once (:mod:`.pool`); a handful of fragments is mapped in this process.

What it does not do: a file that disappears is reported, not unstored (its fragments may have moved to
another file; ``harvestgraph remove`` takes fragments out). Polling, not inotify: it works the same on
network drives and shared folders, and listing 10,000 files costs milliseconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BatchError, HarvestError, Problem
from ..read import expand_paths
from ..resolve import Resolver
from ..store import GraphStore
from . import ingest
from .batch import IngestReport
from .pool import MappingPool
from .workers import WORKERS

log = logging.getLogger("harvestgraph.watch")

Stat = tuple[int, int]  # (modification time in ns, size)


@dataclass
class WatchEvent:
    """One look that found something: the files ingested (or that failed), and what happened."""
    at: float  # time.time() when the ingest started
    seconds: float
    files: list[Path]
    report: IngestReport | None = None  # of the files that were ingested (None if none was)
    failed: dict[Path, list[Problem]] = field(default_factory=dict)
    gone: list[Path] = field(default_factory=list)  # files no longer there (their fragments stay)
    registry: bool = False  # the registry changed: everything was ingested again

    @property
    def wrote(self) -> bool:
        r = self.report
        return r is not None and (r.added + r.replaced > 0 or r.quads_written > 0)

    def summary(self) -> str:
        parts: list[str] = []
        if self.registry:
            parts.append("registry changed")
        if (r := self.report) is not None:
            parts.append(f"ingested {r.fragments} fragments from {r.files} file(s): {r.added} added, "
                         f"{r.replaced} replaced, {r.unchanged} unchanged ({r.quads_written} quads written) "
                         f"in {self.seconds:.2f} s")
        if self.failed:
            parts.append(f"{len(self.failed)} file(s) not ingested (store unchanged for them): "
                         + "; ".join(str(p[0]) + (f" (and {len(p) - 1} more)" if len(p) > 1 else "")
                                     for p in self.failed.values()))
        if self.gone:
            parts.append(f"{len(self.gone)} file(s) gone, their fragments stay in the store "
                         f"(`harvestgraph remove` takes fragments out): " + ", ".join(map(str, self.gone)))
        return "; ".join(parts)


def _stat(path: Path) -> Stat | None:
    try:
        s = path.stat()
    except OSError:
        return None
    return s.st_mtime_ns, s.st_size


class Watcher:
    """Ingest what changes under ``paths`` into ``store``. ``make_resolver(registry)`` builds the resolver
    (again when the ``registry`` file changes). Use :meth:`sync` once, then :meth:`poll` repeatedly (or
    :meth:`run` / :meth:`start` to do that every ``interval`` seconds)."""

    def __init__(self, paths: Sequence[Path], store: GraphStore, make_resolver: Callable[[Path | None], Resolver],
                 registry: Path | None = None, *, interval: float = 1.0,
                 on_event: Callable[[WatchEvent], None] | None = None, workers: int = WORKERS):
        self.paths = [Path(p) for p in paths]
        for p in self.paths:
            if not p.exists():
                raise HarvestError("no such file or folder to watch", file=str(p))
        self.store = store
        self.make_resolver = make_resolver
        self.registry = Path(registry) if registry else None
        self.interval = interval
        self.on_event = on_event
        self.workers = workers
        self.resolver = make_resolver(self.registry)
        warm = getattr(self.resolver, "warm", None)
        if warm is not None:  # the language model and the gazetteer, now rather than at the first change
            warm()
        self.pool = self._new_pool()
        self._done: dict[Path, Stat] = {}  # stat of each file when it was last ingested (or failed)
        self._seen: dict[Path, Stat] = {}  # stat at the previous look
        self._registry_stat = _stat(self.registry) if self.registry else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.events: int = 0
        self.last: WatchEvent | None = None  # the last look that stored something
        self.failing: dict[Path, list[Problem]] = {}  # files whose last version could not be ingested

    def _new_pool(self) -> MappingPool | None:
        return MappingPool(self.make_resolver, self.registry, self.workers) if self.workers > 1 else None

    # -- one look

    def _files(self) -> dict[Path, Stat]:
        try:
            files = expand_paths(self.paths)
        except HarvestError:  # a watched file or folder went away: watch what is left
            files = expand_paths([p for p in self.paths if p.exists()])
        return {f: s for f in files if (s := _stat(f)) is not None}

    def sync(self) -> WatchEvent | None:
        """Ingest every file now (what is already stored as it is costs a hash and a lookup)."""
        now = self._files()
        self._seen = dict(now)
        return self._ingest(sorted(now), now, registry=False)

    def poll(self) -> WatchEvent | None:
        """Look once; ingest the files that changed and have settled. None if nothing was ingested."""
        if self.registry is not None and (reg := _stat(self.registry)) != self._registry_stat:
            self._registry_stat = reg
            try:
                self.resolver = self.make_resolver(self.registry)
            except HarvestError as exc:  # a broken registry: keep the old one, say why
                event = WatchEvent(time.time(), 0.0, [self.registry], failed={self.registry: [exc.problem]})
                self.failing[self.registry] = [exc.problem]
                self._emit(event)
                return event
            self.failing.pop(self.registry, None)
            if self.pool is not None:  # its workers hold the old registry
                self.pool.close()
                self.pool = self._new_pool()
            self._done.clear()  # every record key changed: everything again
            now = self._files()
            self._seen = dict(now)
            return self._ingest(sorted(now), now, registry=True)
        now = self._files()
        changed = [f for f, s in now.items() if self._done.get(f) != s and self._seen.get(f) == s]
        gone = sorted(f for f in self._done if f not in now)
        for f in gone:
            del self._done[f]
        self._seen = now
        if not changed and not gone:
            return None
        return self._ingest(sorted(changed), now, gone=gone)

    def _ingest(self, files: list[Path], stats: dict[Path, Stat], *, registry: bool = False,
                gone: list[Path] | None = None) -> WatchEvent | None:
        event = WatchEvent(time.time(), 0.0, files, gone=gone or [], registry=registry)
        if not files and not event.gone:
            return None
        t0 = time.perf_counter()
        if files:
            try:
                event.report = ingest(files, self.store, self.resolver, pool=self.pool)
            except HarvestError as exc:
                if len(files) == 1:
                    event.failed[files[0]] = _problems(exc)
                else:  # one broken file must not hold back the others: each alone
                    self._one_by_one(files, event)
            for f in files:
                self._done[f] = stats[f]
                self.failing.pop(f, None)
            self.failing.update(event.failed)
        for f in event.gone:
            self.failing.pop(f, None)
        event.seconds = time.perf_counter() - t0
        if event.wrote:
            self.last = event
        self._emit(event)
        return event

    def _one_by_one(self, files: list[Path], event: WatchEvent) -> None:
        total = IngestReport()
        for f in files:
            try:
                r = ingest([f], self.store, self.resolver, pool=self.pool)
            except HarvestError as exc:
                event.failed[f] = _problems(exc)
                continue
            total.add(r)
        if total.files:
            event.report = total

    def _emit(self, event: WatchEvent) -> None:
        self.events += 1
        if self.on_event is not None:
            self.on_event(event)

    # -- looking every interval

    def run(self, *, initial: bool = True) -> None:
        """Sync (if ``initial``), then look every ``interval`` seconds until :meth:`stop`."""
        looks = [self.sync] if initial else []
        while not self._stop.is_set():
            for look in looks:
                try:
                    look()
                except Exception:  # noqa: BLE001  (a bug must not end the watch: say it, look again)
                    log.exception("harvestgraph watch: a look at %s failed", ", ".join(map(str, self.paths)))
            if self._stop.wait(self.interval):
                return
            looks = [self.poll]

    def start(self, *, initial: bool = True) -> threading.Thread:
        """:meth:`run` in a daemon thread."""
        self._thread = threading.Thread(target=self.run, kwargs={"initial": initial}, name="harvestgraph-watch",
                                        daemon=True)
        self._thread.start()
        return self._thread

    def request_stop(self) -> None:
        """Ask :meth:`run` to return after the look under way (safe from a signal handler)."""
        self._stop.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop looking; wait for an ingest under way to finish (it is atomic either way); end the
        mapping processes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def _problems(exc: HarvestError) -> list[Problem]:
    return list(exc.problems) if isinstance(exc, BatchError) else [exc.problem]
