"""Query evaluation that can be stopped: a pool of worker processes, each with the store opened read-only.

Why processes. Oxigraph's evaluation (Rust) cannot be interrupted from Python: a thread that runs a
cartesian product runs until it ends, holding a CPU, however long its client stopped waiting; a parser
stack overflow (5,000 nested groups) is a segmentation fault that takes the whole server with it. A
process can be killed. So every SPARQL evaluation of the web app runs in one of ``size`` worker
processes; the server kills a worker whose job overruns its time budget (SIGKILL: nothing of that query
keeps running) or notices that it died (a crash), starts a replacement, and answers that one request
with a clear error. The server process itself never evaluates a query and stays up.

How a job travels. A job is a picklable :class:`Task` (a module-level function or a ``functools.partial``
of one, with its arguments); the worker runs it against its own read-only store and sends back the
finished :class:`~harvestgraph.api.cache.Body`: the encoded bytes that go on the wire and into the
cache, so the server only copies bytes (no terms cross the boundary).

Writes. ``GraphStore.generation`` of the server's store object moves on at every write made through it.
Each job carries the generation it was asked for; a worker opened at an older one is replaced before it
runs the job (a read-only open sees every write committed before it). ``serve`` holds the embedded store's
RocksDB lock (read-write open), so no other process writes meanwhile and the workers' snapshot stays exact.
With ``serve --read-only`` (no lock: another process may ingest) the generation is unknown (``None``);
the workers are then replaced every ``recycle`` seconds, so they see others' writes that late at most.

Memory. A job's pages stay with its worker after it (Python rarely gives memory back): the network
build of the workbench at 100,000 fragments left its worker at 2.8 GB, and the four workers of a server
at 100k held 9.7 GB of resident memory after the warm-up (2026-11-30). A worker whose resident memory
is above ``max_rss`` after a job is therefore replaced, as after a timeout: the next job pays a fork
and a store open (tens of milliseconds at 10k) instead of the server keeping the peak of its biggest job.

A job is also stopped when its worker grows past ``job_memory`` bytes of resident memory while it runs
(read from /proc every :data:`MEMORY_POLL` seconds; SIGKILL, as at the deadline): an evaluation that
sorts or groups a huge intermediate result can take gigabytes a second, and four such workers would take
the machine (and the server with it) before their time was up. Default: the machine's memory shared by
the workers and the server (:func:`default_job_memory`). On 1 Dec 2026 one warm-up worker of a 20,000-
fragment store was seen at 16.7 GB, three minutes into a job that took 0.5 GB in two later runs.

Workers are forked from a fork server that has already imported the app's modules, so a replacement
is ready in tens of milliseconds (plus opening the store). Each worker also watches itself: it exits if
a job runs far past its budget or if the server process is gone, so a worker never outlives its server.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WORKER_NICE = 10  # a worker gets about a tenth of the CPU weight of the server process (Linux CFS)
GRACE = 0.25  # seconds past the budget before the server kills a worker (the worker's own TimeoutError is cleaner)
SELF_KILL_AFTER = 5.0  # a worker whose job ran this long past its budget exits by itself (the server is gone?)
START_TIMEOUT = 60.0  # seconds for a new worker to open the store and say it is ready
_PRELOAD = ["harvestgraph.api.workers", "harvestgraph.api.sparql", "harvestgraph.api.rest",
            "harvestgraph.api.routes_views", "harvestgraph.store", "harvestgraph.queries",
            "rdflib.plugins.sparql.parser"]  # check_query's grammar: a second to build, once in the fork server
# (not the views' modules: the server would answer later after a start; a worker imports them at its first view)


class WorkerCrashed(Exception):
    """The worker process running a job died (a signal such as SIGSEGV, or an abort)."""


class MemoryExceeded(WorkerCrashed):
    """The worker running a job grew past the server's memory ceiling for one job and was killed."""

    def __init__(self, resident: int, ceiling: int):
        super().__init__(f"{resident >> 20} MiB resident, ceiling {ceiling >> 20} MiB")
        self.resident, self.ceiling = resident, ceiling


class WorkerUnavailable(Exception):
    """No worker could be started (the store could not be opened read-only): a 503, not the query's fault."""


@dataclass(frozen=True)
class Task:
    """One evaluation: ``run(context)`` gives a :class:`Body`. Picklable when ``run`` is (module-level
    function or ``functools.partial`` of one); ``budget``: seconds it may run once started."""

    run: Callable
    budget: float

    def __call__(self, context):
        return self.run(context)


# --------------------------------------------------------------------------- inside a worker process


