"""Ledger uploads keep their preview and their import's progress (issue 21)

Revision ID: 0033_ledger_preview
Revises: 0032_fed_documents
Create Date: 2026-12-07

ledger_upload.preview_key / preview_enc: the dry run's result for the file, sheet and
mapping it was made for (sealed "ledger.preview"), so viewing the preview again does not
check every row again. progress_*: the state of 导入 (running by host:pid, rows written of
rows to write, last heard at; failed), readable by every process.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033_ledger_preview"
down_revision: str | None = "0032_fed_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_upload") as batch:
        batch.add_column(sa.Column("preview_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("preview_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(
            sa.Column("progress_state", sa.String(length=16), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("progress_by", sa.String(length=80), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("progress_done", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("progress_total", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_upload") as batch:
        for name in ("progress_at", "progress_total", "progress_done", "progress_by",
                     "progress_state", "preview_enc", "preview_key"):  # fmt: skip
            batch.drop_column(name)
