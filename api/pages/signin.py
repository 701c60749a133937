"""Signing a browser in (``/signin``) and out (``/signout``).

A browser cannot send ``Authorization: Bearer <token>`` by itself, so this page takes the reader's token
in a form and keeps it in the cookie :data:`harvestgraph.api.auth.COOKIE`, which
:func:`~harvestgraph.api.auth.get_reader` honours exactly like the header on every surface (pages, REST,
SPARQL, the workbench, views, exports). The cookie is ``HttpOnly`` (no script of any page can read it),
``SameSite=Strict`` (another site's link, form or script never sends it) and ``Secure`` when the request
came over HTTPS; it lasts for the browser session. A wrong token is refused on the page and sets nothing.
Signing out deletes the cookie; it does not need a valid sign-in (a removed token must not lock a
browser out of the public pages).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from harvestgraph.api.auth import ANONYMOUS, COOKIE, reader_of_token
from harvestgraph.api.pages.common import render

router = APIRouter(include_in_schema=False)
MAX_FORM = 4096  # bytes of a sign-in form: a token is 46 characters


def _back(raw: str | None) -> str:
    """Where to go after signing in or out: a path of this site only (never another host)."""
    if not raw:
        return "/"
    u = urlsplit(raw)
    if u.scheme or u.netloc or not u.path.startswith("/") or u.path.startswith("//") or "\\" in raw:
        return "/"
    return u.path + (f"?{u.query}" if u.query else "")


def _form_page(request: Request, status: int = 200, problem: str = "", back: str = "/"):
    return render(request, ANONYMOUS, "pages/signin.html", status=status, title="Sign in", problem=problem,
                  back=back)


@router.get("/signin")
async def signin_page(request: Request, next: str | None = None):
    return _form_page(request, back=_back(next))


def _cross_site(request: Request) -> bool:
    """A form posted from another site's page: refused, so no other site can sign a browser in as someone
    else or out. A browser says where the request comes from in ``Sec-Fetch-Site``; without it, a
    non-"null" ``Origin`` of another host. (Our pages send ``Referrer-Policy: no-referrer``, under which
    Chromium's own same-origin form posts carry ``Origin: null``: that alone proves nothing.)"""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin not in (None, "null") and urlsplit(origin).netloc != request.headers.get("host", "")


@router.post("/signin")
async def signin(request: Request):
    if _cross_site(request):
        return _form_page(request, 403, "This sign-in form was sent from another site: refused.")
    body = await request.body()
    if len(body) > MAX_FORM:
        return _form_page(request, 413, "This form is too large.")
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    token = (form.get("token") or [""])[0].strip()
    back = _back((form.get("next") or ["/"])[0])
    if not token:
        return _form_page(request, 400, "Paste your reader token (it starts with hg_).", back)
    reader = reader_of_token(request, token)
    if reader is None:
        return _form_page(request, 401, "This token is not known to this server. Ask whoever runs it for one "
                                        "(harvestgraph users add NAME --role reader|confidential).", back)
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


@router.get("/signout")
async def signout_page(request: Request):
    """What a browser finds at the sign-out address: the button (signing out is a POST)."""
    return render(request, ANONYMOUS, "pages/signout.html", title="Sign out")


@router.post("/signout")
async def signout(request: Request):
    if _cross_site(request):
        return _form_page(request, 403, "This sign-out was sent from another site: refused.")
    form = parse_qs((await request.body())[:MAX_FORM].decode("utf-8", "replace"), max_num_fields=4)
    response = RedirectResponse(_back((form.get("next") or ["/"])[0]), status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
