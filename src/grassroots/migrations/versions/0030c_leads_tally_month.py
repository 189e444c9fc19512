"""Leads: lead_tally by month received, for the figures of a report's period

Revision ID: 0030c_leads_tally_month
Revises: 0030b_leads_round_matter
Create Date: 2026-12-07

The key gains the month of received_on (the work report's leads section covers a month,
quarter, half or year). The table is rebuilt from the leads stored, as 0020b built it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030c_leads_tally_month"
down_revision: str | None = "0030b_leads_round_matter"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REST = ("jurisdiction_code", "issuing_body", "batch", "source", "category_code")
COUNTERS = ("received", "verified", "replied", "substantiated", "partly", "to_case")


def _create(keys: tuple[str, ...]) -> None:
    types = {"jurisdiction_code": sa.String(12), "issuing_body": sa.String(100),
             "batch": sa.String(64), "source": sa.String(16), "category_code": sa.String(32)}  # fmt: skip
    op.create_table(
        "lead_tally",
        *[sa.Column(k, types.get(k, sa.Integer()), nullable=False) for k in keys],
        *[sa.Column(c, sa.Integer(), nullable=False) for c in COUNTERS],
        sa.PrimaryKeyConstraint(*keys, name=op.f("pk_lead_tally")),
    )


def _fill(keys: tuple[str, ...]) -> None:
    lead = sa.table("lead", *[sa.column(c) for c in (
        "received_on", *REST, "state", "finding", "case_id", "parent_id")])  # fmt: skip
    done = lead.c.state.in_(["verified", "replied", "closed"])

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    parts = {
        "year": sa.cast(sa.extract("year", lead.c.received_on), sa.Integer),
        "month": sa.cast(sa.extract("month", lead.c.received_on), sa.Integer),
    }
    group = [parts[k] if k in parts else lead.c[k] for k in keys]
    rows = (
        sa.select(
            *group, sa.func.count(), count(done),
            count(lead.c.state.in_(["replied", "closed"])),
            count(done & (lead.c.finding == "substantiated")),
            count(done & (lead.c.finding == "partly")),
            count(lead.c.case_id.is_not(None)),
        )
        .where(lead.c.parent_id.is_(None))
        .group_by(*group)
    )  # fmt: skip
    tally = sa.table("lead_tally", *[sa.column(c) for c in keys + COUNTERS])
    op.execute(sa.insert(tally).from_select(list(keys + COUNTERS), rows))


def upgrade() -> None:
    op.drop_table("lead_tally")
    keys = ("year", "month", *REST)
    _create(keys)
    _fill(keys)


def downgrade() -> None:
    op.drop_table("lead_tally")
    keys = ("year", *REST)
    _create(keys)
    _fill(keys)
