"""The browser-facing files: `GET /widget.js` (the embeddable chat widget), `GET /` (a demo
shop page that embeds it), `GET /agent` (the human agents' console, with `/agent.js`) and
`GET /audit` (the auditors' page, with `/audit.js`). The pages hold no data: each signs in with
its own token and reads the API with it.

The files ship inside the package (`service/gateway/static/`) and are read once, at import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from fastapi import APIRouter, Request, Response

router = APIRouter(tags=["pages"], include_in_schema=False)

STATIC = resources.files("service.gateway").joinpath("static")

JAVASCRIPT = "application/javascript; charset=utf-8"
HTML = "text/html; charset=utf-8"

# The pages load scripts only from this origin and talk only to it; nothing may frame them.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    cache_control: str
    etag: str
    extra_headers: dict[str, str]

    def headers(self) -> dict[str, str]:
        return {
            **COMMON_HEADERS,
            **self.extra_headers,
            "Cache-Control": self.cache_control,
            "ETag": self.etag,
        }


def load(
    name: str,
    media_type: str,
    cache_control: str,
    extra: dict[str, str] | None = None,
    after: tuple[str, ...] = (),
) -> StaticFile:
    """A static file, served as read; `after`: files whose text comes before it in the same
    response (the staff pages' shared helpers, so each page still loads one script)."""
    body = b"\n".join(STATIC.joinpath(part).read_bytes() for part in (*after, name))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return StaticFile(body, media_type, cache_control, etag, extra or {})


def respond(file: StaticFile, request: Request) -> Response:
    """The file, or 304 when the browser already holds this version."""
    if request.headers.get("if-none-match") == file.etag:
        return Response(status_code=304, headers=file.headers())
    return Response(file.body, media_type=file.media_type, headers=file.headers())


# Sites on other origins load the widget with a plain <script> tag: let them, and let
# their caches keep it a few minutes (revalidated by ETag after that).
WIDGET = load(
    "widget.js",
    JAVASCRIPT,
    "public, max-age=300, stale-while-revalidate=3600",
    {"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*"},
)
DEMO_PAGE = load("index.html", HTML, "no-cache", {"Content-Security-Policy": PAGE_CSP})
AGENT_PAGE = load(
    "agent.html", HTML, "no-store", {"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY"}
)
AGENT_SCRIPT = load("agent.js", JAVASCRIPT, "no-cache", after=("staff.js",))
AUDIT_PAGE = load(
    "audit.html", HTML, "no-store", {"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY"}
)
AUDIT_SCRIPT = load("audit.js", JAVASCRIPT, "no-cache", after=("staff.js",))


@router.get("/widget.js")
async def widget_js(request: Request) -> Response:
    return respond(WIDGET, request)


@router.get("/")
async def demo_page(request: Request) -> Response:
    return respond(DEMO_PAGE, request)


@router.get("/agent")
async def agent_page(request: Request) -> Response:
    return respond(AGENT_PAGE, request)


@router.get("/agent.js")
async def agent_js(request: Request) -> Response:
    return respond(AGENT_SCRIPT, request)


@router.get("/audit")
async def audit_page(request: Request) -> Response:
    return respond(AUDIT_PAGE, request)


@router.get("/audit.js")
async def audit_js(request: Request) -> Response:
    return respond(AUDIT_SCRIPT, request)
