"""An app on the test's database with settings of the test's own (a limit, an easier proof):
the one way tests build an app besides the `app` fixture (tests/conftest.py), which uses it.

Apps are reused within a test process. Building one is cheap, but its first requests are
not: FastAPI builds every included route's dependency model on the first request that
walks past it (~150 ms for a page, which walks past every API route), once per app. So an
app is kept per engine and per changed settings, and handed to the next test with that
test's own state: its settings (data folder included), its rollback sessions, a new batch
of authentication writes, and nothing a test set on it (a clock). An app a test changed
(a route or a middleware added) is not handed on: the next test gets a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.app import create_app, set_state
from grassroots.config import Settings


@dataclass
class _Kept:
    app: FastAPI
    shape: tuple[object, ...]  # what a test could add to it: routes, middleware, handlers


_KEPT: dict[tuple[object, ...], _Kept] = {}
_KEEP = 8


def _shape(app: FastAPI) -> tuple[object, ...]:
    handlers = tuple(sorted(map(str, app.exception_handlers)))
    return tuple(map(id, app.router.routes)), len(app.user_middleware), handlers


def app_on(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, **settings: Any
) -> FastAPI:
    """An app on `engine`, reading and writing through `sessions` (the test's rollback
    sessions, or a fresh database's), its data under `tmp_path`, with `settings` changed."""
    config = Settings(
        data_dir=tmp_path, database_url=engine.url.render_as_string(False), **settings
    )
    key = (id(engine), engine.url, tuple(sorted((k, repr(v)) for k, v in settings.items())))
    kept = _KEPT.pop(key, None)
    if kept is not None and kept.app.state.read_sessions is sessions:
        _KEPT[key] = kept  # this test has it already and asks for another (two processes)
        return create_app(config, engine=engine, read_sessions=sessions, write_sessions=sessions)
    if kept is not None and _shape(kept.app) == kept.shape:
        _hand_over(kept.app, config, sessions, engine)
    else:
        app = create_app(config, engine=engine, read_sessions=sessions, write_sessions=sessions)
        kept = _Kept(app, _shape(app))
    _KEPT[key] = kept  # the newest last; the oldest goes (a fresh database's app, mostly)
    while len(_KEPT) > _KEEP:
        del _KEPT[next(iter(_KEPT))]
    return kept.app


def _hand_over(
    app: FastAPI, config: Settings, sessions: sessionmaker[Session], engine: Engine
) -> None:
    """The state create_app gives an app, afresh, and nothing the previous test set on it."""
    app.state._state.clear()
    set_state(app, config, engine, sessions, sessions)
