"""The API docs page in a real browser: Swagger UI renders from the vendored files and the
page requests nothing from outside the server (open_as fails the test on any such request)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_without_outside_requests(open_as):
    page = open_as("zhao")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "grassroots" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10  # the operations of the OpenAPI document
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/api/v1/openapi.json") for u in requested), requested
    assert all(u.startswith(page.url.split("/api/")[0]) for u in requested), requested
