"""12345 replies (办结反馈) posted through the notification outbox

Revision ID: 0030_merge_hotline_reply
Revises: 0030_day_contact_sealed
Create Date: 2026-12-07

notification_delivery gains deliveries that are not a person's notice: notification_id
becomes nullable; `topic` names what such a delivery carries (hotline_reply), `payload` its
JSON body, `dedupe_key` (unique) the one row per thing it carries (hotline_reply:<工单编号>).
hotline_order.reply_case_version: the case's version when its reply was last put in the outbox
(a later action on the case may change the reply). Existing rows: the
deliveries of notices keep topic "" and no payload; no order has a reply queued yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_merge_hotline_reply"
down_revision: str | None = "0030_day_contact_sealed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A batch rebuild: SQLite cannot make a column nullable in place (no table points at
    # notification_delivery, so the rebuild is safe under foreign keys).
    with op.batch_alter_table("notification_delivery", schema=None) as batch_op:
        batch_op.alter_column("notification_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("topic", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=128), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_notification_delivery_dedupe_key"), ["dedupe_key"]
        )
    op.add_column("hotline_order", sa.Column("reply_case_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("hotline_order", "reply_case_version")
    op.execute("DELETE FROM notification_delivery WHERE notification_id IS NULL")
    with op.batch_alter_table("notification_delivery", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_notification_delivery_dedupe_key"), type_="unique")
        batch_op.drop_column("dedupe_key")
        batch_op.drop_column("payload")
        batch_op.drop_column("topic")
        batch_op.alter_column("notification_id", existing_type=sa.Integer(), nullable=False)
