"""Every action's refusal paths over HTTP give problem+json and change nothing: wrong state,
missing requirement, wrong role, not the case's handler, stale version, unknown action."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.cases.actions import do_escalate
from grassroots.cases.schemas import Escalate
from grassroots.cases.workflow.transitions import TABLE
from grassroots.errors import Problem
from tests.cases.conftest import ROUTE, VALID, act

ACTIONS = [a for a, t in TABLE.items() if t.sources]
ALL_STATES = list(ROUTE)


def problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code and body["status"] == status
    return body


def body_for(action: str, village: str) -> dict:
    if action == "assign":
        return {"unit_code": f"{village}-mediation"}
    return VALID[action]


def unchanged(client, code: str, version: int) -> None:
    case = client.get(f"/api/v1/cases/{code}").json()
    assert case["version"] == version
    assert len(client.get(f"/api/v1/cases/{code}/timeline").json()) == version


@pytest.mark.parametrize("action", ACTIONS)
def test_wrong_state(action, case_in, client_as):
    state = next(s for s in ALL_STATES if s not in TABLE[action].sources)
    code, version = case_in(state)
    zhao = client_as("zhao")
    village = zhao.get(f"/api/v1/cases/{code}").json()["village_code"]
    r = act(zhao, code, action, version, **body_for(action, village))
    body = problem(r, 409, "transition_not_allowed")
    assert TABLE[action].label in body["title"]
    unchanged(zhao, code, version)


@pytest.mark.parametrize("action", [a for a in ACTIONS if TABLE[a].requires])
def test_missing_requirements_named(action, case_in, client_as):
    code, version = case_in(sorted(TABLE[action].sources)[0])
    zhao = client_as("zhao")
    body = problem(act(zhao, code, action, version), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == set(TABLE[action].requires)
    unchanged(zhao, code, version)


def test_assign_needs_a_target(case_in, client_as):
    code, version = case_in("accepted")
    body = problem(act(client_as("zhao"), code, "assign", version), 422, "validation_failed")
    assert "unit_code or mediator" in body["errors"][0]["message"]


def test_expected_version_is_required(case_in, client_as):
    code, _ = case_in("registered")
    body = problem(act(client_as("zhao"), code, "accept", None), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["expected_version"]


@pytest.mark.parametrize("action", [a for a in ACTIONS if "grid_worker" not in TABLE[a].roles])
def test_wrong_role(action, case_in, client_as):
    code, version = case_in(sorted(TABLE[action].sources)[0])
    wang = client_as("wang")  # 网格员: sees the case (his village) but may not do this
    village = wang.get(f"/api/v1/cases/{code}").json()["village_code"]
    problem(act(wang, code, action, version, **body_for(action, village)), 403, "role_not_allowed")
    unchanged(wang, code, version)


def test_unit_handler_may_not_follow_up(client_as, new_case_body):
    zhao, sun = client_as("zhao"), client_as("sun")
    case = zhao.post("/api/v1/cases", json=new_case_body).json()
    code, t9 = case["code"], case["township_code"][:9]
    assert case["level"] == "township"  # zhao's post is the township centre
    version = 1
    for action, body in [("accept", {}), ("assign", {"unit_code": f"{t9}-justice"}),
                         ("resolve", VALID["resolve"])]:  # fmt: skip
        version = act(zhao, code, action, version, **body).json()["version"]
    problem(act(sun, code, "follow_up", version, **VALID["follow_up"]), 403, "role_not_allowed")
    # ...but sun handles what is routed to his unit: he could have resolved it.
    assert "follow_up" not in [a["action"] for a in sun.get(f"/api/v1/cases/{code}/actions").json()]


def test_mediator_not_assigned_is_not_the_handler(case_in, client_as):
    code, version = case_in("in_progress")  # routed to the village mediation committee
    li = client_as("li")  # 调解员 of the township: sees the case, does not handle it
    problem(act(li, code, "resolve", version, **VALID["resolve"]), 403, "not_case_handler")


def test_stale_version_is_a_conflict(case_in, client_as):
    code, version = case_in("accepted")
    zhao = client_as("zhao")
    problem(act(zhao, code, "extend", version - 1, **VALID["extend"]), 409, "conflict")
    unchanged(zhao, code, version)


def test_unknown_action(case_in, client_as):
    code, version = case_in("registered")
    body = problem(act(client_as("zhao"), code, "approve", version), 422, "unknown_action")
    assert "accept" in body["title"]
    problem(act(client_as("zhao"), code, "register", version), 422, "unknown_action")


def test_unknown_case(client_as):
    problem(act(client_as("zhao"), "990101-2026-999999", "accept", 1), 404, "not_found")


def test_escalate_beyond_city_is_refused(case_in, client_as, session_factory):
    code, version = case_in("accepted")
    zhao, qian = client_as("zhao"), client_as("qian")
    reason = VALID["escalate"]
    version = act(zhao, code, "escalate", version, **reason).json()["version"]  # → township
    version = act(zhao, code, "escalate", version, **reason).json()["version"]  # → county
    r = act(qian, code, "escalate", version, **reason)  # → city: 矛盾上交
    assert r.json()["level"] == "city", r.text
    version = r.json()["version"]
    # The case has left the county: nobody there acts on it any more (it stays readable).
    problem(act(client_as("chen"), code, "escalate", version, **reason), 403, "not_case_handler")
    # A session of its own: its rollback must not reach back past the HTTP requests.
    with session_factory() as own, pytest.raises(Problem) as refused:
        system = own.scalars(select(User).where(User.username == "system")).one()
        do_escalate(own, code, Escalate(**reason), actor=system)
    assert refused.value.code == "no_higher_level"
    r = client_as("chen").get(f"/api/v1/cases/{code}")
    assert r.status_code == 200, r.text
    assert r.json()["version"] == version
