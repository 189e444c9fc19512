"""Paths of the vendored front-end files (see static/vendor/VENDORED.md) and the static mount."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static"

VENDOR: dict[str, str] = {
    "htmx_js": "vendor/htmx-2.0.11/htmx.min.js",
    "leaflet_js": "vendor/leaflet-1.9.4/leaflet.js",
    "leaflet_css": "vendor/leaflet-1.9.4/leaflet.css",
    "echarts_js": "vendor/echarts-6.1.0/echarts.common.min.js",
    "bulma_css": "vendor/bulma-1.0.4/bulma.min.css",
    "swagger_js": "vendor/swagger-ui-5.35.0/swagger-ui-bundle.js",
    "swagger_css": "vendor/swagger-ui-5.35.0/swagger-ui.css",
    "swagger_favicon": "vendor/swagger-ui-5.35.0/favicon-32x32.png",
}


def static_url(path: str) -> str:
    return f"{STATIC_PREFIX}/{path}"


def mount_static(app: FastAPI) -> None:
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
