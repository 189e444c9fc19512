"""Meeting fixtures: a 边界联席会议 of 青石镇 (zhao's township) and 柳河镇 (zhou's), with the
neighbouring county's centre as an outside participant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

QINGSHI, LIUHE, COUNTY = "990101002000", "990101003000", "990101000000"
OUTSIDE = {"name": "邻县综治中心", "code": "990201000000"}


def meeting_body(**over: Any) -> dict[str, Any]:
    body = {
        "held_on": "2026-03-12",
        "place": "青石镇综治中心会议室",
        "jurisdiction_codes": [QINGSHI, LIUHE],
        "outside": [OUTSIDE],
        "topics": "两镇交界草场放牧边界争议的化解",
        "notes": "张三反映草场被占，双方同意现场勘界",
        "decisions": [{"text": "联合现场勘界", "owner": "青石镇司法所", "due_on": "2026-03-31"}],
    }
    return body | over


@pytest.fixture
def new_meeting(client_as: Any) -> Callable[..., dict[str, Any]]:
    """new_meeting(name="zhao", **fields) → the meeting recorded over the API."""

    def make(name: str = "zhao", **over: Any) -> dict[str, Any]:
        r = client_as(name).post("/api/v1/border/meetings", json=meeting_body(**over))
        assert r.status_code == 201, r.text
        return dict(r.json())

    return make
