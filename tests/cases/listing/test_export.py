"""Exports of the case list (CSV, .xlsx) on SQLite and PostgreSQL: exactly the filtered cases
of the user's scope, every export audited without personal data, nothing cut silently."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import china_today
from grassroots.cases.listing.export import case_batches, check_xlsx_size, csv_chunks, start_export
from grassroots.cases.listing.queries import CaseFilter
from grassroots.errors import Problem

FILTER = "state=registered&category=neighbour&q=排水"


@pytest.fixture
def registered(client_as, new_case_body: dict[str, Any]) -> list[str]:
    """wang registers five cases: three 排水 disputes between neighbours, one contract dispute
    and one neighbour dispute about something else (the filter leaves out those two)."""
    wang = client_as("wang")
    bodies = [new_case_body] * 3 + [
        {**new_case_body, "category_code": "contract"},
        {**new_case_body, "title": "邻里噪音", "description": "楼上装修噪音"},
    ]
    codes = []
    for body in bodies:
        r = wang.post("/api/v1/cases", json=body)
        assert r.status_code == 201, r.text
        codes.append(r.json()["code"])
    return codes


def csv_codes(client, query: str = FILTER) -> list[str]:  # type: ignore[no-untyped-def]
    r = client.get(f"/cases/export.csv?{query}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "事件编号"
    return [row[0] for row in rows[1:]]


def xlsx_codes(client, query: str = FILTER) -> list[str]:  # type: ignore[no-untyped-def]
    r = client.get(f"/cases/export.xlsx?{query}")
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0]
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == "事件编号"
    return [str(v) for v in values[1:]]


def api_codes(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every code the JSON list returns for the same filter, page by page."""
    codes: list[str] = []
    cursor = ""
    while True:
        page = client.get(f"/api/v1/cases?{query}&limit=2{cursor}").json()
        codes += [item["code"] for item in page["items"]]
        if not page["next_cursor"]:
            return codes
        cursor = f"&cursor={page['next_cursor']}"


def exports(session: Session) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.export").order_by(AuditEntry.id)
        )
    )


def test_export_has_exactly_the_filtered_cases_of_the_list(client_as, registered):
    zhao = client_as("zhao")
    listed = api_codes(zhao, FILTER)
    assert sorted(listed) == sorted(registered[:3])
    assert csv_codes(zhao) == listed  # same order: newest first
    assert xlsx_codes(zhao) == listed
    everything = csv_codes(zhao, "")
    assert set(registered) <= set(everything)


def test_the_filter_form_as_submitted_lists_and_exports(client_as, registered):
    """A browser submits every field of the form: empty ones mean no filter."""
    zhao = client_as("zhao")
    submitted = f"{FILTER}&level=&light=&jurisdiction=&date_from=&date_to="
    page = zhao.get(f"/cases?{submitted}", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert all(code in page.text for code in registered[:3])
    assert csv_codes(zhao, submitted) == api_codes(zhao, FILTER)
    assert zhao.get("/cases?date_from=2026-13-01").status_code == 422


def test_export_carries_no_party_data(client_as, registered):
    body = client_as("zhao").get(f"/cases/export.csv?{FILTER}").content.decode("utf-8-sig")
    for personal in ("张三", "李四", "13800138000", "8000", "99010119800101001X"):
        assert personal not in body


def test_every_export_is_audited_without_the_search_text(client_as, registered, session):
    zhao = client_as("zhao")
    csv_codes(zhao)
    xlsx_codes(zhao, "state=registered")
    csv_row, xlsx_row = exports(session)[-2:]
    assert (csv_row.actor_name, csv_row.result, csv_row.object_type) == ("zhao", "ok", "case_list")
    assert csv_row.details == {
        "format": "csv",
        "rows": 3,
        "filter": {"state": "registered", "category": "neighbour", "q": "(text)"},
    }
    assert xlsx_row.details == {"format": "xlsx", "rows": 5, "filter": {"state": "registered"}}
    assert "排水" not in str(csv_row.details)


def test_another_township_gets_none_of_these_cases(client_as, registered, session, users):
    township = users["wang"].jurisdiction.code[:9] + "000"
    assert set(registered) <= set(csv_codes(client_as("zhao"), f"jurisdiction={township}"))
    zhou = client_as("zhou")
    assert not set(registered) & set(csv_codes(zhou, ""))
    assert not set(registered) & set(xlsx_codes(zhou, ""))
    assert csv_codes(zhou, f"jurisdiction={township}") == []
    assert exports(session)[-1].actor_name == "zhou"


def test_batches_go_on_until_the_last_case(registered, session: Session, users: dict[str, User]):
    """Batches of two over five cases: three batches, every case once, in the list's order."""
    export = start_export(session, users["zhao"], CaseFilter(state=("registered",)), china_today())
    assert export.count == 5
    batches = list(case_batches(session, export, batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    codes = [c.code for b in batches for c in b]
    assert sorted(codes) == sorted(registered)
    lines = b"".join(csv_chunks(["code"], ([[c] for c in b] for b in [codes[:2], codes[2:]])))
    assert lines.decode("utf-8-sig").split() == ["code", *codes]


def test_an_xlsx_above_the_limit_is_refused_not_cut(registered, session, users):
    export = start_export(session, users["zhao"], CaseFilter(state=("registered",)), china_today())
    check_xlsx_size(export, max_rows=5)  # exactly at the limit: fine
    with pytest.raises(Problem) as refused:
        check_xlsx_size(export, max_rows=4)
    assert refused.value.status == 422 and "CSV" in refused.value.message
