"""Residents' channel fixtures: the app with an easy proof of work (8 bits: tests solve it in
a millisecond; the rule is the same at 16), a point inside wang's grid, and helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction
from grassroots.geo.posts.actions import do_appoint
from grassroots.geo.posts.models import PostKind
from grassroots.geo.posts.schemas import PostIn
from grassroots.residents.pow import Challenge, solve
from tests.support.apps import app_on
from tests.support.places import grid_of, point_inside

PUBLIC = "/api/v1/public"
EASY = {
    "public_pow_bits": 8, "public_report_rate_limit": "1000/60",
    "public_global_rate_limit": "1000/60", "public_lookup_rate_limit": "1000/60",
}  # fmt: skip


def make_app(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, **changes: Any):  # type: ignore[no-untyped-def]
    return app_on(engine, sessions, tmp_path, **(EASY | changes))


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(engine, session_factory, tmp_path)


def proof(client: TestClient) -> str:
    r = client.get(f"{PUBLIC}/challenge")
    assert r.status_code == 200, r.text
    body = r.json()
    return solve(Challenge(body["challenge"], body["bits"], body["signature"], body["expires"]))


@pytest.fixture
def grid(session: Session, users: dict[str, User]) -> Jurisdiction:
    """wang's grid, wang serving it as its 网格员 (so a report there is his to handle)."""
    grid = grid_of(session, users["wang"])
    start = date(2026, 1, 1)
    do_appoint(session, grid.code, PostIn(username="wang", kind=PostKind.worker, start_on=start),
               actor=users["admin"])  # fmt: skip
    return grid


@pytest.fixture
def point(session: Session, grid: Jurisdiction) -> tuple[float, float]:
    return point_inside(session, grid)


@pytest.fixture
def report_body(point: tuple[float, float]) -> Callable[..., dict[str, Any]]:
    def make(**changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "dispute", "category_code": "neighbour",
            "description": "邻居家装修把我家院墙震裂了，协商多次没有结果。",
            "lat": point[0], "lng": point[1],
        }  # fmt: skip
        return body | changes

    return make
