"""Security headers (issue 12, item 6; web/headers.py) on every kind of response, on SQLite
and PostgreSQL: a page, an API answer, errors (API and page), a static file; HSTS only over
TLS; the map tiles' host in img-src when configured; and no template with inline script,
style or event handlers (the browser test, test_csp_browser.py, loads every page)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.app import create_app
from grassroots.config import Settings
from grassroots.web.headers import content_security_policy, tile_source

HTML = {"accept": "text/html"}
SRC = Path(__file__).resolve().parents[2] / "src" / "grassroots"
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: value for name, value in pairs}


def assert_secured(r, *, cacheable: bool = False) -> None:  # type: ignore[no-untyped-def]
    h = r.headers
    directives = policy(h["content-security-policy"])
    assert {k: directives.get(k) for k in CSP_DIRECTIVES} == CSP_DIRECTIVES
    assert "unsafe-inline" not in h["content-security-policy"]
    assert "unsafe-eval" not in h["content-security-policy"]
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in h  # plain http
    if cacheable:
        assert "no-store" not in h.get("cache-control", "")
    else:
        assert h["cache-control"] == "no-store"


def test_a_page_carries_every_header(client_as):
    r = client_as("zhao").get("/cases", headers=HTML)
    assert r.status_code == 200 and "<html" in r.text
    assert_secured(r)


def test_the_login_page_carries_every_header(client):
    assert_secured(client.get("/login"))


def test_an_api_answer_with_personal_data_carries_every_header(client_as):
    r = client_as("zhao").get("/api/v1/auth/me")
    assert r.status_code == 200 and r.json()["username"] == "zhao"
    assert_secured(r)


def test_error_answers_carry_every_header(client, client_as):
    api = client.get("/api/v1/auth/me")
    assert api.status_code == 401 and api.headers["content-type"] == "application/problem+json"
    assert_secured(api)
    missing = client.get("/api/v1/no-such-route")
    assert missing.status_code == 404
    assert_secured(missing)
    page = client_as("admin").get("/cases", headers=HTML)
    assert page.status_code == 403 and "<html" in page.text
    assert_secured(page)


def test_a_static_file_carries_the_headers_and_may_be_cached(client):
    r = client.get("/static/app/app.js")
    assert r.status_code == 200
    assert_secured(r, cacheable=True)


def test_the_docs_page_carries_every_header(client_as):
    r = client_as("zhao").get("/api/v1/docs")
    assert r.status_code == 200 and "swagger-init.js" in r.text
    assert_secured(r)


@pytest.fixture
def app_with(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Iterator[object]:
    def make(**overrides: str):  # type: ignore[no-untyped-def]
        url = engine.url.render_as_string(False)
        settings = Settings(data_dir=tmp_path, database_url=url, **overrides)  # type: ignore[arg-type]
        return create_app(
            settings, engine=engine, read_sessions=session_factory, write_sessions=session_factory
        )

    yield make


def test_hsts_only_over_tls(app_with):
    app = app_with()
    with TestClient(app, base_url="https://testserver") as tls:
        r = tls.get("/login")
        assert r.headers["strict-transport-security"].startswith("max-age=")
        assert tls.get("/static/app/app.js").headers["strict-transport-security"]
    with TestClient(app) as plain:
        assert "strict-transport-security" not in plain.get("/login").headers


def test_configured_tile_host_is_allowed_for_images_only(app_with):
    app = app_with(tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    with TestClient(app) as c:
        directives = policy(c.get("/login").headers["content-security-policy"])
    assert directives["img-src"] == "'self' data: https://*.tiles.example.org"
    assert directives["connect-src"] == "'self'" and directives["script-src"] == "'self'"


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [("", ""), ("/tiles/{z}/{x}/{y}.png", ""),
     ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
     ("http://10.0.0.5:8080/t/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
     ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
     ("https://a.{s}.example.org/{z}.png", "https:")],
)  # fmt: skip
def test_tile_source(tile_url, source):
    assert tile_source(tile_url) == source
    assert ("img-src 'self' data:" + (f" {source}" if source else "") + ";") in (
        content_security_policy(tile_url)
    )


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:|hx-on", re.I)


def test_no_template_has_inline_script_style_or_handlers():
    """The policy would block them: every behaviour is a file under web/static/app/."""
    found = []
    for template in sorted(SRC.glob("*/**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for rule in (INLINE_SCRIPT, INLINE_STYLE, HANDLER):
            found += [f"{template.relative_to(SRC)}: {m.group(0)}" for m in rule.finditer(text)]
    assert not found, found
