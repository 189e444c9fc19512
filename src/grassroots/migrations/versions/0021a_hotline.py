"""12345 work orders: hotline_order, and the case's deadline set by its source

Revision ID: 0021a
Revises: 0020
Create Date: 2026-12-06

hotline_order links each imported 12345 work order (工单编号, unique) to its case with the
order's times; case_file.source_due_on keeps a deadline the source set (办理时限), which no
accept or resolve clock of the case runs past. (0021a: the second part of issue 18's
migration 0021, which main had already merged.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021a"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_due_on", sa.Date(), nullable=True))
    op.create_table(
        "hotline_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demand_type", sa.String(length=64), nullable=False),
        sa.Column("time_limit_on", sa.Date(), nullable=True),
        sa.Column("feedback_due_on", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_hotline_order_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_order")),
        sa.UniqueConstraint("case_id", name=op.f("uq_hotline_order_case_id")),
        sa.UniqueConstraint("order_no", name=op.f("uq_hotline_order_order_no")),
    )


def downgrade() -> None:
    op.drop_table("hotline_order")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_column("source_due_on")
