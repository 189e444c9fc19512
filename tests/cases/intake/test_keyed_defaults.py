"""The keyed registration on PostgreSQL writes its rows in one statement of data-modifying
CTEs, where SQLAlchemy applies no column defaults (it names a left-out column with a NULL
parameter): insert_values fills each left-out column's default itself, so a new NOT NULL
column with a default never breaks that path (case_file.spam once did)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from grassroots.cases.intake.actions import CASE_TABLE
from grassroots.cases.intake.keyed import insert_values, omitted_defaults


def _probe() -> Table:
    """A table with defaulted NOT NULL columns that the INSERT below leaves out."""
    return Table(
        "keyed_defaults_probe", MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(20), nullable=False),
        Column("flag", Boolean, nullable=False, default=False),
        Column("count", Integer, nullable=False, default=3),
        Column("note", String(20), nullable=False, default=""),
        prefixes=["TEMPORARY"],
    )  # fmt: skip


@pytest.mark.postgres_only
def test_a_left_out_not_null_column_gets_its_default_inside_a_cte(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no INSERT inside a WITH clause (the keyed path is PostgreSQL's)")
    table = _probe()
    connection = session.connection()
    table.create(connection)  # a temporary table, gone with the test's rollback
    new_row = insert(table).values(insert_values(table, "x_", ("name",)))
    cte = new_row.returning(table.c.id).cte("new_row")
    row_id = connection.execute(select(cte.c.id), {"x_name": "甲"}).scalar_one()
    stored = connection.execute(select(table.c.flag, table.c.count, table.c.note)).one()
    assert row_id and tuple(stored) == (False, 3, "")


def test_the_defaults_are_filled_only_where_a_column_is_left_out() -> None:
    table = _probe()
    values = insert_values(table, "x_", ("name", "flag"))
    assert set(values) == {"name", "flag", "count", "note"}
    assert cast(Any, values["flag"]).key == "x_flag"  # given: the caller's parameter
    assert cast(Any, values["count"]).value == 3 and cast(Any, values["note"]).value == ""


def test_a_case_left_without_spam_gets_its_default() -> None:
    given = [c.key for c in CASE_TABLE.c if c.key != "spam"]
    assert omitted_defaults(CASE_TABLE, given) == {"spam": False}


def test_a_left_out_column_with_a_computed_default_is_refused() -> None:
    given = [c.key for c in CASE_TABLE.c if c.key != "registered_at"]
    with pytest.raises(ValueError, match=r"case_file\.registered_at"):
        omitted_defaults(CASE_TABLE, given)
