"""Every page in English shows no Chinese of its own: Chinese may only come from data.

Data is what the database holds — names of places (proper nouns: 清山村 stays 清山村), units,
staff and parties, and what staff typed (titles, descriptions, agreed terms, reasons, policy
bases, holiday names). Category and source names are data too, but they have English names
(name_en), so outside the administration page their Chinese names count as untranslated UI.
Elements marked lang="zh-CN" are Chinese on purpose: the 人民调解协议书 and the report preview
(documents the parties sign or the government receives) and the language switcher's 中文.
Bilingual "中文 / English" messages are shown in the UI language's half (web/labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Session

from grassroots.calendar.today import china_today
from grassroots.db import Base
from grassroots.geo.queries import children
from grassroots.i18n import in_language
from tests.cases.conftest import VALID, act, case_in, new_case_body  # noqa: F401 (fixtures)

HTML = {"accept": "text/html"}
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
CHECKED_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
TRANSLATED_DICTIONARIES = {("case_category", "name"), ("case_source", "name")}


class VisibleText(HTMLParser):
    """Text nodes and human-facing attributes, outside <script>/<style> and lang="zh*"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)
        self.found: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = (self._hidden() or tag in ("script", "style")
                  or (values.get("lang") or "").startswith("zh"))  # fmt: skip
        if not hidden:
            self.found += [values[a] or "" for a in CHECKED_ATTRIBUTES if values.get(a)]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.found.append(data)


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten(v)


def stored_texts(session: Session, with_dictionaries: bool) -> list[str]:
    """Every Chinese string the database holds, longest first (so parts go after wholes)."""
    session.expire_all()
    texts: set[str] = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            if not with_dictionaries and (table.name, column.name) in TRANSLATED_DICTIONARIES:
                continue
            query = select(column) if isinstance(column.type, JSON) else select(column).distinct()
            for value in session.scalars(query):  # (PostgreSQL has no DISTINCT on json)
                texts.update(t for t in _flatten(value) if CJK.search(t))
    return sorted(texts, key=len, reverse=True)


def untranslated(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    left: list[str] = []
    for text in parser.found:
        if not CJK.search(text):
            continue
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        left += CJK.findall(text)
    return sorted(set(left))


@pytest.fixture
def story(case_in: Any, client_as: Any, session: Session, users: Any) -> dict[str, str]:  # noqa: F811
    """A case with an agreement, a resolved one, and one with a refused action."""
    code, version = case_in("in_progress")
    zhao = client_as("zhao")
    r = act(zhao, code, "record_agreement", version, **VALID["record_agreement"])
    assert r.status_code == 200, r.text
    resolved, _ = case_in("resolved")
    grid = children(session, users["wang"].jurisdiction)[0].code
    return {"code": code, "resolved": resolved, "grid": grid,
            "township": users["zhao"].jurisdiction.code}  # fmt: skip


PAGES: dict[str, list[str]] = {
    "zhao": [
        "/", "/map", "/cases", "/cases?state=in_progress&light=green", "/cases/new",
        "/cases/{code}", "/cases/{code}/agreement", "/cases/{resolved}", "/cases/grid/{grid}",
        "/reports", "/reports/preview?jurisdiction={township}&period={year}",
        "/cases/990101-2099-999999", "/stats/board", "/stats/board?rate=on_time_rate",
    ],
    "wang": ["/", "/cases/{code}"],
    "sun": ["/", "/cases"],
    "chen": ["/", "/cases"],
    "admin": ["/admin", "/admin/users", "/admin/users/wang", "/admin/boundaries"],
    "security": ["/admin/users"],
    "audit": ["/audit", "/audit/verify"],
}  # fmt: skip


@pytest.mark.slow
def test_every_page_in_english_has_no_chinese_outside_data(
    story: dict[str, str], client_as: Any, session: Session
) -> None:
    values = {**story, "year": str(china_today().year)}
    problems: list[str] = []
    for username, paths in PAGES.items():
        client = client_as(username)
        client.get("/?lang=en", headers=HTML)
        for path in paths:
            r = client.get(path.format(**values), headers=HTML)
            assert r.status_code in (200, 404), (path, r.status_code)
            assert '<html lang="en">' in r.text or "<html" not in r.text, path
            data = stored_texts(session, with_dictionaries=path.startswith("/admin"))
            if left := untranslated(r.text, data):
                problems.append(f"{username} {path}: {' '.join(left)}")
    assert not problems, "\n".join(problems)


def test_a_refused_action_is_explained_in_english(
    story: dict[str, str], client_as: Any, session: Session
) -> None:
    zhao = client_as("zhao")
    zhao.get("/?lang=en", headers=HTML)
    version = zhao.get(f"/api/v1/cases/{story['code']}").json()["version"]
    form = {"expected_version": version, "unit_code": "nowhere"}
    r = zhao.post(f"/cases/{story['code']}/act/assign", data=form, headers=HTML)
    assert r.status_code == 422 and "unit nowhere is not at the case&#39;s level" in r.text
    assert "不在本案当前层级" not in r.text
    assert untranslated(r.text, stored_texts(session, with_dictionaries=False)) == []


def test_the_check_sees_untranslated_text() -> None:
    """The parser finds Chinese in text and attributes, not inside lang="zh-CN" or scripts."""
    html = ('<p>Case 已受理</p><input placeholder="请输入"><div lang="zh-CN"><p>协议</p>'
            "<br></div><script>var a = '中文';</script><p>清山村 · ok</p>")  # fmt: skip
    assert untranslated(html, ["清山村"]) == ["已受理", "请输入"]


def test_bilingual_messages_show_the_ui_language_half() -> None:
    message = "案件 X 不存在 / case not found"
    assert in_language(message, "en") == "case not found"
    assert in_language(message, "zh_CN") == "案件 X 不存在"
    for unchanged in ("Saved.", "已保存", "2026-01 / 2026-02", "甲 / 乙"):
        assert in_language(unchanged, "en") == unchanged


def test_login_and_dashboard_charts_in_english(
    story: dict[str, str], client: Any, client_as: Any, session: Session
) -> None:
    login = client.get("/login?lang=en", headers=HTML).text
    assert untranslated(login, []) == [] and "Sign in" in login
    zhao = client_as("zhao")
    dashboard = zhao.get("/?lang=en", headers=HTML).text
    charts = dashboard[dashboard.index('"categories"') :][:400]
    assert "Neighbours" in charts and "邻里" not in charts
