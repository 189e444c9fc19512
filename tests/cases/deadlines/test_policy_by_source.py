"""Deadline policies keyed by source (issue 15 item 14): 12345 work orders take the hotline's
limits, seeded by migration 0022 and changed by an administrator; lookup order
(source, category) → (source) → (category) → level default → built-in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from grassroots.calendar.workdays import CACHE_KEY, load_calendar
from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.deadlines.policies import (
    CASE_LEVELS,
    DEFAULT_POLICIES,
    Policy,
    due_date,
    policy_for,
)

HOTLINE = "hotline_12345"


def _add(session: Session, source: str, category: str, level: str, days: tuple[int, int, int]):
    accept, resolve, follow_up = days
    session.add(DeadlinePolicy(source_code=source, category_code=category, level=level,
                               violence_risk=False, accept_days=accept, resolve_days=resolve,
                               follow_up_days=follow_up, auto_escalate=False))  # fmt: skip
    session.flush()


@pytest.mark.parametrize("level", CASE_LEVELS)
def test_work_orders_get_the_seeded_hotline_limits_other_sources_do_not(session, level):
    hotline = policy_for(session, "neighbour", level, False, HOTLINE)
    assert (hotline.accept_days, hotline.resolve_days, hotline.follow_up_days) == (1, 15, 5)
    assert hotline.auto_escalate == DEFAULT_POLICIES[(level, False)].auto_escalate
    for source in ("", "visit", "grid_patrol"):
        assert (
            policy_for(session, "neighbour", level, False, source)
            == DEFAULT_POLICIES[(level, False)]
        )


def test_lookup_order_source_and_category_then_source_then_category(session):
    _add(session, "", "land", "township", (4, 30, 12))  # every source, land
    assert policy_for(session, "land", "township", False, HOTLINE).resolve_days == 15
    assert policy_for(session, "land", "township", False, "visit").resolve_days == 30
    _add(session, HOTLINE, "land", "township", (1, 5, 3))  # 12345, land
    assert policy_for(session, "land", "township", False, HOTLINE) == Policy(1, 5, 3, False)
    assert policy_for(session, "family", "township", False, HOTLINE).resolve_days == 15


def test_a_violent_work_order_takes_the_stricter_of_both(session):
    risky = policy_for(session, "neighbour", "county", True, HOTLINE)
    violent = DEFAULT_POLICIES[("county", True)]
    assert risky.accept_days == min(1, violent.accept_days)
    assert risky.resolve_days == min(15, violent.resolve_days)


@pytest.mark.parametrize("keyed", [False, True])
def test_a_registered_work_order_is_due_for_acceptance_in_one_working_day(
    client_as, session, new_case_body, keyed
):
    body = new_case_body | {"source_code": HOTLINE}
    headers = {"Idempotency-Key": f"hotline-{keyed}"} if keyed else {}
    r = client_as("wang").post("/api/v1/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    registered = datetime.fromisoformat(r.json()["registered_at"]).astimezone(UTC)
    expected = due_date(load_calendar(session), registered, 1)
    assert r.json()["accept_due"] == expected.isoformat()
    ordinary = client_as("wang").post("/api/v1/cases", json=new_case_body)
    assert ordinary.json()["accept_due"] > r.json()["accept_due"]


def test_an_administrator_sets_and_deletes_a_source_policy(client_as, session):
    admin = client_as("admin")
    body = {"source_code": HOTLINE, "category_code": "contract", "level": "village",
            "accept_days": 1, "resolve_days": 5, "follow_up_days": 3, "basis": "县"}  # fmt: skip
    r = admin.put("/api/v1/deadline-policies", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["source_code"] == HOTLINE
    assert policy_for(session, "contract", "village", False, HOTLINE).resolve_days == 5
    bad = admin.put("/api/v1/deadline-policies", json=body | {"source_code": "no-such"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"source_code"}
    rows = client_as("zhao").get("/api/v1/deadline-policies").json()
    default = next(
        x for x in rows
        if (x["source_code"], x["category_code"], x["level"]) == (HOTLINE, "", "village")
    )  # fmt: skip
    assert admin.delete(f"/api/v1/deadline-policies/{default['id']}").status_code == 204
    assert admin.delete(f"/api/v1/deadline-policies/{r.json()['id']}").status_code == 204
    session.info.pop(CACHE_KEY, None)  # this test's session cached the lookups above
    assert (
        policy_for(session, "contract", "village", False, HOTLINE)
        == DEFAULT_POLICIES[("village", False)]
    )


def test_the_admin_page_sets_a_source_policy_and_names_the_source(client_as, session):
    admin = client_as("admin")
    form = {"source_code": HOTLINE, "category_code": "", "level": "county", "accept_days": "2",
            "resolve_days": "10", "follow_up_days": "4", "basis": "市12345"}  # fmt: skip
    r = admin.post("/admin/policies", data=form, headers={"accept": "text/html"})
    assert r.status_code in (200, 303), r.text
    assert policy_for(session, "neighbour", "county", False, HOTLINE).resolve_days == 10
    page = admin.get("/admin").text
    assert "12345" in page and 'name="source_code"' in page