def _table_files(location: str) -> frozenset[str]:
    """The RocksDB table files of an embedded store's folder (empty for anything else)."""
    try:
        return frozenset(f for f in os.listdir(location) if f.endswith(".sst"))
    except OSError:
        return frozenset()


class WorkerContext:
    """What a job sees in a worker: the store (read-only), the reader's graphs per scope (remembered for
    the worker's life: its snapshot does not change) and the result cap. Same attributes as the app's
    ``Settings`` so that a job runs alike in a thread (tests, embedding programs) and in a worker."""

    def __init__(self, location: str, result_cap: int, query_timeout: float):
        self.location = location
        self.result_cap, self.query_timeout = result_cap, query_timeout
        self.reopened = 0
        self._open()

    def _open(self) -> None:
        """Open the store read-only, note the table files this snapshot reads, and list the reader's graphs
        of both scopes (before "ready": not on the clock of the first query, 0.4 s at 10k)."""
        from harvestgraph.store import open_store

        for attempt in range(5):  # a writer compacting meanwhile may delete a file the open was about to read
            try:
                before = _table_files(self.location)
                self.store = open_store(self.location, read_only=True)
                self._files = before | _table_files(self.location)  # (a compaction meanwhile: both lists)
                break
            except Exception:  # noqa: BLE001
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))
        self._graphs: dict[bool, list[str]] = {}
        for confidential in (False, True):
            self.graphs(confidential)

    def fresh(self) -> None:
        """Before each job: if the writer's compaction deleted a table file this snapshot reads, open the
        store again. A read-only RocksDB instance keeps the file list of its open; the server's own
        read-write open compacts a freshly written store (40 -> 21 files in ~11 s at 20,000 fragments), and a
        snapshot that lost its files either fails ("No such file") or, worse, grew a worker past 16 GB on an
        ordinary query. The new snapshot may be newer than the worker's generation (the pool replaces
        workers at each write anyway); its graphs are listed again from it, never kept from the old one."""
        if self._files and not self._files <= _table_files(self.location):  # (one directory read a job)
            del self.store
            self._open()
            self.reopened += 1

    def graphs(self, confidential: bool) -> list[str]:
        hit = self._graphs.get(confidential)
        if hit is None:
            hit = self._graphs[confidential] = self.store.visible_graphs(confidential=confidential)
        return hit


def _watchdog(state: dict, parent: int) -> None:
    """Exit the worker when its job ran SELF_KILL_AFTER past its budget or when the server died."""
    while True:
        time.sleep(0.5)
        deadline = state.get("deadline")
        if deadline is not None and time.monotonic() > deadline + SELF_KILL_AFTER:
            os._exit(3)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(4)


