"""The OpenAPI document and Swagger UI, served only to logged-in users.

Swagger UI comes from the vendored copy under /static/vendor/ (no CDN: intranet), and its
online validator badge is off, so the docs page requests nothing from outside the server.
The page is FastAPI's Swagger UI page with its inline start-up script moved to a static file
(static/app/swagger-init.js): the Content-Security-Policy allows no inline script."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from grassroots.deps import requires
from grassroots.web.assets import VENDOR, static_url

SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link type="text/css" rel="stylesheet" href="{css}">
<link type="text/css" rel="stylesheet" href="{app_css}">
<link rel="icon" href="{favicon}">
<title>grassroots API</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{js}"></script>
<script src="{init}" data-openapi-url="{openapi_url}"></script>
</body>
</html>
"""


def swagger_page(openapi_url: str) -> str:
    return SWAGGER_PAGE.format(
        css=static_url(VENDOR["swagger_css"]),
        app_css=static_url("app/swagger.css"),
        favicon=static_url(VENDOR["swagger_favicon"]),
        js=static_url(VENDOR["swagger_js"]),
        init=static_url("app/swagger-init.js"),
        openapi_url=escape(openapi_url),
    )


def add_protected_docs(app: FastAPI, prefix: str) -> None:
    openapi_url = f"{prefix}/openapi.json"
    page = swagger_page(openapi_url)

    @app.get(openapi_url, include_in_schema=False, dependencies=[requires("account.self")])
    def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{prefix}/docs", include_in_schema=False, dependencies=[requires("account.self")])
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)
