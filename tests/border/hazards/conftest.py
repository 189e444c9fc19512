"""Hazard fixtures: a disputed pasture between 青石镇 and 柳河镇 as a polygon, with the
neighbouring county's township named as the owner on the other side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.border.meetings.conftest import LIUHE, QINGSHI

PASTURE = {
    "type": "Polygon",
    "coordinates": [
        [[112.40, 30.60], [112.42, 30.60], [112.42, 30.62], [112.40, 30.62], [112.40, 30.60]]
    ],
}


def hazard_body(**over: Any) -> dict[str, Any]:
    body = {
        "name": "青石镇与柳河镇交界草场",
        "kind": "pasture",
        "risk": "high",
        "geometry": PASTURE,
        "jurisdiction_codes": [QINGSHI, LIUHE],
        "outside": [{"name": "邻县石门乡", "code": "990201003000"}],
        "description": "两镇牧户对交界草场放牧范围有争议，牧户张三多次反映",
        "measures": "划定临时放牧线",
    }
    return body | over


@pytest.fixture
def new_hazard(client_as: Any) -> Callable[..., dict[str, Any]]:
    """new_hazard(name="zhao", **fields) → the hazard registered over the API."""

    def make(name: str = "zhao", **over: Any) -> dict[str, Any]:
        r = client_as(name).post("/api/v1/border/hazards", json=hazard_body(**over))
        assert r.status_code == 201, r.text
        return dict(r.json())

    return make
