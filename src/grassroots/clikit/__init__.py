"""What every domain's command line shares: a session on the writer engine that ends the
command with one error line and exit code 1 when an action refuses (a Problem), and that
error line. Domain CLIs sit below `grassroots.cli` in the layers, so this lives down here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from grassroots.db import check_schema_current, engine_for, make_session_factory, writer_engine
from grassroots.errors import Problem


def fail(message: str) -> typer.Exit:
    """Print the error line on stderr; the caller raises the returned Exit (code 1)."""
    typer.echo(f"错误 / error: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def cli_session(*, check_schema: bool = False) -> Iterator[Session]:
    """A session on the configured database's writer engine, disposed at the end; a Problem
    raised inside becomes `fail(message)`. check_schema: refuse a schema older or newer
    than this code first (grassroots.db.check_schema_current)."""
    engine = engine_for()
    try:
        if check_schema:
            check_schema_current(engine)
        with make_session_factory(writer_engine(engine))() as session:
            yield session
    except Problem as exc:
        raise fail(exc.message) from exc
    finally:
        engine.dispose()
