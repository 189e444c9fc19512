"""边界联席会议 (issue 19): meetings, their jurisdictions and cases, and their decisions

Revision ID: 0032_border
Revises: 0031_figs_kind_split
Create Date: 2026-12-07

Four new tables; topics, notes and decisions are sealed under the keyring's "border" usage.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_border"
down_revision: str | None = "0031_figs_kind_split"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _link(table: str, column: str, target: str) -> None:
    op.create_table(
        table,
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        _fk(table, "meeting_id", "border_meeting"),
        _fk(table, column, target),
        sa.PrimaryKeyConstraint("meeting_id", column, name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    utc = sa.DateTime(timezone=True)
    op.create_table(
        "border_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("outside", sa.JSON(), nullable=False),
        sa.Column("topics_enc", sa.LargeBinary(), nullable=False),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        _fk("border_meeting", "created_by_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_border_meeting")),
    )
    op.create_index(op.f("ix_border_meeting_held_on"), "border_meeting", ["held_on"])
    _link("border_meeting_place", "jurisdiction_id", "jurisdiction")
    _link("border_meeting_case", "case_id", "case_file")
    op.create_table(
        "border_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        _fk("border_decision", "meeting_id", "border_meeting"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_border_decision")),
    )
    op.create_index(op.f("ix_border_decision_meeting_id"), "border_decision", ["meeting_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_border_decision_meeting_id"), table_name="border_decision")
    op.drop_table("border_decision")
    for table, column in (("border_meeting_case", "case_id"),
                          ("border_meeting_place", "jurisdiction_id")):  # fmt: skip
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_border_meeting_held_on"), table_name="border_meeting")
    op.drop_table("border_meeting")
