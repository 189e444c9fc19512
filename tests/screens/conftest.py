"""The big screen's fixtures: the app with short event streams and a small pairing limit,
and a paired screen's cookie."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.screens.actions import do_issue_code, do_pair
from tests.support.apps import app_on

COUNTY = "990101000000"
SCREEN_SETTINGS = {
    "screen_stream_seconds": 1.0,  # a stream read to its end in a test ends this soon
    "screen_poll_seconds": 0.2,
    "screen_pair_rate_limit": "4/600",
}


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path) -> FastAPI:
    return app_on(engine, session_factory, tmp_path, **SCREEN_SETTINGS)


@pytest.fixture
def paired(session: Session) -> Callable[..., str]:
    """paired("hall", code) → the cookie of a screen NAME paired on jurisdiction `code`."""

    def make(name: str = "hall", code: str = COUNTY, preset: str = "standard") -> str:
        _, pairing = do_issue_code(session, name, code, preset, 10)
        raw = do_pair(session, pairing, "testclient")
        assert raw is not None
        return raw

    return make