def _worker_main(conn, location: str, result_cap: int, query_timeout: float, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops its workers
    try:  # on a busy machine the server's event loop, answering from the cache in a millisecond, goes first
        os.setpriority(os.PRIO_PROCESS, 0, WORKER_NICE)
    except (AttributeError, OSError):
        pass
    try:
        context = WorkerContext(location, result_cap, query_timeout)
    except BaseException as exc:  # noqa: BLE001 - reported to the server, which answers with it
        conn.send_bytes(pickle.dumps(("fail", f"{type(exc).__name__}: {exc}")))
        return
    state: dict = {}
    threading.Thread(target=_watchdog, args=(state, parent), daemon=True).start()
    conn.send_bytes(pickle.dumps(("ready", os.getpid())))
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        task: Task = pickle.loads(message)
        state["deadline"] = time.monotonic() + task.budget
        try:
            context.fresh()
            out = ("ok", task(context))
        except TimeoutError:
            out = ("timeout", None)
        except BaseException as exc:  # noqa: BLE001 - the request gets it as a 500; the worker lives on
            out = ("error", exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}"))
        state["deadline"] = None
        del task
        conn.send_bytes(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:  # noqa: BLE001
        return False


# --------------------------------------------------------------------------- in the server


_CONTEXT_LOCK = threading.Lock()
_CONTEXT = None


def _mp_context():
    """The fork server (started once per server process, with the app's modules imported), or spawn where
    there is none. Not plain fork: the server has threads and an open RocksDB."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            try:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(_PRELOAD)
            except ValueError:
                ctx = multiprocessing.get_context("spawn")
            _CONTEXT = ctx
        return _CONTEXT


def _warm_fork_server() -> None:
    ctx = _mp_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        try:
            forkserver.ensure_running()
        except Exception:  # noqa: BLE001 - the first worker will try again and report it
            pass


class _Worker:
    def __init__(self, pool: "WorkerPool", generation: int | None):
        ctx = _mp_context()
        self.conn, child = ctx.Pipe()
        self.generation, self.started = generation, time.monotonic()
        # The slot thread and shutdown() may both retire a worker: its pipe is closed once, under this lock
        # (a second os.close of the same number could close a file someone else has just opened).
        self._kill_lock, self._dead = threading.Lock(), False
        self.process = ctx.Process(target=_worker_main, name="hg-query-worker", daemon=True,
                                   args=(child, pool.location, pool.result_cap, pool.query_timeout, os.getpid()))
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise WorkerUnavailable(f"a query worker did not start within {START_TIMEOUT:g} s")
        try:
            kind, detail = pickle.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            self.kill()
            raise WorkerUnavailable(f"a query worker died while starting ({self.exit_reason()})") from None
        if kind != "ready":
            self.kill()
            raise WorkerUnavailable(f"a query worker could not open the store: {detail}")
        self.pid: int = detail

    def exit_reason(self) -> str:
        self.process.join(1.0)
        code = self.process.exitcode
        if code is None:
            return "still running"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    def kill(self) -> None:
        with self._kill_lock:
            if self._dead:
                return
            self._dead = True
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5.0)
            self.conn.close()


@dataclass
class _Item:
    payload: bytes
    budget: float
    generation: int | None
    on_start: Callable[[], None] | None
    future: concurrent.futures.Future


_COLD = object()
MAX_RSS = 1 << 30  # bytes of resident memory a worker may keep after a job (1 GiB)
MEMORY_POLL = 0.1  # seconds between looks at a busy worker's resident memory (at ~1 GB/s: 0.1 GB past the ceiling)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident(pid: int) -> int:
    """A process's resident memory in bytes (Linux /proc; 0 where it cannot be read: never replaced)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def default_job_memory(workers: int) -> int:
    """Bytes one job's worker may reach: the machine's memory shared by ``workers`` workers and the server,
    at least 2 GiB (a network build at 100,000 fragments peaks at ~3.5 GB: a 24 GB machine with 4 workers
    allows 4.8 GB)."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * _PAGE
    except (ValueError, OSError, AttributeError):
        total = 16 << 30
    return max(2 << 30, total // (workers + 1))


class WorkerPool:
    """``size`` worker processes over the store at ``location``, each fed by a thread of the server that
    waits on its pipe (no Python work while the job runs). Jobs queue in order of arrival."""

    def __init__(self, location: str, size: int, *, result_cap: int, query_timeout: float,
                 recycle: float = 300.0, max_rss: int = MAX_RSS, job_memory: int | None = None):
        self.location, self.size = location, size
        self.result_cap, self.query_timeout, self.recycle = result_cap, query_timeout, recycle
        self.max_rss = max_rss  # bytes: a worker above it after a job is replaced (see the module docstring)
        # bytes: a worker above it while it runs a job is killed (0: no ceiling)
        self.job_memory = default_job_memory(size) if job_memory is None else job_memory
        self.replaced_for_memory = 0
        self.killed_for_memory = 0
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._starting = 0  # workers being started now
        self.killed = 0  # workers killed at their deadline
        self.crashed = 0  # workers that died under a job
        # The fork server imports the app's modules once (seconds on a busy machine): start it now, in the
        # background, rather than at the first query, whose clock would run meanwhile.
        threading.Thread(target=_warm_fork_server, daemon=True).start()

    @property
    def pids(self) -> list[int]:
        """The worker processes now running (for tests and monitoring)."""
        return [w.pid for w in list(self._workers) if w.process.is_alive()]

    def submit_job(self, task: Task, on_start: Callable[[], None] | None = None,
                   generation: int | None = None) -> concurrent.futures.Future:
        """Run ``task`` in a worker; its future gives the Body, or raises TimeoutError (the worker was
        killed at the budget), WorkerCrashed, or what the task raised."""
        if not isinstance(task, Task):
            raise TypeError("a worker process runs only a harvestgraph.api.workers.Task "
                            "(module-level function or functools.partial, picklable)")
        try:
            payload = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a programming error: say which
            raise TypeError(f"a query job must be picklable to run in a worker process "
                            f"(module-level function or functools.partial): {exc}") from None
        self._start_threads()
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put(_Item(payload, task.budget, generation, on_start, future))
        return future

    def start(self, generation: int | None = None) -> None:
        """Start the workers now, in the background (the app does at startup), not at the first query."""
        self._start_threads(generation, warm=True)

    def wait_first(self, timeout: float) -> None:
        """Wait until one worker is ready (or ``timeout``): ``serve`` listens once it can evaluate."""
        deadline = time.monotonic() + timeout
        while not self._workers and time.monotonic() < deadline:
            time.sleep(0.05)

    def startup_wait(self) -> float:
        """Extra seconds a request may wait while workers are being started: the time a fork server
        takes to import the app or a worker to open the store is not the query's fault."""
        if self._starting or len(self.pids) < min(self.size, max(len(self._threads), 1)):
            return START_TIMEOUT  # a worker is being started, or one killed is yet to be replaced
        return 0.0

    def _start_threads(self, generation: int | None = None, warm: bool = False) -> None:
        if len(self._threads) == self.size:
            return
        with self._lock:
            while len(self._threads) < self.size:
                t = threading.Thread(target=self._slot, args=(generation if warm else _COLD,),
                                     name=f"hg-worker-slot-{len(self._threads)}", daemon=True)
                self._threads.append(t)
                t.start()

    def _slot(self, generation) -> None:
        worker: _Worker | None = None
        if generation is not _COLD:
            try:
                worker = self._fresh(None, generation)
            except WorkerUnavailable:
                worker = None  # tried again at the first job, which then gets the error
        while True:
            item = self._queue.get()
            if item is None:
                break
            if not item.future.set_running_or_notify_cancel():
                continue  # nobody waits for it any more
            try:
                worker = self._fresh(worker, item.generation)
                if item.on_start:
                    item.on_start()
                body = self._run(worker, item)
                if (resident := _resident(worker.pid)) > self.max_rss:
                    self._retire(worker)
                    worker = None
                    self.replaced_for_memory += 1
                    logging.getLogger("uvicorn.error").info(
                        "query worker replaced: %d MiB resident after a job (ceiling %d MiB: serve --worker-memory)",
                        resident >> 20, self.max_rss >> 20)
                item.future.set_result(body)
            except BaseException as exc:  # noqa: BLE001 - goes to the request
                if isinstance(exc, (TimeoutError, WorkerCrashed)) and worker is not None:
                    self._retire(worker)
                    worker = None
                item.future.set_exception(exc)
        if worker is not None:
            self._retire(worker)

    def _fresh(self, worker: _Worker | None, generation: int | None) -> _Worker:
        """A live worker whose store snapshot is current for ``generation``."""
        stale = worker is not None and (
            not worker.process.is_alive() or worker.generation != generation
            or (generation is None and time.monotonic() - worker.started > self.recycle))
        if stale:
            self._retire(worker)
            worker = None
        if worker is None:
            with self._lock:
                self._starting += 1
            try:
                worker = _Worker(self, generation)
            finally:
                with self._lock:
                    self._starting -= 1
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        worker.kill()

    def _run(self, worker: _Worker, item: _Item):
        worker.conn.send_bytes(item.payload)
        deadline = time.monotonic() + item.budget + GRACE
        while not worker.conn.poll(max(0.0, min(MEMORY_POLL, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                self.killed += 1
                worker.kill()  # SIGKILL: the evaluation stops now
                raise TimeoutError
            if self.job_memory and (resident := _resident(worker.pid)) > self.job_memory:
                self.killed_for_memory += 1
                worker.kill()
                logging.getLogger("uvicorn.error").warning(
                    "query worker killed: %d MiB resident during a job (ceiling %d MiB: serve --job-memory)",
                    resident >> 20, self.job_memory >> 20)
                raise MemoryExceeded(resident, self.job_memory)
        try:
            kind, value = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            self.crashed += 1
            raise WorkerCrashed(f"the query worker died ({worker.exit_reason()})") from None
        if kind == "ok":
            return value
        if kind == "timeout":
            raise TimeoutError
        raise value

    def shutdown(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for w in list(self._workers):
            self._retire(w)


class ThreadRunner:
    """The same interface over threads, for a store object that cannot be reopened in another process (a
    subclass with its own behaviour, a remote store): used by tests and programs embedding the app.
    A timeout there only stops waiting; ``serve`` always uses :class:`WorkerPool`."""

    def __init__(self, context, size: int, initializer: Callable[[], None] | None = None):
        self.context = context
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=size, thread_name_prefix="sparql",
                                                              initializer=initializer)
        self.pids: list[int] = []

    def startup_wait(self) -> float:
        return 0.0

    def submit_job(self, task: Task, on_start: Callable[[], None] | None = None,
                   generation: int | None = None) -> concurrent.futures.Future:
        def run():
            if on_start:
                on_start()
            return task(self.context)
        return self.executor.submit(run)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
