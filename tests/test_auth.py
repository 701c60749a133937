"""API tokens: the users file, the `harvestgraph users` commands and the FastAPI dependency, over real HTTP.

The dependency is exercised through a minimal FastAPI app served by uvicorn on 127.0.0.1 (a real socket),
so these tests do not depend on the rest of the API; the real app is covered in test_adversarial.py.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import Depends, FastAPI

from harvestgraph.api import auth
from harvestgraph.errors import HarvestError

HG = str(Path(sys.executable).with_name("harvestgraph"))


class ThreadServer:
    """A uvicorn server for an ASGI app on a free 127.0.0.1 port, in a background thread."""

    def __init__(self, app):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ThreadServer":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()


def whoami_app(users_file: Path) -> FastAPI:
    app = FastAPI()
    app.state.users_path = users_file

    @app.get("/whoami")
    def whoami(reader: auth.Reader = Depends(auth.get_reader)) -> dict:
        return {"name": reader.name, "role": reader.role, "confidential": reader.can_see_confidential}

    @app.get("/admin")
    def admin(reader: auth.Reader = Depends(auth.require_admin)) -> dict:
        return {"name": reader.name}

    return app


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([HG, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def make_users(path: Path) -> dict[str, str]:
    """One user per role in ``path``; returns role → token."""
    return {role: auth.add_user(path, f"u-{role}", role) for role in auth.ROLES}


@pytest.fixture()
def users(tmp_path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "users.json"
    return path, make_users(path)


@pytest.fixture()
def served(users):
    path, tokens = users
    with ThreadServer(whoami_app(path)) as srv:
        yield srv, path, tokens


def test_cli_shows_token_once_and_stores_only_its_digest(tmp_path):
    path = tmp_path / "users.json"
    tokens = {}
    for role in auth.ROLES:  # through the real command line
        r = cli("users", "add", f"u-{role}", "--role", role, "--users-file", str(path))
        assert r.returncode == 0, r.stderr
        tokens[role] = r.stdout.strip()
        assert tokens[role] not in r.stderr  # shown once, on stdout only
    text = path.read_text()
    data = json.loads(text)
    assert [u["role"] for u in data["users"]] == list(auth.ROLES)
    for role, token in tokens.items():
        assert token.startswith(auth.TOKEN_PREFIX) and len(token) >= 40
        assert token not in text  # never stored in clear
        assert auth.token_digest(token) in text
    assert len(set(tokens.values())) == len(tokens)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listing = cli("users", "list", "--users-file", str(path))
    assert listing.returncode == 0 and "u-confidential" in listing.stdout
    assert not any(t in listing.stdout + listing.stderr for t in tokens.values())


def test_cli_refuses_bad_role_duplicate_and_unknown_user(users):
    path, _ = users
    before = path.read_bytes()
    for args in (("add", "x", "--role", "boss"), ("add", "u-reader", "--role", "reader"), ("remove", "nobody"),
                 ("add", "bad name!", "--role", "reader")):
        r = cli("users", *args, "--users-file", str(path))
        assert r.returncode == 1 and "error:" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    assert path.read_bytes() == before


def test_users_file_default_comes_from_environment(tmp_path):
    path = tmp_path / "env-users.json"
    r = cli("users", "add", "envuser", "--role", "reader", env={"HARVESTGRAPH_USERS": str(path)})
    assert r.returncode == 0, r.stderr
    assert [u.name for u in auth.load_users(path)] == ["envuser"]


def test_roles_over_http(served):
    srv, _, tokens = served
    with httpx.Client(base_url=srv.url) as c:
        assert c.get("/whoami").json() == {"name": "anonymous", "role": "anonymous", "confidential": False}
        for role, token in tokens.items():
            body = c.get("/whoami", headers={"Authorization": f"Bearer {token}"}).json()
            assert body == {"name": f"u-{role}", "role": role, "confidential": role in ("confidential", "admin")}


@pytest.mark.parametrize("header", ["Bearer hg_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", "token",
                                    "Bearer {reader}x", "bearer  {reader}  extra"])
def test_bad_credentials_are_401_not_anonymous(served, header):
    srv, _, tokens = served
    r = httpx.get(srv.url + "/whoami", headers={"Authorization": header.format(reader=tokens["reader"])})
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].lower().startswith("bearer")
    assert "anonymous" not in r.text


def test_removed_user_loses_access_at_once(served):
    srv, path, tokens = served
    h = {"Authorization": f"Bearer {tokens['confidential']}"}
    assert httpx.get(srv.url + "/whoami", headers=h).status_code == 200
    r = cli("users", "remove", "u-confidential", "--users-file", str(path))
    assert r.returncode == 0, r.stderr
    assert httpx.get(srv.url + "/whoami", headers=h).status_code == 401
    assert httpx.get(srv.url + "/whoami", headers={"Authorization": f"Bearer {tokens['reader']}"}).status_code == 200


def test_admin_only_route(served):
    srv, _, tokens = served
    assert httpx.get(srv.url + "/admin").status_code == 401
    for role, code in (("reader", 403), ("confidential", 403), ("admin", 200)):
        assert httpx.get(srv.url + "/admin", headers={"Authorization": f"Bearer {tokens[role]}"}).status_code == code


def test_damaged_users_file_refuses_instead_of_guessing(served):
    srv, path, tokens = served
    path.write_text("{not json")
    r = httpx.get(srv.url + "/whoami", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert r.status_code == 503
    with pytest.raises(HarvestError, match="damaged"):
        auth.load_users(path)


def test_every_digest_is_compared_in_constant_time(monkeypatch):
    """No early exit: the time taken must not reveal which stored digest (if any) was close."""
    users = [auth.User(f"u{i}", "reader", auth.token_digest(f"t{i}"), "") for i in range(7)]
    calls = []
    real = auth.hmac.compare_digest

    def counting(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", counting)
    assert auth.authenticate(users, "t0") == auth.Reader("u0", "reader")
    assert len(calls) == len(users)
    calls.clear()
    assert auth.authenticate(users, "nope") is None
    assert len(calls) == len(users)


def test_openapi_documents_the_bearer_scheme(served):
    srv, _, _ = served
    spec = httpx.get(srv.url + "/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes.values())
    assert spec["paths"]["/whoami"]["get"]["security"]
