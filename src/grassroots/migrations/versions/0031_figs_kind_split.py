"""Every aggregate row carries the case's kind (issue 15 item 4)

Revision ID: 0031_figs_kind_split
Revises: 0031_joint_thread
Create Date: 2026-12-07

stats_cohort, stats_due, stats_open, stats_open_month, stats_overdue_day and
stats_overdue_month gain `kind` (dispute 矛盾纠纷 / request 诉求) as a key column, so that
every rate, the per-category tables and the as-of-day 超期 can be reported for disputes and
requests apart (docs/metrics.md). Each table is re-created with the same columns plus `kind`
in its primary key and refilled from the cases with the app's rebuild (as 0006 and 0016
do); the downgrade re-creates them without it and refills them the same way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_figs_kind_split"
down_revision: str | None = "0031_joint_thread"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (its short name in grassroots.cases.tallies.maintain, its date column)
TABLES = {
    "stats_cohort": ("cohort", "month"),
    "stats_due": ("due", "month"),
    "stats_open": ("open", "due_day"),
    "stats_open_month": ("open_month", "month"),
    "stats_overdue_day": ("overdue_day", "day"),
    "stats_overdue_month": ("overdue_month", "month"),
}
PLACE = ("category_code", "county_code")


def _columns(name: str, with_kind: bool) -> list[sa.Column]:  # type: ignore[type-arg]
    """The stored table's columns (as they are), with or without `kind`."""
    out = []
    for c in sa.inspect(op.get_bind()).get_columns(name):
        if c["name"] == "kind":
            continue
        default = c.get("default")
        out.append(
            sa.Column(
                c["name"],
                c["type"],
                nullable=c["nullable"],
                server_default=sa.text(default) if default is not None else None,
            )
        )
    if with_kind:
        out.append(sa.Column("kind", sa.String(16), nullable=False))
    return out


def _recreate(with_kind: bool) -> None:
    for name, (_, when) in TABLES.items():
        columns = _columns(name, with_kind)
        op.drop_table(name)
        key = [*PLACE, when, "township_code", "village_code", *(["kind"] if with_kind else [])]
        op.create_table(name, *columns, sa.PrimaryKeyConstraint(*key, name=f"pk_{name}"))
        op.create_index(f"ix_{name}_township", name, ["category_code", "township_code", when])
        op.create_index(f"ix_{name}_village", name, ["category_code", "village_code", when])
    _refill()


def _refill() -> None:
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM case_file LIMIT 1")).first():
        return
    from sqlalchemy.orm import Session

    from grassroots.cases.tallies.maintain import rebuild

    with Session(bind=bind) as session:  # folds the kinds together where the table lacks it
        rebuild(session, only=tuple(short for short, _ in TABLES.values()))


def upgrade() -> None:
    _recreate(with_kind=True)


def downgrade() -> None:
    _recreate(with_kind=False)
