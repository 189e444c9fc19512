"""Case fixtures: a registration body inside wang's village, and a helper to act over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.geo.models import Jurisdiction


def grid_in(session: Session, user: User) -> str:
    """The first current grid inside `user`'s jurisdiction."""
    assert user.jurisdiction is not None
    return session.scalars(
        select(Jurisdiction.code)
        .where(
            Jurisdiction.level == "grid",
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.code.startswith(user.jurisdiction.prefix),
        )
        .order_by(Jurisdiction.code)
    ).first()  # type: ignore[return-value]


@pytest.fixture
def world(fresh_engine: Engine) -> Callable[[], Session]:
    """Sessions on a fresh database holding the demo geography, for tests that commit from
    several threads (the concurrency tests)."""
    factory = make_session_factory(writer_engine(fresh_engine))
    with factory() as session:
        build_demo_geography(session)
    return factory


@pytest.fixture
def new_case_body(session: Session, users: dict[str, User]) -> dict[str, Any]:
    return {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "邻里排水纠纷",
        "description": "两户因院墙排水沟堵塞发生争执",
        "grid_code": grid_in(session, users["wang"]),
        "parties": [
            {"role": "applicant", "name": "张三", "phone": "13800138000",
             "id_number": "99010119800101001X"},
            {"role": "respondent", "name": "李四"},
        ],
        "people_involved": 2,
    }  # fmt: skip


def act(client: Any, code: str, action: str, version: int | None, **body: Any) -> Any:
    """POST one action of the transition table over HTTP."""
    payload = {"expected_version": version, **body} if version is not None else body
    return client.post(f"/api/v1/cases/{code}/actions/{action}", json=payload)


VALID: dict[str, dict[str, Any]] = {
    "accept": {},
    "reject": {"channel": "litigation", "reason": "属于法院受理范围"},
    "share": {"jurisdiction_code": "990101003000", "role": "co"},
    "record_session": {"held_on": "2026-03-03", "summary": "第一次调解"},
    "record_agreement": {
        "terms": "赔偿 2000 元",
        "responsibilities": "被申请人赔偿申请人 2000 元，申请人不再追究",
        "performance_manner": "现金一次付清",
        "performance_place": "村调解室",
        "performance_deadline": "2026-03-31",
    },
    "resolve": {"outcome_note": "达成调解协议"},
    "terminate": {"reason": "一方拒绝调解", "routes_told": ["litigation"]},
    "escalate": {"reason": "涉及多个村"},
    "city_reply": {"reply": "市里答复：由县里督促双方履行"},
    "refer_down": {"reason": "由属地调解"},
    "extend": {"days": 5, "approved_by": "陈国栋", "reason": "等待鉴定", "parties_consent": True},
    "suspend": {"reason": "当事人住院"},
    "resume": {},
    "follow_up": {
        "performance": "performed",
        "satisfaction": "satisfied",
        "remaining_risk": "none",
    },
    "pursue_performance": {"route": "litigation", "note": "协议未履行，告知可提起诉讼"},
    "close": {},
    "reopen": {"reason": "回访不满意"},
    "mark_spam": {"reason": "广告信息，不是纠纷"},
    "reassign": {"unit_code": "990101002-justice", "reason": "职责调整"},
    "return_order": {"return_reason": "not_our_duty", "reason": "非本单位职责"},
    "unshare": {"jurisdiction_code": "990101003000"},
    "link": {"other_code": "990101-2026-999999", "kind": "related"},
    "unlink": {"other_code": "990101-2026-999999"},
    "merge": {"primary_code": "990101-2026-999999"},
}

# How to bring a case (registered by wang, at village level) into each state, as zhao.
ROUTE: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "registered": [],
    "accepted": [("accept", {})],
    "in_progress": [("accept", {}), ("assign", {"unit_code": "{village}-mediation"})],
}
ROUTE["suspended"] = [*ROUTE["in_progress"], ("suspend", VALID["suspend"])]
ROUTE["resolved"] = [*ROUTE["in_progress"], ("resolve", VALID["resolve"])]
ROUTE["closed"] = [*ROUTE["resolved"], ("follow_up", VALID["follow_up"]), ("close", {})]
ROUTE["rejected"] = [("reject", VALID["reject"])]
ROUTE["terminated"] = [*ROUTE["in_progress"], ("terminate", VALID["terminate"])]


@pytest.fixture
def case_in(client_as: Any, new_case_body: dict[str, Any]) -> Any:
    """case_in("resolved") → (code, version) of a fresh case of wang's, brought there by zhao."""

    def make(state: str) -> tuple[str, int]:
        wang, zhao = client_as("wang"), client_as("zhao")
        created = wang.post("/api/v1/cases", json=new_case_body).json()
        code, version = created["code"], created["version"]
        for action, body in ROUTE[state]:
            filled = {k: v.format(village=created["village_code"]) if isinstance(v, str) else v
                      for k, v in body.items()}  # fmt: skip
            r = act(zhao, code, action, version, **filled)
            assert r.status_code == 200, r.text
            version = r.json()["version"]
        return code, version

    return make
