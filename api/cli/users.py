"""``harvestgraph users add|list|remove``: API tokens for the server.

``users add`` prints the new token ALONE on stdout (so ``TOKEN=$(harvestgraph users add ana --role
reader)`` works) and a note on stderr; the token is shown this once and stored only as a digest.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

UsersOpt = typer.Option(None, "--users-file", "-u",
                        help="Users file (JSON). Default: $HARVESTGRAPH_USERS or data/users.json.")


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    users_app = typer.Typer(help="API users and their tokens (the server reads the same users file).",
                            no_args_is_help=True)
    app.add_typer(users_app, name="users")
    err = Console(stderr=True)

    @users_app.command("add")
    def add(name: str = typer.Argument(..., help="User name"),
            role: str = typer.Option("reader", "--role", help="reader | confidential | admin"),
            users_file: Optional[Path] = UsersOpt) -> None:
        """Create a user and print its token (shown once; only its SHA-256 is kept)."""
        from harvestgraph.api import auth  # FastAPI comes with it: only load it for the users commands

        path = auth.users_path(users_file)
        token = auth.add_user(path, name, role)
        sys.stdout.write(token + "\n")
        err.print(f"user {name!r} ({role}) added to {path}. The token above is shown once: keep it safe.",
                  highlight=False)

    @users_app.command("list")
    def list_(users_file: Optional[Path] = UsersOpt) -> None:
        """List the users and their roles (never tokens)."""
        from harvestgraph.api import auth  # FastAPI comes with it: only load it for the users commands

        path = auth.users_path(users_file)
        t = Table(title=str(path), header_style="bold")
        for c in ("name", "role", "created"):
            t.add_column(c)
        for u in auth.load_users(path):
            t.add_row(u.name, u.role, u.created)
        Console().print(t)

    @users_app.command("remove")
    def remove(name: str = typer.Argument(..., help="User name"), users_file: Optional[Path] = UsersOpt) -> None:
        """Remove a user; its token stops working at once (the server re-reads the file when it changes)."""
        from harvestgraph.api import auth  # FastAPI comes with it: only load it for the users commands

        path = auth.users_path(users_file)
        auth.remove_user(path, name)
        err.print(f"user {name!r} removed from {path}", highlight=False)
