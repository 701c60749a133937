"""``harvestgraph serve``: the web application (SPARQL endpoint, REST API, linked-data pages) under uvicorn.

The embedded Oxigraph store is locked by the process that opens it for writing, and ``serve`` opens it
normally (not read-only) so that it always sees its own, current data. So: stop the server before running
``harvestgraph ingest`` on the same folder, or put the data in a SPARQL server (Oxigraph server, Fuseki,
...) and give both commands ``--store http://...``: then ingest and serve run side by side.

Answers are cached in memory (``--cache-size``) for as long as they are exact: the server is the store's
only writer, so it knows when the data change. ``--read-only`` serves a folder without locking it (several
servers, or a server beside other readers); it, like a remote store, may change underneath, so nothing is
cached there unless ``--cache-ttl`` accepts answers that many seconds old.

Queries are evaluated in ``--workers`` worker processes, each with the store opened read-only
(:mod:`harvestgraph.api.workers`); a query that overruns ``--timeout`` has its worker killed and replaced,
and a query that crashes its worker gets a 500 while the server stays up. Before a /sparql text reaches
any parser it must pass ``--max-query-bytes``, ``--max-depth`` and ``--max-patterns``; one reader may have
``--per-reader`` evaluations at once (429 beyond).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from harvestgraph.errors import HarvestError

from harvestgraph.api.limits import (DEFAULT_MAX_DEPTH, DEFAULT_MAX_PATTERNS, DEFAULT_MAX_QUERY_BYTES,
                                     DEFAULT_PER_READER)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""

    @app.command()
    def serve(store: Optional[str] = typer.Option(None, "--store", "-s", help="Store folder (embedded Oxigraph) or "
                                                  "http(s) URL of a SPARQL 1.1 endpoint. Default: $HARVESTGRAPH_STORE "
                                                  "or data/store. An embedded store is locked while served: ingest "
                                                  "into it with --watch, or stop the server first, or use a "
                                                  "remote store."),
              host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (default: this machine only)."),
              port: int = typer.Option(8000, "--port", "-p", help="TCP port."),
              timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run: then its worker "
                                            "process is killed and the request gets a 503."),
              view_timeout: float = typer.Option(60.0, "--view-timeout", help="Seconds the network view, the "
                                                 "report or an export may run (an analysis of every visible "
                                                 "outcome; at 10k about 8 s): then the same as --timeout."),
              cap: int = typer.Option(10000, "--cap", help="Most rows (or triples) a query may return."),
              workers: int = typer.Option(4, "--workers", min=1, help="Queries evaluated at once (a worker "
                                          "process each, store opened read-only); cached answers need none."),
              worker_memory: int = typer.Option(1024, "--worker-memory", min=1, help="MiB of resident memory a "
                                                "query worker may keep after a job; above it the worker is "
                                                "replaced (a network build at 100k fragments leaves ~2.8 GB)."),
              job_memory: Optional[int] = typer.Option(None, "--job-memory", min=0, help="MiB of resident memory a "
                                                     "query worker may reach while it runs a job; above it the "
                                                     "worker is killed and the request gets a 503. Default: the "
                                                     "machine's memory shared by the workers and the server "
                                                     "(at least 2048). 0: no ceiling."),
              index_wait: float = typer.Option(60.0, "--index-wait", min=0, help="Seconds a page or request "
                                               "waits for the network and list index while they are built (after "
                                               "start or new data; at 100k fragments minutes): then a 503 "
                                               "'being updated' with Retry-After; a browser's page reloads itself."),
              per_reader: int = typer.Option(DEFAULT_PER_READER, "--per-reader", min=0, help="Evaluations one "
                                             "reader (user, or client address if anonymous) may have at once; "
                                             "429 beyond. 0: no limit."),
              max_query_bytes: int = typer.Option(DEFAULT_MAX_QUERY_BYTES, "--max-query-bytes", min=1,
                                                  help="Longest /sparql query text in bytes (413 beyond)."),
              max_depth: int = typer.Option(DEFAULT_MAX_DEPTH, "--max-depth", min=1, help="Deepest nesting of "
                                            "{ }, ( ) and [ ] in a /sparql query (400 beyond)."),
              max_patterns: int = typer.Option(DEFAULT_MAX_PATTERNS, "--max-patterns", min=1, help="Most triple "
                                               "patterns (an estimate) in a /sparql query (400 beyond)."),
              cache_size: Optional[float] = typer.Option(None, "--cache-size", min=0, help="MiB of answers "
                                                         "kept in memory (0: no cache). Default: 128."),
              cache_ttl: float = typer.Option(0.0, "--cache-ttl", min=0, help="For a remote or --read-only "
                                              "store: cache answers for this many seconds (they may be that "
                                              "old). Default 0: not cached."),
              read_only: bool = typer.Option(False, "--read-only", help="Open the store folder read-only: "
                                             "no lock, nothing written."),
              cors: list[str] = typer.Option([], "--cors", help="Allow this browser origin to read answers "
                                             "(repeatable). Default: none (CORS closed)."),
              warm: bool = typer.Option(True, "--warm/--no-warm", help="At start (and after each --watch "
                                        "ingest that wrote), build the network, the list pages' index and the "
                                        "first page of every named query without parameters, for each reader "
                                        "scope, in the background in one worker (at 10,000 fragments about a "
                                        "minute), so the first visitor does not wait for them."),
              watch: list[Path] = typer.Option([], "--watch", help="Ingest these files or folders at start "
                                                "and again whenever one changes (repeatable): a saved edit is "
                                                "served seconds later, with the language model kept loaded. "
                                                "Errors go to the server's log with file, line and field."),
              registry: Optional[Path] = typer.Option(None, "--registry", "-r", help="Actor registry for "
                                                      "--watch (watched too). Default: $HARVESTGRAPH_REGISTRY, "
                                                      "./actors.yaml or examples/actors.yaml."),
              users: Optional[str] = typer.Option(None, "--users", help="Users file of `harvestgraph users add` "
                                                  "(hashed tokens). Default: $HARVESTGRAPH_USERS or data/users.json.")) -> None:
        """Serve the SPARQL 1.1 endpoint (/sparql), the REST API and the entity pages (/id/...)."""
        import uvicorn

        from harvestgraph import config
        from harvestgraph.api.app import create_app
        from harvestgraph.api.cache import DEFAULT_MAX_BYTES
        from harvestgraph.api.limits import Limits

        location = store or config.default_store()
        if watch:
            if read_only:
                raise HarvestError("--watch needs a store the server may write: drop --read-only", file=location)
            for p in watch:
                if not p.exists():
                    raise HarvestError("no such file or folder to watch", file=str(p))
        cache_bytes = DEFAULT_MAX_BYTES if cache_size is None else int(cache_size * 2**20)
        web = create_app(location, query_timeout=timeout, result_cap=cap, cors_origins=list(cors) or None,
                         workers=workers, worker_memory=worker_memory * 2**20,
                         job_memory=None if job_memory is None else job_memory * 2**20, index_wait=index_wait,
                         read_only=read_only, cache_bytes=cache_bytes, cache_ttl=cache_ttl,
                         limits=Limits(max_query_bytes, max_depth, max_patterns, per_reader), processes=True,
                         view_timeout=view_timeout, warm=warm, watch=list(watch) or None,
                         registry=(registry or config.default_registry()) if watch else None)
        if users:
            web.state.users_path = users
        typer.echo(f"serving {location} on http://{host}:{port}/ (SPARQL: /sparql, API: /openapi.json; "
                   f"{workers} query worker processes, pid {os.getpid()})")
        uvicorn.run(web, host=host, port=port, log_level="info", server_header=False)
