"""report templates and stored reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

Tables of grassroots.reports.models: uploaded Word templates and generated report files.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("jurisdiction_code", sa.String(15), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name="fk_report_template_uploaded_by_id_app_user"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_template"),
    )
    op.create_index(
        "ix_report_template_jurisdiction_code", "report_template", ["jurisdiction_code"]
    )
    op.create_table(
        "report_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(15), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("stored_name", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["report_template.id"],
            name="fk_report_file_template_id_report_template",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name="fk_report_file_created_by_id_app_user"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_file"),
        sa.UniqueConstraint("stored_name", name="uq_report_file_stored_name"),
    )
    op.create_index("ix_report_file_scope", "report_file", ["jurisdiction_code", "period", "fmt"])


def downgrade() -> None:
    op.drop_table("report_file")
    op.drop_table("report_template")
