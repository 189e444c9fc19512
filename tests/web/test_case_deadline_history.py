"""The case page lists the deadlines escalation and 返工 replaced, missed or met (issue 15
item 2), through the real HTTP app on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tests.stats import history as h

HTML = {"accept": "text/html"}
START = datetime(2026, 3, 2, 2, tzinfo=UTC)


def test_the_case_page_shows_a_missed_village_deadline(client_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    w = h.world(session)
    case = h.register(session, w, w.grids[0], "neighbour", START)
    h.step(session, w, case, "accept", START)
    while case.level != "village":
        h.step(session, w, case, "refer_down", START)
    assert case.resolve_due is not None
    village_due = case.resolve_due
    h.step(session, w, case, "escalate", START + timedelta(days=40))  # after the deadline
    page = client_as("chen").get(f"/cases/{case.code}", headers=HTML)
    assert page.status_code == 200
    listed = page.text.split('id="deadline-history"')[1].split("</ul>")[0]
    missed = [li for li in listed.split("<li")[1:] if 'data-missed="true"' in li]
    assert len(missed) == 1
    assert f"村级化解期限 {village_due.isoformat()}" in missed[0]
    assert "已超期" in missed[0] and "上报" in missed[0]
    assert listed.count('data-missed="false"') >= 1  # the county's and township's, referred
