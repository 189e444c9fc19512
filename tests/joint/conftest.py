"""Joint-case fixtures: a case of wang's village, accepted by zhao (青石镇) and shared with
柳河镇 (zhou's township) as co-handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.cases.conftest import act, grid_in

CO_TOWNSHIP = "990101003000"  # 柳河镇: zhou's post


@pytest.fixture
def joint_case(client_as: Any, session: Any, users: Any) -> Callable[..., str]:
    """joint_case() → the code of a fresh case shared as co with 柳河镇."""

    def make(role: str = "co", title: str = "两镇交界草场边界纠纷") -> str:
        wang, zhao = client_as("wang"), client_as("zhao")
        grid = grid_in(session, users["wang"])
        body = {"category_code": "neighbour", "source_code": "grid_patrol", "title": title,
                "description": "两镇交界处放牧边界争议", "grid_code": grid}  # fmt: skip
        created = wang.post("/api/v1/cases", json=body)
        assert created.status_code == 201, created.text
        code, version = created.json()["code"], created.json()["version"]
        r = act(zhao, code, "accept", version)
        assert r.status_code == 200, r.text
        r = act(zhao, code, "share", r.json()["version"], jurisdiction_code=CO_TOWNSHIP, role=role)
        assert r.status_code == 200, r.text
        return str(code)

    return make
