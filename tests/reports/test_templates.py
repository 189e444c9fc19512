"""Users' own Word templates: unknown placeholders are refused by name; known ones fill in."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role
from grassroots.accounts.users.actions import do_create_user
from grassroots.db import transaction
from grassroots.geo.models import Jurisdiction
from grassroots.scope import current_jurisdiction
from tests.reports.read import docx_text
from tests.stats import history as h

COUNTY = "990101000000"


def _template(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(client, content: bytes, name: str = "我的模板"):  # type: ignore[no-untyped-def]
    files = {"file": ("mine.docx", content, "application/octet-stream")}
    return client.post("/api/v1/reports/templates", files=files, data={"name": name})


def test_unknown_placeholder_is_refused_by_name(client_as) -> None:
    r = _upload(client_as("chen"), _template("共排查{{ registered }}件，{{ bogus_figure }}。"))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "unknown_placeholder"
    assert "bogus_figure" in body["title"]
    assert client_as("chen").get("/api/v1/reports/templates").json() == []


def test_not_a_docx_is_a_clear_error(client_as) -> None:
    r = _upload(client_as("chen"), b"plain text, not Word")
    assert r.status_code == 422 and r.json()["code"] == "bad_template"


def test_own_template_fills_in(session: Session, client_as) -> None:
    h.build_history(session, 12, seed=4, first=datetime(2026, 2, 2, tzinfo=UTC), days=25)
    chen = client_as("chen")
    tid = _upload(
        chen,
        _template(
            "{{ jurisdiction_name }}{{ period_title }}共排查"
            "{{ registered }}件，化解率{{ resolution_rate }}。"
        ),
    ).json()["id"]
    r = chen.post(
        "/api/v1/reports",
        json={"jurisdiction": COUNTY, "period": "2026-02", "formats": ["docx"], "template_id": tid},
    )
    assert r.status_code == 201, r.text
    content = chen.get(r.json()[0]["download_url"]).content
    text = docx_text(content)
    assert text.startswith("示范县2026年2月共排查")
    dash = chen.get(
        "/api/v1/stats/dashboard", params={"jurisdiction": COUNTY, "period": "2026-02"}
    ).json()
    registered = next(m["value"] for m in dash["metrics"] if m["key"] == "registered")
    assert f"共排查{registered}件" in text


def test_placeholders_are_listed_with_examples(client_as) -> None:
    listed = client_as("zhao").get("/api/v1/reports/placeholders").json()
    names = {p["name"] for p in listed}
    assert {"registered", "resolution_rate", "rows", "chart_categories"} <= names
    assert all(p["description"] for p in listed)


def _posted(session: Session, username: str, node: Jurisdiction) -> str:
    """A centre_staff account posted at `node`; returns its password."""
    password = f"Tmpl-{len(username)}-Pass9x"
    do_create_user(
        session,
        username=username,
        display_name=username,
        role=Role.centre_staff,
        jurisdiction_code=node.code,
        password=password,
    )
    return password


def _login(app, username: str, password: str) -> TestClient:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = c.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_template_visibility_follows_the_tree_not_code_strings(session: Session, app) -> None:
    """Township …010's template serves …010 and the villages below it; township …011 (whose
    code starts with …010's code stripped of zeros, "99010101") does not see it."""
    county = current_jurisdiction(session, COUNTY)
    assert county is not None
    with transaction(session):
        t10 = Jurisdiction(code="990101010000", name="十镇", level="township", parent=county)
        t11 = Jurisdiction(code="990101011000", name="十一镇", level="township", parent=county)
        v10 = Jurisdiction(code="990101010201", name="十镇一村", level="village", parent=t10)
        session.add_all([t10, t11, v10])
    pw = {name: _posted(session, name, node) for name, node in
          (("staff10", t10), ("staff11", t11), ("village10", v10))}  # fmt: skip
    clients = {name: _login(app, name, p) for name, p in pw.items()}
    r = _upload(clients["staff10"], _template("{{ jurisdiction_name }}"), name="十镇模板")
    assert r.status_code == 201, r.text
    tid = r.json()["id"]

    def generate(name: str, code: str) -> int:
        body = {"jurisdiction": code, "period": "2026-02", "formats": ["docx"], "template_id": tid}
        r = clients[name].post("/api/v1/reports", json=body)
        assert r.status_code in (201, 404), r.text
        return r.status_code

    def listed(name: str) -> bool:
        return tid in {t["id"] for t in clients[name].get("/api/v1/reports/templates").json()}

    assert listed("staff10") and generate("staff10", t10.code) == 201
    assert listed("village10") and generate("village10", v10.code) == 201
    assert not listed("staff11") and generate("staff11", t11.code) == 404
    for c in clients.values():
        c.close()
