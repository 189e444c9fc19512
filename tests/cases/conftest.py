"""Case fixtures: a registration body inside wang's village, and a helper to act over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
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
