"""Rounds: a matter found on a round may become a lead (round_matter.lead_code)

Revision ID: 0030b_leads_round_matter
Revises: 0030_merge_hotline_reply
Create Date: 2026-12-07

A noted matter becomes a lead in one step (grassroots.leads.found): the matter keeps the
lead's code (outcome 'lead'), the lead finds its matter by that code — linked both ways.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030b_leads_round_matter"
down_revision: str | None = "0030_merge_hotline_reply"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_matter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_code", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_round_matter_lead_code"), ["lead_code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_round_matter_lead_code_lead"), "lead", ["lead_code"], ["code"]
        )
        batch_op.drop_constraint(batch_op.f("ck_round_matter_outcome"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_round_matter_outcome"), "outcome in ('case','noted','lead')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_round_matter_lead_link"), "(outcome = 'lead') = (lead_code is not null)"
        )


def downgrade() -> None:
    op.execute("UPDATE round_matter SET outcome = 'noted' WHERE outcome = 'lead'")
    with op.batch_alter_table("round_matter", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_round_matter_lead_link"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_round_matter_outcome"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_round_matter_outcome"), "outcome in ('case','noted')"
        )
        batch_op.drop_constraint(batch_op.f("fk_round_matter_lead_code_lead"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_round_matter_lead_code"))
        batch_op.drop_column("lead_code")
