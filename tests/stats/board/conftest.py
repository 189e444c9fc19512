"""A second county under the demo city (one deployment, several counties), its staff, and
cases registered in each county."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.accounts.users.actions import do_create_user
from grassroots.cases import schemas as s
from grassroots.cases.intake.actions import do_register
from grassroots.geo.actions import NewNode, do_create_tree
from grassroots.geo.models import Jurisdiction
from grassroots.scope import current_jurisdiction

CITY = "990100000000"
PROVINCE = "990000000000"
COUNTY = "990101000000"
COUNTY2 = "990102000000"
TOWNSHIP2 = "990102001000"
VILLAGE2 = "990102001001"
GRID2 = "990102001001001"
MARCH = datetime(2026, 3, 10, 2, tzinfo=UTC)


def _staff(session: Session, name: str, role: Role, code: str) -> User:
    return do_create_user(
        session, username=name, display_name=name, role=role, jurisdiction_code=code,
        password="Tongji-Kanban-07",
    )  # fmt: skip


def register(session: Session, actor: User, grid: str, at: datetime = MARCH) -> str:
    body = s.NewCase(
        category_code="neighbour", source_code="visit", title="看板", description="看板核对",
        grid_code=grid,
    )  # fmt: skip
    return do_register(session, body, actor=actor, now=at).code


@pytest.fixture
def two_counties(session: Session, users: dict[str, User]) -> dict[str, User]:
    """County 990102 (one township, village and grid) beside the demo county; a leader at
    the city and one at the province; 2 cases in the new county and 3 in the demo one."""
    nodes = [
        NewNode(COUNTY2, "邻县", "county", None, None),
        NewNode(TOWNSHIP2, "东湖镇", "township", COUNTY2, None),
        NewNode(VILLAGE2, "柳岸村", "village", TOWNSHIP2, None),
        NewNode(GRID2, "柳岸村第1网格", "grid", VILLAGE2, None),
    ]
    do_create_tree(session, nodes, [])
    county2 = current_jurisdiction(session, COUNTY2)
    city = current_jurisdiction(session, CITY)
    assert county2 is not None and city is not None
    county2.parent_id = city.id
    session.commit()
    made = {
        "shi": _staff(session, "shi", Role.leader, CITY),
        "sheng": _staff(session, "sheng", Role.leader, PROVINCE),
        "lin": _staff(session, "lin", Role.centre_staff, COUNTY2),
    }
    for _ in range(2):
        register(session, made["lin"], GRID2)
    grid = _demo_grid(session)
    for _ in range(3):
        register(session, users["qian"], grid)
    return made


def _demo_grid(session: Session) -> str:
    return (
        session.scalars(
            select(Jurisdiction.code)
            .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith("990101"))
            .order_by(Jurisdiction.code)
        ).first()
        or ""
    )
