"""An app on the test's database with settings of the test's own (a limit, an easier proof):
the one way tests build an app besides the `app` fixture (tests/conftest.py), which uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.app import create_app
from grassroots.config import Settings


def app_on(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, **settings: Any
) -> FastAPI:
    """create_app on `engine`, reading and writing through `sessions` (the test's rollback
    sessions, or a fresh database's), its data under `tmp_path`, with `settings` changed."""
    config = Settings(
        data_dir=tmp_path, database_url=engine.url.render_as_string(False), **settings
    )
    return create_app(config, engine=engine, read_sessions=sessions, write_sessions=sessions)
