"""The OpenAPI document and Swagger UI, served only to logged-in users."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from grassroots.deps import requires


def add_protected_docs(app: FastAPI, prefix: str) -> None:
    openapi_url = f"{prefix}/openapi.json"

    @app.get(openapi_url, include_in_schema=False, dependencies=[requires("account.self")])
    def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{prefix}/docs", include_in_schema=False, dependencies=[requires("account.self")])
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=openapi_url, title="grassroots API")
