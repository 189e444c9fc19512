"""Agreement performance found at follow-up, and the route taken when it was not performed

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

case_file.performance (the latest follow-up's finding) and case_file.performance_route
(urge / judicial_confirmation / litigation; issue 15 item 12). Existing rows: the latest
follow_up event's performance is copied; no route is known for them, so a case already
closed keeps its outcome.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case_file", sa.Column("performance", sa.String(length=24), nullable=True))
    op.add_column("case_file", sa.Column("performance_route", sa.String(length=32), nullable=True))
    event = sa.table(
        "case_event", sa.column("id"), sa.column("case_id"), sa.column("action"),
        sa.column("details", sa.JSON()),
    )  # fmt: skip
    case = sa.table("case_file", sa.column("id"), sa.column("performance"))
    bind = op.get_bind()
    latest = (
        sa.select(event.c.case_id, sa.func.max(event.c.id).label("id"))
        .where(event.c.action == "follow_up")
        .group_by(event.c.case_id)
        .subquery()
    )
    rows = bind.execute(
        sa.select(event.c.case_id, event.c.details).join(latest, latest.c.id == event.c.id)
    )
    for case_id, details in rows:
        found = (details or {}).get("performance")
        if found:
            bind.execute(case.update().where(case.c.id == case_id).values(performance=found))


def downgrade() -> None:
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("performance_route")
        batch.drop_column("performance")
