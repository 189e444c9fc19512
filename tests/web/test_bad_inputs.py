"""Inputs that used to answer 500 (issue 12, item 7) are 4xx problem+json now, on both DBs;
an error nobody answered is a 500 problem+json with a correlation id that is also logged."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from grassroots.bounds import MAX_ID
from grassroots.errors import PROBLEM_MEDIA_TYPE
from tests.cases.conftest import grid_in

ABOVE_INT64 = 2**63
ABOVE_INT32 = MAX_ID + 1


def assert_problem(r: Any, status: int = 422) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE), r.headers
    assert r.json()["status"] == status


def cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "raw",
    [
        # a dict whose three keys unpack like [sort, value, id]
        {"-registered_at": 0, "2026-01-01T00:00:00+08:00": 0, "99999999999999999999": 0},
        ["code", ["x"], 1],  # a list as the value
        ["code", [[["x"]]], 1],  # nested
        ["code", "x", "99999999999999999999"],  # a huge id as text
        ["-registered_at", "2026-01-01T00:00:00+08:00", ABOVE_INT64],  # a huge id
        ["-registered_at", "2026-01-01T00:00:00+08:00", ABOVE_INT32],  # beyond INTEGER
        ["-registered_at", "2026-01-01T00:00:00", 1],  # a time without its zone
        ["-registered_at", "0001-01-01T00:00:00+14:00", 1],  # before UTC's year 1
    ],
)
def test_malformed_cursors_are_422(client_as, raw):
    sort = raw[0] if isinstance(raw, list) else "-registered_at"
    r = client_as("qian").get("/api/v1/cases", params={"cursor": cursor(raw), "sort": sort})
    assert_problem(r)
    assert r.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "params", [{"registered_to": "9999-12-31"}, {"registered_from": "0001-01-01"}]
)
def test_registration_dates_beyond_the_calendar_are_422(client_as, params):
    assert_problem(client_as("qian").get("/api/v1/cases", params=params))


@pytest.mark.parametrize("period", ["0000", "0000-03", "0000-Q1", "9999-12", "9999", "9999-H2"])
def test_periods_with_years_out_of_range_are_422(client_as, users, period):
    c = client_as("qian")
    county = users["qian"].jurisdiction.code
    r = c.get("/api/v1/stats/dashboard", params={"jurisdiction": county, "period": period})
    assert_problem(r)
    assert r.json()["code"] == "bad_period"
    r = c.post("/api/v1/reports", json={"jurisdiction": county, "period": period})
    assert_problem(r)


@pytest.mark.parametrize("path", ["/api/v1/calendar/years/0", "/api/v1/calendar/years/99999"])
def test_calendar_years_out_of_range_are_422(client_as, path):
    assert_problem(client_as("qian").get(path))


def test_calendar_days_out_of_range_are_422(client_as):
    c = client_as("qian")
    assert_problem(c.get("/api/v1/calendar", params={"first": "0001-01-01", "last": "0001-01-02"}))
    admin = client_as("admin")
    body = {"day": "9999-12-31", "is_working": True}
    assert_problem(admin.put("/api/v1/calendar/days/9999-12-31", json=body))
    body = {"notice": "x", "days": [{"day": "0001-01-01", "is_working": False}]}
    assert_problem(admin.put("/api/v1/calendar/years/1", json=body))


@pytest.mark.parametrize("huge", [ABOVE_INT64, ABOVE_INT32])
def test_ids_beyond_the_column_are_422(client_as, huge):
    qian, admin, zhao = client_as("qian"), client_as("admin"), client_as("zhao")
    assert_problem(qian.get(f"/api/v1/parties/{huge}"))
    assert_problem(qian.get(f"/api/v1/reports/{huge}/download"))
    assert_problem(admin.delete(f"/api/v1/deadline-policies/{huge}"))
    assert_problem(zhao.delete(f"/api/v1/auth/tokens/{huge}"))
    body = {"jurisdiction": "990101000000", "period": "2026", "template_id": huge}
    assert_problem(qian.post("/api/v1/reports", json=body))
    assert_problem(client_as("audit").get("/api/v1/audit/entries", params={"page": huge}))
    assert_problem(qian.get("/api/v1/jurisdictions", params={"offset": huge}))


def test_expected_version_beyond_the_column_is_422(client_as, session, users):
    wang = client_as("wang")
    body = {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "排水",
        "description": "院墙排水沟堵塞",
        "grid_code": grid_in(session, users["wang"]),
    }
    created = wang.post("/api/v1/cases", json=body)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    r = client_as("zhao").post(
        f"/api/v1/cases/{code}/actions/accept", json={"expected_version": ABOVE_INT64}
    )
    assert_problem(r)
    assert r.json()["errors"][0]["field"] == "expected_version"


def test_token_expiry_without_a_zone_is_422(client_as):
    body = {"name": "n", "scopes": ["account.self"], "expires_at": "2999-01-01T00:00:00"}
    assert_problem(client_as("zhao").post("/api/v1/auth/tokens", json=body))


def test_report_form_with_a_template_id_that_is_not_a_number_is_422(client_as, users):
    form = {"jurisdiction": users["qian"].jurisdiction.code, "period": "2026", "template_id": "x"}
    assert_problem(client_as("qian").post("/reports/generate", data=form))


def test_nul_characters_are_4xx_on_both_databases(client_as, users):
    """Found by make fuzz on PostgreSQL, whose text cannot hold NUL: a 500 before."""
    qian, admin = client_as("qian"), client_as("admin")
    r = qian.get("/api/v1/stats/dashboard", params={"jurisdiction": "99\x0001", "period": "2026"})
    assert 400 <= r.status_code < 500 and r.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = {"category_code": "a\x00b", "level": "township", "accept_days": 1,
            "resolve_days": 10, "follow_up_days": 1}  # fmt: skip
    r = admin.put("/api/v1/deadline-policies", json=body)
    assert 400 <= r.status_code < 500 and r.headers["content-type"] == PROBLEM_MEDIA_TYPE


def test_a_body_that_is_not_utf8_is_a_400_problem(client_as):
    r = client_as("qian").post(
        "/api/v1/reports", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    assert_problem(r, 400)
    assert r.json()["code"] == "malformed_body"


def test_unhandled_error_is_a_500_problem_with_a_correlation_id_in_the_log(app, client_as, caplog):
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/v1/test-boom", boom)
    with caplog.at_level(logging.ERROR, logger="grassroots.errors"):
        r = client_as("qian").get("/api/v1/test-boom")
    assert_problem(r, 500)
    incident = r.json()["correlation_id"]
    assert r.headers["x-correlation-id"] == incident and incident in r.json()["title"]
    assert "secret internals" not in r.text and "Traceback" not in r.text
    logged = [rec for rec in caplog.records if incident in rec.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert "secret internals" in str(logged[0].exc_info[1])


def test_unhandled_error_on_a_page_is_the_error_page(app, client_as):
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/test-boom-page", boom)
    r = client_as("qian").get("/test-boom-page", headers={"Accept": "text/html"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-correlation-id"] in r.text and "secret internals" not in r.text
