"""Reference stamp: a value the database changes with every write to reference data

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

reference_stamp (one row) and triggers on calendar_year, calendar_day, deadline_policy,
case_category, case_source, jurisdiction, boundary and unit that set it to a new random value
in the writing transaction. The processes' caches of that data (grassroots.refdata) compare
it to the stamp they cached under.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("calendar_year", "calendar_day", "deadline_policy", "case_category", "case_source",
          "jurisdiction", "boundary", "unit")  # fmt: skip

PG_FUNCTION = """
CREATE FUNCTION reference_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reference_stamp SET stamp = md5(random()::text || clock_timestamp()::text)
  WHERE id = 1;
  RETURN NULL;
END $$
"""


SQLITE_TRIGGER = (
    "CREATE TRIGGER {table}_reference_stamp_{name} AFTER {event} ON {table} "
    "BEGIN UPDATE reference_stamp SET stamp = lower(hex(randomblob(16))) WHERE id = 1; END"
)


def upgrade() -> None:
    op.create_table(
        "reference_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_stamp")),
    )
    op.execute("INSERT INTO reference_stamp (id, stamp) VALUES (1, 'initial')")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_reference_stamp AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_stamp_bump()"
            )
        return
    for table in TABLES:  # SQLite: row triggers only, one per kind of write
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(SQLITE_TRIGGER.format(table=table, event=event, name=event.lower()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_reference_stamp ON {table}")
        op.execute("DROP FUNCTION reference_stamp_bump()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_reference_stamp_{event}")
    op.drop_table("reference_stamp")
