"""Files on the handlers' messages of a joint case (issue 19)

Revision ID: 0034_joint_message_files
Revises: 0033_place_rollups
Create Date: 2026-12-07

joint_message_file links a message of the handlers' thread to the case attachments it
carries (grassroots.joint.models). Nothing to fill: earlier messages carried no files.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_joint_message_files"
down_revision: str | None = "0033_place_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    t = "joint_message_file"
    op.create_table(
        t,
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["joint_message.id"], name=op.f(f"fk_{t}_message_id_joint_message")
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["case_attachment.id"],
            name=op.f(f"fk_{t}_attachment_id_case_attachment"),
        ),
        sa.PrimaryKeyConstraint("message_id", "attachment_id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_attachment_id"), t, ["attachment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_joint_message_file_attachment_id"), table_name="joint_message_file")
    op.drop_table("joint_message_file")
