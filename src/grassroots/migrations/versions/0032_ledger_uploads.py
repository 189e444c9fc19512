"""Ledger import page: ledger_upload and ledger_mapping (issue 21)

Revision ID: 0032_ledger_uploads
Revises: 0031_figs_kind_split
Create Date: 2026-12-07

ledger_upload: a file uploaded on /ledgers/import, encrypted (data_enc, sealed
"ledger.upload"), with the sheet and mapping chosen for it; emptied once imported or
expired. ledger_mapping: a centre's column mappings saved under a name (unique per
jurisdiction), also read by `grassroots ledger import --mapping-name`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_ledger_uploads"
down_revision: str | None = "0032_federation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data_enc", sa.LargeBinary(), nullable=True),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("mapping_toml", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_ledger_upload_actor_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_upload")),
    )
    op.create_index(op.f("ix_ledger_upload_actor_id"), "ledger_upload", ["actor_id"])
    op.create_table(
        "ledger_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_ledger_mapping_actor_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_mapping")),
        sa.UniqueConstraint(
            "jurisdiction_code", "name", name=op.f("uq_ledger_mapping_jurisdiction_code_name")
        ),
    )


def downgrade() -> None:
    op.drop_table("ledger_mapping")
    op.drop_index(op.f("ix_ledger_upload_actor_id"), table_name="ledger_upload")
    op.drop_table("ledger_upload")
