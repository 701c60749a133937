"""``harvestgraph serve``: the web application (SPARQL endpoint, REST API, linked-data pages) under uvicorn.

The embedded Oxigraph store is locked by the process that opens it for writing, and ``serve`` opens it
normally (not read-only) so that it always sees its own, current data. So: stop the server before running
``harvestgraph ingest`` on the same folder, or put the data in a SPARQL server (Oxigraph server, Fuseki,
...) and give both commands ``--store http://...``: then ingest and serve run side by side.
"""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""

    @app.command()
    def serve(store: Optional[str] = typer.Option(None, "--store", "-s", help="Store folder (embedded Oxigraph) or "
                                                  "http(s) URL of a SPARQL 1.1 endpoint. Default: $HARVESTGRAPH_STORE "
                                                  "or data/store. An embedded store is locked while served: stop the "
                                                  "server before ingesting into it, or use a remote store."),
              host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (default: this machine only)."),
              port: int = typer.Option(8000, "--port", "-p", help="TCP port."),
              timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before a 503."),
              cap: int = typer.Option(10000, "--cap", help="Most rows (or triples) a query may return."),
              cors: list[str] = typer.Option([], "--cors", help="Allow this browser origin to read answers "
                                             "(repeatable). Default: none (CORS closed)."),
              users: Optional[str] = typer.Option(None, "--users", help="Users file of `harvestgraph users add` "
                                                  "(hashed tokens). Default: $HARVESTGRAPH_USERS or data/users.json.")) -> None:
        """Serve the SPARQL 1.1 endpoint (/sparql), the REST API and the entity pages (/id/...)."""
        import uvicorn

        from harvestgraph import config
        from harvestgraph.api.app import create_app

        location = store or config.default_store()
        web = create_app(location, query_timeout=timeout, result_cap=cap, cors_origins=list(cors) or None)
        if users:
            web.state.users_path = users
        typer.echo(f"serving {location} on http://{host}:{port}/ (SPARQL: /sparql, API: /openapi.json)")
        uvicorn.run(web, host=host, port=port, log_level="info", server_header=False)
