"""Who is reading: API tokens, the users file, and the FastAPI dependency every route uses to decide
what a request may see.

The data are about human-rights defenders under attack, so the rules are strict and simple:

* no ``Authorization`` header → the anonymous reader (public fragments only);
* ``Authorization: Bearer <token>`` with a known token → that user's role;
* any other ``Authorization`` header (unknown token, another scheme, garbage) → **401**, never a silent
  downgrade to anonymous: a client that believes it is authenticated must learn that it is not;
* no header but the sign-in cookie (:data:`COOKIE`, set by the ``/signin`` page for a browser, which cannot
  send a header of its own) → the same token, honoured exactly like the header; a cookie whose token is no
  longer valid is a 401 too (the page says so and offers to sign out). The header wins over the cookie.
  The cookie is ``HttpOnly`` (no script reads it) and ``SameSite=Strict`` (no other site's page or form
  sends it: a cross-site request is an anonymous one), so it adds no cross-site request forgery surface.

Tokens are random (``secrets.token_urlsafe(32)``: 256 bits), shown once when created and stored only
as a SHA-256 digest (a salted slow hash buys nothing for a token of that entropy). Every stored digest
is compared with :func:`hmac.compare_digest`, so the time taken says nothing about which user (if any)
nearly matched. Tokens are never logged: nothing here prints them, and uvicorn's access log does not
record request headers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from harvestgraph.errors import HarvestError

ROLES = ("reader", "confidential", "admin")
COOKIE = "hg_token"  # the browser sign-in (api/pages/signin.py)
TOKEN_PREFIX = "hg_"  # makes a leaked token recognisable to secret scanners
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class Reader:
    name: str
    role: str  # anonymous | reader | confidential | admin

    @property
    def can_see_confidential(self) -> bool:
        return self.role in ("confidential", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


ANONYMOUS = Reader("anonymous", "anonymous")


@dataclass(frozen=True)
class User:
    """One line of the users file: a name, a role and the SHA-256 of the token (never the token)."""

    name: str
    role: str
    token_sha256: str
    created: str


# --------------------------------------------------------------------------- the users file


def users_path(explicit: str | Path | None = None) -> Path:
    """The users file: an explicit path, else ``$HARVESTGRAPH_USERS``, else ``data/users.json``."""
    return Path(explicit or os.environ.get("HARVESTGRAPH_USERS") or "data/users.json")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load_users(path: Path) -> list[User]:
    """Every user in the file; a missing file is no users. A damaged file is an error, not 'no users'."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HarvestError(f"cannot read the users file: {exc.strerror or exc}", file=str(path)) from None
    try:
        data = json.loads(text)
        users = [User(**u) for u in data["users"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise HarvestError(f"the users file is damaged ({exc.__class__.__name__}: {exc})", file=str(path)) from None
    for u in users:
        if u.role not in ROLES:
            raise HarvestError(f"user {u.name!r} has unknown role {u.role!r}", file=str(path), field="role")
    return users


def save_users(path: Path, users: list[User]) -> None:
    """Write atomically (temp file + rename) and readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"users": [asdict(u) for u in users]}, fh, indent=2)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_user(path: Path, name: str, role: str) -> str:
    """Create a user and return the new token (the only time it is ever available)."""
    if not _NAME.match(name):
        raise HarvestError(f"bad user name {name!r}: letters, digits and . _ @ - (at most 64)", field="NAME")
    if role not in ROLES:
        raise HarvestError(f"unknown role {role!r}: use {', '.join(ROLES)}", field="--role")
    users = load_users(path)
    if any(u.name == name for u in users):
        raise HarvestError(f"user {name!r} exists; remove it first to issue a new token", file=str(path), field="NAME")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    save_users(path, [*users, User(name, role, token_digest(token), now)])
    return token


def remove_user(path: Path, name: str) -> None:
    users = load_users(path)
    keep = [u for u in users if u.name != name]
    if len(keep) == len(users):
        raise HarvestError(f"no user {name!r}", file=str(path), field="NAME")
    save_users(path, keep)


def authenticate(users: list[User], token: str) -> Reader | None:
    """The reader a token belongs to, or None. Compares against EVERY user in constant time per digest."""
    digest = token_digest(token)
    found: User | None = None
    for u in users:
        if hmac.compare_digest(u.token_sha256, digest):
            found = u
    return Reader(found.name, found.role) if found else None


_cache: dict[Path, tuple[tuple[int, int], list[User]]] = {}


def _users_cached(path: Path) -> list[User]:
    """The users file, re-read only when it changes (size or mtime), so removal takes effect at once."""
    try:
        st = path.stat()
        key = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return []
    hit = _cache.get(path)
    if hit is None or hit[0] != key:
        hit = _cache[path] = (key, load_users(path))
    return hit[1]


# --------------------------------------------------------------------------- FastAPI


bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="An API token from `harvestgraph users add NAME --role reader|confidential|admin`. "
                                "Without one you read public data only.")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


async def get_reader(request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Reader:
    """FastAPI dependency: the reader of this request (401 for any Authorization header that is not a valid token).
    A coroutine, though it does not await: FastAPI runs a plain function dependency in a thread, and that
    hop was a good part of what a cached answer cost the event loop (py-spy of the 10k API under 32 clients,
    30 Nov 2026). What it does is a header look-up and, for a token, a stat() of the users file."""
    header = request.headers.get("authorization")
    if header is None:
        token = request.cookies.get(COOKIE)
        if not token:
            return ANONYMOUS
        reader = reader_of_token(request, token)
        if reader is None:
            raise HTTPException(status_code=401, detail="your sign-in is no longer valid (the token was removed "
                                                        "or replaced): sign out, then sign in with a current token")
        return reader
    if credentials is None or not credentials.credentials:
        raise _unauthorized("use 'Authorization: Bearer <token>'")
    reader = reader_of_token(request, credentials.credentials)
    if reader is None:
        raise _unauthorized("invalid token")
    return reader


def reader_of_token(request: Request, token: str) -> Reader | None:
    """The reader a token belongs to in the app's users file (503 when that file is damaged)."""
    path = users_path(getattr(request.app.state, "users_path", None))
    try:
        return authenticate(_users_cached(path), token)
    except HarvestError as exc:  # a damaged users file: refuse rather than guess
        raise HTTPException(status_code=503, detail="authentication is unavailable") from exc


async def require_admin(reader: Reader = Security(get_reader)) -> Reader:
    """FastAPI dependency for admin-only routes (e.g. uploads)."""
    if not reader.is_admin:
        raise HTTPException(status_code=403 if reader is not ANONYMOUS else 401, detail="admin role required",
                            headers=None if reader is not ANONYMOUS else {"WWW-Authenticate": "Bearer"})
    return reader
