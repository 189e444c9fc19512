"""Roll-up rows per township and county in the aggregate tables (issue 22)

Revision ID: 0033_place_rollups
Revises: 0033_federation_keys
Create Date: 2026-12-07

stats_cohort, stats_due, stats_open, stats_open_month, stats_overdue_day and
stats_overdue_month gain, beside each village row, the row of its township (village_code
"*") and of its county (township_code and village_code "*"), for every category and the
all-categories row, so that a city's dashboard sums 12 county rows per month instead of
every village's (grassroots.cases.tallies.contribution.rolled_up). No column changes: the
roll-ups are filled with SQL from the village rows (any left by an earlier revision's
rebuild are replaced first). The downgrade deletes them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_place_rollups"
down_revision: str | None = "0033_federation_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → its date column and counters
TABLES = {
    "stats_cohort": ("month", (
        "registered", "accepted", "resolved", "terminated", "rejected", "resolved_village",
        "resolved_township", "resolved_county", "resolved_city", "escalated_beyond",
        "followed_up", "satisfied", "resident_rated", "resident_satisfied", "violence_risk",
        "violence_resolved", "duration_days",
    )),
    "stats_due": ("month", ("due", "on_time", "on_time_terminated")),
    "stats_open": ("due_day", ("open_count",)),
    "stats_open_month": ("month", ("open_count",)),
    "stats_overdue_day": ("day", ("net",)),
    "stats_overdue_month": ("month", ("net",)),
}  # fmt: skip
ALL = "'*'"


def _delete_rollups(name: str) -> None:
    op.execute(f"DELETE FROM {name} WHERE township_code = {ALL} OR village_code = {ALL}")  # noqa: S608


def _fill(name: str, when: str, counters: tuple[str, ...], township: str) -> None:
    """Insert the roll-ups of the village rows: per township (`township` = the column) or
    per county (`township` = '*')."""
    keys = f"category_code, county_code, {when}, kind"
    group = keys if township == ALL else f"{keys}, township_code"
    sums = ", ".join(f"SUM({c})" for c in counters)
    op.execute(
        f"INSERT INTO {name} ({keys}, township_code, village_code, {', '.join(counters)}) "  # noqa: S608
        f"SELECT {keys}, {township}, {ALL}, {sums} FROM {name} "
        f"WHERE township_code <> {ALL} AND village_code <> {ALL} GROUP BY {group}"
    )


def upgrade() -> None:
    for name, (when, counters) in TABLES.items():
        _delete_rollups(name)
        _fill(name, when, counters, "township_code")
        _fill(name, when, counters, ALL)


def downgrade() -> None:
    for name in TABLES:
        _delete_rollups(name)
