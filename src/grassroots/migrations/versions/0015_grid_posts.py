"""Grid posts: 网格长 and 网格员 per grid with start and end dates

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-06

grid_post holds who serves each grid over which days (geo.posts): a change of worker ends
the old row and adds a new one, so the table is the grid's history and intake routes a new
case to the worker serving its grid on the day it is registered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grid_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('leader','worker')", name=op.f("ck_grid_post_kind")),
        sa.CheckConstraint("end_on is null or end_on >= start_on", name=op.f("ck_grid_post_dates")),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["jurisdiction.id"], name=op.f("fk_grid_post_grid_id_jurisdiction")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_grid_post_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_post")),
    )
    with op.batch_alter_table("grid_post", schema=None) as batch_op:
        batch_op.create_index("ix_grid_post_grid_end", ["grid_id", "end_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_grid_post_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grid_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grid_post_user_id"))
        batch_op.drop_index("ix_grid_post_grid_end")
    op.drop_table("grid_post")
