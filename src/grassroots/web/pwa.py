"""The installable field kit (issue 20): the web app manifest and the service worker, both
served from the site's root (a service worker controls only the paths under its own). Both
are public: they hold no data, only the addresses of the registration page and its files."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from grassroots.web.assets import STATIC_DIR, VENDOR, static_url

router = APIRouter(include_in_schema=False)

# What the registration page needs with no signal (the page itself and the worker's grid
# boundaries are added by the service worker: they need the login).
SHELL_FILES = (
    VENDOR["bulma_css"], VENDOR["htmx_js"], VENDOR["leaflet_js"], VENDOR["leaflet_css"],
    "app/app.css", "app/app.js", "app/map.js", "app/register.js", "app/photos.js",
    "app/offline.js", "app/pwa.js", "app/favicon.svg",
)  # fmt: skip
SHELL_PAGES = ("/cases/new", "/map/boundaries.geojson?level=grid")
MANIFEST = {
    "name": "基层综治 · 网格员登记",
    "short_name": "网格登记",
    "lang": "zh-CN",
    "start_url": "/cases/new",
    "scope": "/",
    "display": "standalone",
    "background_color": "#ffffff",
    "theme_color": "#1f6f43",
    "icons": [{"src": static_url("app/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
}


@lru_cache(maxsize=1)
def service_worker() -> str:
    """sw.js with its list of files and a version that changes whenever one of them does
    (the browser then installs the new worker and drops the old cache)."""
    digest = hashlib.sha256()
    for path in SHELL_FILES:
        digest.update((STATIC_DIR / path).read_bytes())
    shell = [static_url(p) for p in SHELL_FILES] + list(SHELL_PAGES)
    body = (STATIC_DIR / "app" / "sw.js").read_text(encoding="utf-8")
    head = '"use strict";\n' + f"const VERSION = {json.dumps(digest.hexdigest()[:16])};\n"
    return head + f"const SHELL = {json.dumps(shell)};\n" + body


@router.get("/manifest.webmanifest")
def manifest() -> JSONResponse:
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/sw.js")
def sw() -> Response:
    return Response(
        service_worker(), media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )
