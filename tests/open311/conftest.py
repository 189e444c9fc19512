"""Open311 fixtures: a registered client's api_key and a point inside wang's grid."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction
from grassroots.open311.actions import do_create_key
from tests.support.places import grid_of, point_inside


@pytest.fixture
def api_key(session: Session) -> str:
    return do_create_key(session, "georeporter")[1]


@pytest.fixture
def grid(session: Session, users: dict[str, User]) -> Jurisdiction:
    return grid_of(session, users["wang"])


@pytest.fixture
def point(session: Session, grid: Jurisdiction) -> tuple[float, float]:
    return point_inside(session, grid)


@pytest.fixture
def spec_example(api_key: str, point: tuple[float, float]) -> dict[str, Any]:
    """The spec's example POST, in our county: its fields, its attribute syntax."""
    return {
        "api_key": api_key, "jurisdiction_id": "grassroots", "service_code": "neighbour",
        "lat": str(point[0]), "long": str(point[1]), "address_string": "青石镇 5 组 12 号",
        "email": "smit333@example.org", "device_id": "tt222111", "account_id": "123456",
        "first_name": "三", "last_name": "张", "phone": "13800138000",
        "description": "邻居院墙排水沟堵塞，雨天污水漫进院子，联系电话 13900139000",
        "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
        "attribute[kind]": "dispute", "attribute[people_involved]": "2",
        "attribute[WHISPAWN]": "123456",
    }  # fmt: skip
