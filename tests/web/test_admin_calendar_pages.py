"""管理 → 节假日日历: a whole year's official schedule at once, all or nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.workdays import load_calendar

HTML = {"accept": "text/html"}
YEAR = 2099  # a year the chinesecalendar package does not know
GOOD = f"{YEAR}-01-01..{YEAR}-01-03 元旦\n{YEAR}-01-04 调休上班\n"


def _days(session) -> list[tuple[date, bool]]:
    session.expire_all()
    rows = session.scalars(select(CalendarDay).where(CalendarDay.day >= date(YEAR, 1, 1)))
    return sorted((d.day, d.is_working) for d in rows)


def test_year_beyond_the_statutory_tables_warns_weekends_only(client_as):
    r = client_as("admin").get("/admin/calendar", params={"year": 2100}, headers=HTML)
    assert r.status_code == 200 and 'id="status-unknown"' in r.text and "暂按周末休息" in r.text
    assert "Monday-Friday" not in r.text  # the warning speaks the UI language only


def test_year_without_a_schedule_is_provisional_and_prefilled_by_law(client_as):
    r = client_as("admin").get("/admin/calendar", params={"year": YEAR}, headers=HTML)
    assert r.status_code == 200 and 'id="status-provisional"' in r.text and "暂定" in r.text
    assert f"{YEAR}-10-01..{YEAR}-10-03 国庆节" in r.text  # a start for the administrator
    assert "provisional" not in r.text.split('id="status-provisional"')[1].split("</section>")[0]


def test_package_year_is_prefilled_from_the_package(client_as):
    r = client_as("admin").get("/admin/calendar", params={"year": 2025}, headers=HTML)
    assert (
        'id="status-package"' in r.text
        and "2025-10-01..2025-10-05 国庆节" in r.text
        and "2025-09-28 国庆节调休上班" in r.text
    )


def test_preview_lists_the_days_and_saves_nothing(client_as, session):
    data = {"notice": "国办发明电〔2098〕1号", "schedule": GOOD, "intent": "preview"}
    r = client_as("admin").post(f"/admin/calendar/{YEAR}", data=data, headers=HTML)
    assert r.status_code == 200 and 'id="schedule-preview"' in r.text
    assert "3 天放假" in r.text and "1 天调休上班" in r.text
    assert _days(session) == []


def test_one_bad_line_shows_its_number_and_nothing_is_saved(client_as, session):
    text = GOOD + f"{YEAR}-02-30 春节\n"
    data = {"notice": "国办发明电〔2098〕1号", "schedule": text, "intent": "save"}
    r = client_as("admin").post(f"/admin/calendar/{YEAR}", data=data, headers=HTML)
    assert r.status_code == 422 and 'id="schedule-errors"' in r.text
    assert "第 3 行" in r.text and f"{YEAR}-02-30 不是有效日期" in r.text
    assert text.strip().splitlines()[0] in r.text  # what was typed comes back
    assert _days(session) == []


def test_notice_is_required_to_save(client_as, session):
    data = {"notice": " ", "schedule": GOOD, "intent": "save"}
    r = client_as("admin").post(f"/admin/calendar/{YEAR}", data=data, headers=HTML)
    assert r.status_code == 422 and 'id="notice-error"' in r.text
    assert _days(session) == []


def test_save_replaces_the_year_and_the_calendar_knows_it(client_as, session):
    admin = client_as("admin")
    admin.post("/admin/calendar/day", data={"day": f"{YEAR}-05-05", "is_working": "0"})
    data = {"notice": "国办发明电〔2098〕1号", "schedule": GOOD, "intent": "save"}
    r = admin.post(f"/admin/calendar/{YEAR}", data=data, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/calendar?year={YEAR}"
    expected = [(date(YEAR, 1, d), False) for d in (1, 2, 3)] + [(date(YEAR, 1, 4), True)]
    assert _days(session) == expected  # the single day entered before is gone: whole year
    assert session.get(CalendarYear, YEAR).notice == "国办发明电〔2098〕1号"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.year.set"))
    assert [a.object_id for a in audit] == [str(YEAR)]
    assert load_calendar(session).knows_year(YEAR)
    page = admin.get(f"/admin/calendar?year={YEAR}", headers=HTML).text
    assert 'id="status-admin"' in page and f"{YEAR}-01-01..{YEAR}-01-03 元旦" in page


def test_a_year_out_of_range_is_refused(client_as):
    assert client_as("admin").get("/admin/calendar?year=1800", headers=HTML).status_code == 422


def test_only_the_system_admin_enters_calendars(client_as):
    for name in ("zhao", "security", "audit"):
        r = client_as(name).post(f"/admin/calendar/{YEAR}", data={"schedule": GOOD}, headers=HTML)
        assert r.status_code == 403
