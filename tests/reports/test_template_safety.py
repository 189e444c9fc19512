"""Uploaded Word templates cannot run code: every known Jinja escape is refused at upload
(API and page), naming the expression, with nothing kept and the attempt audited; a template
stored before the allow-list existed is refused when a report is made from it, never run."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.db import transaction
from grassroots.reports.models import ReportFile, ReportTemplate
from tests.reports.docx_build import docx_with, upload

COUNTY = "990101000000"

# (Jinja text put in a paragraph, what the refusal must name)
ESCAPES: list[tuple[str, str]] = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "''.__class__"),
    ("{{ x.__globals__ }}", "x.__globals__"),
    ("{{ registered.__class__.__base__ }}", "registered.__class__"),
    ("{{ __builtins__ }}", "__builtins__"),
    ("{{ self }}", "self"),
    ("{{ self._TemplateReference__context }}", "self._TemplateReference__context"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "cycler.__init__"),
    ("{{ joiner.__init__.__globals__ }}", "joiner.__init__"),
    ("{{ lipsum.__globals__['os'] }}", "lipsum.__globals__"),
    ("{{ namespace(x=1) }}", "namespace(x=1)"),
    ("{{ range(10**9)|list }}", "range(10**9)"),
    ("{{ 'x' * 999999999 }}", "'x'*999999999"),
    ("{{ registered|attr('__class__') }}", "attr('__class__')"),
    ("{{ rows|map('attr', '__class__')|list }}", "map('attr', '__class__')"),
    ("{{ registered|format(registered) }}", "registered|format(registered)"),
    ("{{ registered|safe }}", "registered|safe"),
    ("{{ rows[0] }}", "rows[0]"),
    ("{% import 'os' as os %}", "{% import %}"),
    ("{% from 'x' import y %}", "{% from … import %}"),
    ("{% include 'default_report.docx' %}", "{% include %}"),
    ("{% extends 'base.html' %}", "{% extends %}"),
    ("{% macro m() %}x{% endmacro %}", "{% macro %}"),
    ("{% set c = registered.__class__ %}", "{% set %}"),
    ("{% set c %}{{ registered }}{% endset %}", "{% set %}"),
    ("{% set ns = namespace(a=1) %}", "{% set %}"),
    ("{% with x = 1 %}{% endwith %}", "{% with %}"),
    ("{% filter upper %}x{% endfilter %}", "{% filter %}"),
    ("{% autoescape false %}{{ registered }}{% endautoescape %}", "{% autoescape %}"),
    ("{{ config }}", "config"),
    ("{{ config.items() }}", "config.items()"),
    ("{{ request.environ }}", "request.environ"),
    ("{% for r in rows %}{{ r.__class__ }}{% endfor %}", "r.__class__"),
    ("{% for r in rows %}{{ loop.cycle('a') }}{% endfor %}", "loop.cycle('a')"),
    ("{% for a in rows %}{% for b in rows %}x{% endfor %}{% endfor %}", "{% for b in rows %}"),
    ("{% for a in range(10**9) %}x{% endfor %}", "{% for a in range(10**9) %}"),
    ("{{ chart_levels|length }}", "chart_levels|length"),
]
UNKNOWN_NAMES = {"__builtins__", "self", "config"}  # refused as unknown placeholders


def _denied(session: Session, action: str) -> list[AuditEntry]:
    session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.result == "denied")
    return list(session.scalars(query.order_by(AuditEntry.id)))


def _templates(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ReportTemplate)) or 0


def test_every_known_escape_is_refused_by_name_and_nothing_kept(
    session: Session, client_as
) -> None:  # type: ignore[no-untyped-def]
    chen = client_as("chen")
    before, audited = _templates(session), len(_denied(session, "report.template.upload"))
    wrong: list[str] = []
    for source, named in ESCAPES:
        r = upload(chen, docx_with("共排查{{ registered }}件。", source))
        body = r.json()
        kind = "unknown_placeholder" if named in UNKNOWN_NAMES else "expression_not_allowed"
        if r.status_code != 422 or body.get("code") != kind or named not in body["title"]:
            wrong.append(f"{source}: {r.status_code} {body}")
        elif kind == "expression_not_allowed":
            audited += 1
            last = _denied(session, "report.template.upload")
            if len(last) != audited or named not in " ".join(last[-1].details["refused"]):
                wrong.append(f"{source}: not audited as denied")
    assert wrong == []
    assert _templates(session) == before
    assert chen.get("/api/v1/reports/templates").json() == []


@pytest.mark.parametrize(
    "where", ["header", "title", "table"], ids=["header", "document-title", "table-cell"]
)
def test_escapes_outside_the_body_text_are_refused_too(client_as, where: str) -> None:  # type: ignore[no-untyped-def]
    """docxtpl renders headers, footers, tables and the document's properties as well."""
    payload = "{{ cycler.__init__.__globals__ }}"
    parts: dict[str, object] = {
        "header": {"header": payload},
        "title": {"title": payload},
        "table": {"table": [["单位", "数"], [payload, "{{ registered }}"]]},
    }
    r = upload(client_as("chen"), docx_with("{{ registered }}", **parts[where]))  # type: ignore[arg-type]
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "expression_not_allowed"
    assert "cycler.__init__.__globals__" in r.json()["title"]


