"""The OpenAPI document and Swagger UI, served only to logged-in users.

Swagger UI comes from the vendored copy under /static/vendor/ (no CDN: intranet), and its
online validator badge is off, so the docs page requests nothing from outside the server."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from grassroots.deps import requires
from grassroots.web.assets import VENDOR, static_url


def add_protected_docs(app: FastAPI, prefix: str) -> None:
    openapi_url = f"{prefix}/openapi.json"

    @app.get(openapi_url, include_in_schema=False, dependencies=[requires("account.self")])
    def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{prefix}/docs", include_in_schema=False, dependencies=[requires("account.self")])
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title="grassroots API",
            swagger_js_url=static_url(VENDOR["swagger_js"]),
            swagger_css_url=static_url(VENDOR["swagger_css"]),
            swagger_favicon_url=static_url(VENDOR["swagger_favicon"]),
            swagger_ui_parameters={"validatorUrl": None},
        )
