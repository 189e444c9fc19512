"""联调 figures on hand-built cases: each case counts once where it happened (主办) and as 参与
联调 in every other jurisdiction it is shared with; the SQL figures equal a recount in Python
over the same cases and the hand-counted values."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.calendar.today import china_today
from grassroots.cases.models import Case
from grassroots.joint.figures import JointFigures, joint_figures
from tests.cases.conftest import act, grid_in

QINGSHI, LIUHE, COUNTY = "990101002", "990101003", "990101"


def _step(client, code: str, action: str, **body) -> None:
    version = client.get(f"/api/v1/cases/{code}").json()["version"]
    r = act(client, code, action, version, **body)
    assert r.status_code == 200, r.text


def _resolve(client, code: str) -> None:
    village = client.get(f"/api/v1/cases/{code}").json()["village_code"]
    _step(client, code, "assign", unit_code=f"{village}-mediation")
    _step(client, code, "resolve", outcome_note="达成调解协议")


def _liuhe_case(client_as, session, users) -> str:
    """A case of 柳河镇 (wu's village) shared with 青石镇's justice office (a unit)."""
    body = {"category_code": "neighbour", "source_code": "grid_patrol", "title": "林地界址纠纷",
            "description": "林地界址", "grid_code": grid_in(session, users["wu"])}  # fmt: skip
    code = client_as("wu").post("/api/v1/cases", json=body).json()["code"]
    zhou = client_as("zhou")
    _step(zhou, code, "accept")
    _step(zhou, code, "share", unit_code="990101002-justice", role="co")
    return str(code)


def _recount(session, prefix: str) -> JointFigures:
    """The definitions of docs/metrics.md applied case by case in Python."""
    session.expire_all()
    led = joined = led_res = joined_res = 0
    for c in session.scalars(select(Case)):
        if c.spam or c.outcome == "merged" or not c.shares:
            continue
        here = (c.grid_code or c.village_code or c.township_code or c.county_code).startswith(
            prefix
        )
        places = [sh.jurisdiction.code if sh.jurisdiction else sh.unit.jurisdiction.code
                  for sh in c.shares]  # fmt: skip
        resolved = c.outcome == "resolved"
        if here:
            led, led_res = led + 1, led_res + resolved
        elif any(p.startswith(prefix) for p in places):
            joined, joined_res = joined + 1, joined_res + resolved
    return JointFigures(led, led_res, joined, joined_res)


def test_a_case_counts_once_where_it_happened_and_as_joined_elsewhere(
    client_as, session, users, joint_case
):
    a, b = joint_case(), joint_case()  # 青石镇's, shared with 柳河镇 as co-handler
    _resolve(client_as("zhao"), a)
    _liuhe_case(client_as, session, users)
    body = {"category_code": "neighbour", "source_code": "grid_patrol", "title": "不联调",
            "description": "本镇自办", "grid_code": grid_in(session, users["wang"])}  # fmt: skip
    assert client_as("wang").post("/api/v1/cases", json=body).status_code == 201
    today = china_today()
    expected = {
        QINGSHI: JointFigures(led=2, led_resolved=1, joined=1, joined_resolved=0),
        LIUHE: JointFigures(led=1, led_resolved=0, joined=2, joined_resolved=1),
        COUNTY: JointFigures(led=3, led_resolved=1, joined=0, joined_resolved=0),
    }
    for prefix, figures in expected.items():
        assert joint_figures(session, prefix, (today, today)) == figures, prefix
        assert _recount(session, prefix) == figures, prefix
    assert b  # registered, shared, unresolved: in 青石镇's led and 柳河镇's joined only


def test_outside_the_period_or_merged_into_another_counts_nowhere(client_as, session, joint_case):
    primary, repeat = joint_case(), joint_case()
    today = china_today()
    yesterday = today.fromordinal(today.toordinal() - 1)
    assert joint_figures(session, LIUHE, (yesterday, yesterday)).joined == 0
    assert joint_figures(session, LIUHE, (today, today)).joined == 2
    _step(client_as("zhao"), repeat, "merge", primary_code=primary, note="同一纠纷重复登记")
    assert joint_figures(session, LIUHE, (today, today)) == JointFigures(0, 0, 1, 0)
    assert joint_figures(session, QINGSHI, (today, today)) == JointFigures(1, 0, 0, 0)
    assert _recount(session, LIUHE) == JointFigures(0, 0, 1, 0)
