"""Attachments of cases and of their timeline entries (issue 20)

Revision ID: 0031_field_attachments
Revises: 0031_ledger_import
Create Date: 2026-12-07

case_attachment: one row per file on a case (optionally on one timeline entry); the bytes are
on disk under their SHA-256 (GRASSROOTS_ATTACHMENTS_DIR). No original file name is kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_field_attachments"
down_revision: str | None = "0031_ledger_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("case_event.id"), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("kept_location", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "sha256", name="uq_case_attachment_file"),
    )
    op.create_index("ix_case_attachment_case_id", "case_attachment", ["case_id"])
    op.create_index("ix_case_attachment_sha256", "case_attachment", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_case_attachment_sha256", "case_attachment")
    op.drop_index("ix_case_attachment_case_id", "case_attachment")
    op.drop_table("case_attachment")
