"""Deadline policies by source: 12345 work orders get the hotline's limits

Revision ID: 0022
Revises: 0013
Create Date: 2026-12-06

deadline_policy gains source_code ("" = every source) and its unique key becomes (source,
category, level, violence_risk). Seeds the rows for source hotline_12345 (签收 1 working
day, 办结 15, 回访 5 — a county changes them to its own 12345 platform's rules, issue 15
item 14). SQLite rebuilds the table for the new key, which drops its triggers: the reference
stamp triggers of 0009 are created again.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY = "uq_deadline_policy_category_code_level_violence_risk"
NEW_KEY = "uq_deadline_policy_key"
SQLITE_TRIGGER = (
    "CREATE TRIGGER deadline_policy_reference_stamp_{name} AFTER {event} ON deadline_policy "
    "BEGIN UPDATE reference_stamp SET stamp = lower(hex(randomblob(16))) WHERE id = 1; END"
)
BASIS = (
    "12345 热线工单：签收 1 个工作日、办结 15 个工作日、回访 5 个工作日（默认值，请按本地 12345 "
    "平台的规定修改）/ 12345 work orders: defaults, set to the local hotline platform's rules"
)
HOTLINE = [("village", True), ("township", True), ("county", False), ("city", False)]


def _rekey(columns: list[str], drop: str, name: str, *, drop_source: bool = False) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(drop, "deadline_policy", type_="unique")
        op.create_unique_constraint(name, "deadline_policy", columns)
        if drop_source:
            op.drop_column("deadline_policy", "source_code")
        return
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS deadline_policy_reference_stamp_{event}")
    with op.batch_alter_table("deadline_policy", recreate="always") as batch:
        batch.drop_constraint(drop, type_="unique")
        batch.create_unique_constraint(name, columns)
        if drop_source:
            batch.drop_column("source_code")
    for event in ("INSERT", "UPDATE", "DELETE"):
        op.execute(SQLITE_TRIGGER.format(event=event, name=event.lower()))


def upgrade() -> None:
    op.add_column(
        "deadline_policy",
        sa.Column("source_code", sa.String(length=32), nullable=False, server_default=""),
    )
    _rekey(["source_code", "category_code", "level", "violence_risk"], OLD_KEY, NEW_KEY)
    table = sa.table(
        "deadline_policy",
        *(sa.column(c) for c in ("source_code", "category_code", "level", "violence_risk",
                                 "accept_days", "resolve_days", "follow_up_days",
                                 "auto_escalate", "basis", "updated_at")),
    )  # fmt: skip
    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {"source_code": "hotline_12345", "category_code": "", "level": level,
             "violence_risk": False, "accept_days": 1, "resolve_days": 15,
             "follow_up_days": 5, "auto_escalate": auto, "basis": BASIS, "updated_at": now}
            for level, auto in HOTLINE
        ],
    )  # fmt: skip


def downgrade() -> None:
    op.execute("DELETE FROM deadline_policy WHERE source_code <> ''")
    _rekey(["category_code", "level", "violence_risk"], NEW_KEY, OLD_KEY, drop_source=True)
