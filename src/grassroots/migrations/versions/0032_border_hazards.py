"""边界隐患 (issue 19): boundary hazards as places, their owners, links and timeline

Revision ID: 0032_border_hazards
Revises: 0032_border
Create Date: 2026-12-07

Five new tables; description, measures and timeline notes are sealed under the keyring's
"border" usage.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_border_hazards"
down_revision: str | None = "0032_screens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
LINKS = (
    ("border_hazard_place", "jurisdiction_id", "jurisdiction"),
    ("border_hazard_case", "case_id", "case_file"),
    ("border_hazard_meeting", "meeting_id", "border_meeting"),
)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _link(table: str, column: str, target: str) -> None:
    op.create_table(
        table,
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        _fk(table, "hazard_id", "border_hazard"),
        _fk(table, column, target),
        sa.PrimaryKeyConstraint("hazard_id", column, name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    utc = sa.DateTime(timezone=True)
    op.create_table(
        "border_hazard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("risk", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=False),
        sa.Column("outside", sa.JSON(), nullable=False),
        sa.Column("description_enc", sa.LargeBinary(), nullable=False),
        sa.Column("measures_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        _fk("border_hazard", "created_by_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_border_hazard")),
    )
    op.create_index(op.f("ix_border_hazard_status"), "border_hazard", ["status"])
    for table, column, target in LINKS:
        _link(table, column, target)
    op.create_table(
        "border_hazard_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("at", utc, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note_enc", sa.LargeBinary(), nullable=False),
        _fk("border_hazard_event", "hazard_id", "border_hazard"),
        _fk("border_hazard_event", "actor_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_border_hazard_event")),
    )
    for column in ("hazard_id", "at"):
        op.create_index(op.f(f"ix_border_hazard_event_{column}"), "border_hazard_event", [column])


def downgrade() -> None:
    for column in ("hazard_id", "at"):
        op.drop_index(op.f(f"ix_border_hazard_event_{column}"), table_name="border_hazard_event")
    op.drop_table("border_hazard_event")
    for table, column, _target in reversed(LINKS):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_border_hazard_status"), table_name="border_hazard")
    op.drop_table("border_hazard")
