"""Reference data cached in the process (grassroots.refdata): a change written by anyone —
here plain SQL on another connection, as another process or an operator would — is seen by
the next read; unchanged data costs one stamp lookup; a rolled-back change leaves no trace."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from grassroots.cases.deadlines.policies import all_policies
from grassroots.dictionary.queries import categories
from grassroots.geo.locate import grid_index
from grassroots.refdata import current_stamp


def name_of(engine: Engine, code: str) -> str:
    with Session(engine) as session:
        return next(c.name for c in categories(session) if c.code == code)


def test_a_change_written_elsewhere_is_seen_by_the_next_read(fresh_engine: Engine) -> None:
    assert name_of(fresh_engine, "neighbour") == "邻里"
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE case_category SET name = '邻里关系' WHERE code = 'neighbour'"))
    assert name_of(fresh_engine, "neighbour") == "邻里关系"


def test_unchanged_reference_data_costs_one_stamp_lookup(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        categories(session), all_policies(session), grid_index(session)  # warm
        statements: list[str] = []

        def record(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
            statements.append(statement)

        event.listen(fresh_engine, "before_cursor_execute", record)
        try:
            categories(session), all_policies(session), grid_index(session)
        finally:
            event.remove(fresh_engine, "before_cursor_execute", record)
    assert len(statements) == 3 and all("reference_stamp" in s for s in statements)


def test_a_rolled_back_change_is_never_served(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        before = current_stamp(session)
        session.execute(text("UPDATE case_category SET name = '草稿' WHERE code = 'neighbour'"))
        inside = next(c.name for c in categories(session) if c.code == "neighbour")
        assert inside == "草稿" and current_stamp(session) != before  # cached under its stamp
        session.rollback()
    assert name_of(fresh_engine, "neighbour") == "邻里"
    with fresh_engine.begin() as conn:  # a later change gets a stamp of its own
        conn.execute(text("UPDATE case_category SET sort_order = sort_order WHERE code = 'labour'"))
    assert name_of(fresh_engine, "neighbour") == "邻里"


def test_every_reference_table_has_its_stamp_triggers(fresh_engine: Engine) -> None:
    from grassroots.refdata import REFERENCE_TABLES

    with fresh_engine.connect() as conn:
        if fresh_engine.dialect.name == "sqlite":
            rows = conn.execute(
                text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            )
            events = {(t, e) for t, sql in rows for e in ("INSERT", "UPDATE", "DELETE")
                      if f"AFTER {e} ON {t}" in sql and "reference_stamp" in sql}  # fmt: skip
            assert events == {
                (t, e) for t in REFERENCE_TABLES for e in ("INSERT", "UPDATE", "DELETE")
            }
        else:
            rows = conn.execute(text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'reference_stamp_bump'"
            ))  # fmt: skip
            assert sorted(r[0] for r in rows) == sorted(REFERENCE_TABLES)
