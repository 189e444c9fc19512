"""Users' own Word templates: unknown placeholders are refused by name; known ones fill in."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from sqlalchemy.orm import Session

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
