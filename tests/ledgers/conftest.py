"""The committed demo county the ledger tests import into (the CLI opens its own engine)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from grassroots.config import get_settings
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography


@pytest.fixture
def county(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(False))
    get_settings.cache_clear()
    with make_session_factory(writer_engine(fresh_engine))() as session:
        build_demo_geography(session)
    yield fresh_engine
    get_settings.cache_clear()
