"""The paired wall screens of the 指挥中心大屏 (issue 22)

Revision ID: 0032_screens
Revises: 0031_figs_kind_split
Create Date: 2026-12-07

One table, `screen`: a name, the jurisdiction it shows, its layout preset, the SHA-256 of
its one-time pairing code (with its expiry) and of its session cookie, and when it was
paired and revoked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_screens"
down_revision: str | None = "0032_ledger_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    utc = sa.DateTime(timezone=True)
    op.create_table(
        "screen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("preset", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", utc, nullable=True),
        sa.Column("session_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("paired_at", utc, nullable=True),
        sa.Column("revoked_at", utc, nullable=True),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_screen_jurisdiction_id_jurisdiction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen")),
        sa.UniqueConstraint("name", name=op.f("uq_screen_name")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_screen_code_hash")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_screen_session_hash")),
    )
    op.create_index(op.f("ix_screen_jurisdiction_id"), "screen", ["jurisdiction_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_screen_jurisdiction_id"), table_name="screen")
    op.drop_table("screen")
