"""Joint cases (联调): each side's tasks and the handlers' message thread (issue 19)

Revision ID: 0031_joint_thread
Revises: 0031_field_attachments
Create Date: 2026-12-07

Two new tables; their free text is sealed under the keyring's "joint" usage.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_joint_thread"
down_revision: str | None = "0031_field_attachments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    utc = sa.DateTime(timezone=True)
    op.create_table(
        "joint_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("done_at", utc, nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        _fk("joint_task", "case_id", "case_file"),
        _fk("joint_task", "jurisdiction_id", "jurisdiction"),
        _fk("joint_task", "unit_id", "unit"),
        _fk("joint_task", "created_by_id", "app_user"),
        _fk("joint_task", "done_by_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_task")),
    )
    op.create_index(op.f("ix_joint_task_case_id"), "joint_task", ["case_id"])
    op.create_table(
        "joint_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("body_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        _fk("joint_message", "case_id", "case_file"),
        _fk("joint_message", "author_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_message")),
    )
    op.create_index(op.f("ix_joint_message_case_id"), "joint_message", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_joint_message_case_id"), table_name="joint_message")
    op.drop_table("joint_message")
    op.drop_index(op.f("ix_joint_task_case_id"), table_name="joint_task")
    op.drop_table("joint_task")
