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
        # a long keep-alive: a client reusing a connection the server is just closing gets a spurious error
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=300))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ThreadServer":
        self.thread.start()
        deadline = time.monotonic() + 60  # a start, not a speed check: generous under load
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
    r = cli("users", "add", "ana", "--role", "confidential", "--users-file", str(path))  # the real command line
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert token.startswith(auth.TOKEN_PREFIX) and len(token) >= 40 and token not in r.stderr
    tokens = {"confidential": token, **{role: auth.add_user(path, f"u-{role}", role) for role in ("reader", "admin")}}
    text = path.read_text()
    assert [u["role"] for u in json.loads(text)["users"]] == ["confidential", "reader", "admin"]
    for t in tokens.values():
        assert t not in text and auth.token_digest(t) in text  # never stored in clear
    assert len(set(tokens.values())) == len(tokens)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listing = cli("users", "list", "--users-file", str(path))
    assert listing.returncode == 0 and "ana" in listing.stdout and "u-admin" in listing.stdout
    assert not any(t in listing.stdout + listing.stderr for t in tokens.values())


def test_cli_refuses_bad_role_and_unknown_user(users):
    path, _ = users
    before = path.read_bytes()
    for args in (("add", "x", "--role", "boss"), ("remove", "nobody")):
        r = cli("users", *args, "--users-file", str(path))
        assert r.returncode == 1 and "error:" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    for name, role in (("u-reader", "reader"), ("bad name!", "reader"), ("", "admin")):
        with pytest.raises(HarvestError):
            auth.add_user(path, name, role)
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


# --------------------------------------------------------------------------- the real app's security defaults


@pytest.fixture(scope="module")
def app_server(corpus_store):
    from harvestgraph.api.app import create_app

    app = create_app(corpus_store)
    with ThreadServer(app) as srv:
        yield srv


def public_outcome(store) -> str:
    from harvestgraph.vocab import HG as HGNS

    graphs = store.visible_graphs(confidential=False)
    row = store.select(f"SELECT ?o WHERE {{ ?o a <{HGNS.Outcome}> }} LIMIT 1", graphs=graphs)[0]
    return row["o"].value


def test_html_pages_carry_a_strict_content_security_policy(app_server, corpus_store):
    from harvestgraph.vocab import ID

    path = "/id/" + public_outcome(corpus_store)[len(str(ID)):]
    for url in (path, "/network"):
        r = httpx.get(app_server.url + url, headers={"Accept": "text/html"}, timeout=60)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (url, r.status_code)
        csp = r.headers["content-security-policy"]
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        script = directives.get("script-src", directives.get("default-src", ""))
        assert script and "'unsafe-inline'" not in script and "*" not in script and "http" not in script, csp
        assert "object-src 'none'" in csp or "'none'" in directives.get("default-src", ""), csp
        assert r.headers["x-content-type-options"] == "nosniff"
        # inline scripts only with the policy's nonce, never third-party script sources
        for tag in re_findall(r"(<script\b[^>]*>).*?</script\s*>", r.text):  # script elements, not their text
            assert "src=\"http" not in tag and "src='http" not in tag, tag
            if re_search(r"type=\"(application/(?:ld\+)?json)\"", tag):
                continue  # a data block: never executed
            if "src=" not in tag:
                nonce = re_search(r"nonce=\"([^\"]+)\"", tag)
                assert nonce and f"'nonce-{nonce}'" in script, (url, tag)


def re_findall(pattern: str, text: str) -> list[str]:
    import re

    return re.findall(pattern, text, re.I | re.S)


def re_search(pattern: str, text: str) -> str | None:
    import re

    m = re.search(pattern, text)
    return m.group(1) if m else None


def test_cors_is_closed_by_default(app_server):
    origin = {"Origin": "http://evil.example"}
    r = httpx.get(app_server.url + "/outcomes", headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = httpx.options(app_server.url + "/sparql", headers={**origin, "Access-Control-Request-Method": "POST",
                                                             "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in pre.headers


def test_serve_binds_to_localhost_by_default():
    import typer.main

    from harvestgraph.api.cli import app

    serve = typer.main.get_command(app).commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_request_log_contains_no_token(corpus_store_path, tmp_path):
    """Run the server as its own process with uvicorn's access log on, and read what it logged."""
    import shutil

    store = tmp_path / "store"
    shutil.copytree(corpus_store_path, store)
    users = tmp_path / "users.json"
    token = auth.add_user(users, "logtest", "confidential")
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "HARVESTGRAPH_USERS": str(users)}
    with log.open("w") as out:
        proc = subprocess.Popen([HG, "serve", "--store", str(store), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/openapi.json", timeout=2)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            h = {"Authorization": f"Bearer {token}"}
            assert httpx.get(url + "/outcomes?limit=1", headers=h).status_code == 200
            assert httpx.get(url + "/outcomes?limit=1", headers={"Authorization": f"Bearer {token}x"}).status_code == 401
            assert httpx.post(url + "/sparql", data={"query": "ASK {}"}, headers=h).status_code == 200
        finally:
            proc.terminate()
            proc.wait(30)
    text = log.read_text()
    assert "/outcomes" in text, f"the access log is on and names the path: {text[-500:]}"
    assert token not in text and token[len(auth.TOKEN_PREFIX):][:12] not in text
    assert "Bearer" not in text and auth.token_digest(token) not in text
