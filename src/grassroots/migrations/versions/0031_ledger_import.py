"""Excel ledgers (台账): ledger_import, ledger_case and the source 台账导入 (issue 21)

Revision ID: 0031_ledger_import
Revises: 0030_figs_month_limit
Create Date: 2026-12-07

ledger_import: one row per imported sheet, unique on the file's SHA-256 and the sheet name
(the same file imported again writes nothing). ledger_case: the case each ledger row became,
its keyed fingerprint (the same dispute found again) and the ledger's own columns (调解员,
卷宗号, 调解结果 and 协议履行情况 as written, 回访情况 encrypted). case_source gains
`ledger` (台账导入), the source of every imported case.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_ledger_import"
down_revision: str | None = "0030_figs_month_limit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_ledger_import_actor_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_import")),
        sa.UniqueConstraint(
            "file_sha256", "sheet", name=op.f("uq_ledger_import_file_sha256_sheet")
        ),
    )
    op.create_table(
        "ledger_case",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("mediator", sa.String(length=64), nullable=False),
        sa.Column("file_no", sa.String(length=64), nullable=False),
        sa.Column("outcome_text", sa.String(length=64), nullable=False),
        sa.Column("performance_text", sa.String(length=200), nullable=False),
        sa.Column("follow_up_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_ledger_case_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["ledger_import.id"], name=op.f("fk_ledger_case_import_id_ledger_import")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_ledger_case")),
    )
    op.create_index(op.f("ix_ledger_case_import_id"), "ledger_case", ["import_id"])
    op.create_index(op.f("ix_ledger_case_fingerprint"), "ledger_case", ["fingerprint"])
    op.execute(
        "INSERT INTO case_source (code, name, name_en, sort_order, active) "
        "VALUES ('ledger', '台账导入', 'Ledger import', 90, true)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM case_source WHERE code = 'ledger'")
    op.drop_index(op.f("ix_ledger_case_fingerprint"), table_name="ledger_case")
    op.drop_index(op.f("ix_ledger_case_import_id"), table_name="ledger_case")
    op.drop_table("ledger_case")
    op.drop_table("ledger_import")