def _page_error(page: str) -> str:
    found = re.search(r'<p class="help is-danger" id="file-error">(.*?)</p>', page, re.S)
    assert found, "no error beside the file field"
    return html.unescape(found.group(1))


def test_page_form_shows_the_refusal_beside_the_file_field(session: Session, client_as) -> None:  # type: ignore[no-untyped-def]
    chen = client_as("chen")
    assert 'action="/reports/templates"' in chen.get("/reports").text
    bad = docx_with("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    files = {"file": ("坏模板.docx", bad, "application/octet-stream")}
    r = chen.post("/reports/templates", files=files, data={"name": "坏模板"})
    assert r.status_code == 422
    error = _page_error(r.text)
    assert error.startswith("不允许的表达式：") and "''.__class__" in error
    assert 'aria-describedby="file-error"' in r.text and 'value="坏模板"' in r.text
    assert _templates(session) == 0
    assert len(_denied(session, "report.template.upload")) == 1
    good = {
        "file": ("好模板.docx", docx_with("{{ jurisdiction_name }}"), "application/octet-stream")
    }
    made = chen.post(
        "/reports/templates", files=good, data={"name": "好模板"}, follow_redirects=False
    )
    assert made.status_code == 303
    assert "好模板" in chen.get("/reports").text


def test_page_form_refusal_in_english(client_as) -> None:  # type: ignore[no-untyped-def]
    chen = client_as("chen")
    files = {"file": ("t.docx", docx_with("{{ x.__globals__ }}"), "application/octet-stream")}
    r = chen.post("/reports/templates?lang=en", files=files)
    assert r.status_code == 422
    assert _page_error(r.text) == "expression not allowed in a report template: x.__globals__"


def test_a_template_stored_before_the_fix_is_refused_not_run(
    session: Session, client_as, users, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A row written before the allow-list existed (straight into the table, as the old
    upload would have kept it): generating from it is a 422 naming the expression, the
    command in it never runs, no file is kept, and the attempt is audited."""
    marker = tmp_path / "ran"
    payload = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
    with transaction(session):
        legacy = ReportTemplate(
            name="旧模板",
            content=docx_with("{{ registered }}", payload),
            jurisdiction_code=COUNTY,
            uploaded_by_id=users["chen"].id,
        )
        session.add(legacy)
    chen: TestClient = client_as("chen")
    body = {"jurisdiction": COUNTY, "period": "2026-03", "formats": ["docx"]}
    r = chen.post("/api/v1/reports", json={**body, "template_id": legacy.id})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "expression_not_allowed"
    assert "cycler.__init__.__globals__.os.popen" in r.json()["title"]
    assert not marker.exists()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ReportFile)) == 0
    denied = _denied(session, "report.generate")
    assert [d.object_id for d in denied] == [str(legacy.id)]
    form = {**body, "formats": "docx", "template_id": str(legacy.id)}
    assert chen.post("/reports/generate", data=form).status_code == 422
    assert not marker.exists()
