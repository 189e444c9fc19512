"""Leads: the figures' aggregate table lead_tally

Revision ID: 0020b
Revises: 0016
Create Date: 2026-12-06

One row per year received × jurisdiction × issuing body × batch × source × category, kept
exact by every write of a lead (grassroots.leads.reporting.tallies). Built from the leads already
stored, so that it agrees with them from the start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020b"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = ("year", "jurisdiction_code", "issuing_body", "batch", "source", "category_code")
COUNTERS = ("received", "verified", "replied", "substantiated", "partly", "to_case")


def upgrade() -> None:
    op.create_table(
        "lead_tally",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("issuing_body", sa.String(length=100), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        *[sa.Column(c, sa.Integer(), nullable=False) for c in COUNTERS],
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_lead_tally")),
    )
    # Leads stored before this revision (none unless 0020 ran on its own for a while).
    lead = sa.table("lead", *[sa.column(c) for c in (
        "received_on", "jurisdiction_code", "issuing_body", "batch", "source",
        "category_code", "state", "finding", "case_id", "parent_id")])  # fmt: skip
    done = lead.c.state.in_(["verified", "replied", "closed"])

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    year = sa.cast(sa.extract("year", lead.c.received_on), sa.Integer)
    keys = [year, lead.c.jurisdiction_code, lead.c.issuing_body, lead.c.batch, lead.c.source,
            lead.c.category_code]  # fmt: skip
    rows = (
        sa.select(
            *keys,
            sa.func.count(),
            count(done),
            count(lead.c.state.in_(["replied", "closed"])),
            count(done & (lead.c.finding == "substantiated")),
            count(done & (lead.c.finding == "partly")),
            count(lead.c.case_id.is_not(None)),
        )
        .where(lead.c.parent_id.is_(None))
        .group_by(*keys)
    )
    tally = sa.table("lead_tally", *[sa.column(c) for c in KEYS + COUNTERS])
    op.execute(sa.insert(tally).from_select(list(KEYS + COUNTERS), rows))


def downgrade() -> None:
    op.drop_table("lead_tally")
