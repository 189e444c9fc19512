"""db.execute_core: the ORM-free read keeps session.execute's autoflush, honours no_autoflush
and may run inside a flush (a mapper event) — it relies on SQLAlchemy's private
Session._autoflush, so a SQLAlchemy upgrade that changes it fails here, not in production
(SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from grassroots.db import execute_core
from grassroots.dictionary.models import Category

COUNT = select(func.count()).select_from(Category).where(Category.code.like("xc_%"))


def test_a_pending_row_is_flushed_before_the_read(session: Session) -> None:
    before = execute_core(session, COUNT).scalar_one()
    session.add(Category(code="xc_one", name="核对一"))
    assert execute_core(session, COUNT).scalar_one() == before + 1
    session.rollback()


def test_no_autoflush_is_honoured(session: Session) -> None:
    before = execute_core(session, COUNT).scalar_one()
    with session.no_autoflush:
        session.add(Category(code="xc_two", name="核对二"))
        assert execute_core(session, COUNT).scalar_one() == before
    assert execute_core(session, COUNT).scalar_one() == before + 1
    session.rollback()


def test_a_read_inside_a_flush_does_not_flush_again(session: Session) -> None:
    seen: list[int] = []

    def during_flush(_mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
        seen.append(execute_core(session, COUNT).scalar_one())

    event.listen(Category, "after_insert", during_flush)
    try:
        session.add(Category(code="xc_three", name="核对三"))
        session.flush()
    finally:
        event.remove(Category, "after_insert", during_flush)
    assert len(seen) == 1 and seen[0] >= 1
    session.rollback()
