"""/api/v1/docs: Swagger UI served from the vendored copy, nothing from outside (both DBs)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

URL_ATTRIBUTE = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""")


def test_docs_page_references_only_files_of_this_server(client_as):
    c = client_as("wang")
    r = c.get("/api/v1/docs")
    assert r.status_code == 200
    urls = URL_ATTRIBUTE.findall(r.text)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls), urls
    assert all(urlsplit(u).netloc == "" and u.startswith("/") for u in urls), urls
    assert "cdn" not in r.text.lower() and "<script>" not in r.text  # no inline script (CSP)
    init = c.get("/static/app/swagger-init.js").text
    assert "validatorUrl: null" in init
    for url in urls:
        if url.startswith("/static/"):
            assert c.get(url).status_code == 200, url


def test_vendored_swagger_bundle_makes_no_hardcoded_cdn_request(client_as):
    bundle = client_as("wang").get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert "unpkg.com" not in bundle.text and "jsdelivr" not in bundle.text
