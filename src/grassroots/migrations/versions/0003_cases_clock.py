"""calendar and deadlines: official holiday schedule, deadline policies, sweep marks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Seeds deadline_policy with the defaults documented (with their sources) in docs/deadlines.md.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEDIATION = "《人民调解工作若干规定》（司法部令第75号）第三十三条：一般在一个月内调结"
PETITION = "《信访工作条例》（2022）：自受理之日起60日内办结"
PROJECT = "本项目默认值（无全国统一规定），可按本地制度修改"
RISK = "民转刑风险案件从严：本项目默认值（无全国统一规定），可按本地制度修改"

# (level, violence_risk, accept, resolve, follow_up, auto_escalate, basis) — working days.
DEFAULT_POLICIES = [
    (
        "village",
        False,
        3,
        20,
        10,
        True,
        f"化解：{MEDIATION}（约20个工作日）；受理、回访：{PROJECT}",
    ),
    (
        "township",
        False,
        3,
        20,
        10,
        True,
        f"化解：{MEDIATION}（约20个工作日）；受理、回访：{PROJECT}",
    ),
    ("county", False, 5, 40, 10, False, f"化解：{PETITION}（约40个工作日）；受理、回访：{PROJECT}"),
    ("city", False, 5, 40, 10, False, f"化解：{PETITION}（约40个工作日）；受理、回访：{PROJECT}"),
    ("village", True, 1, 5, 5, True, RISK),
    ("township", True, 1, 10, 5, True, RISK),
    ("county", True, 1, 15, 5, False, RISK),
    ("city", True, 1, 15, 5, False, RISK),
]


def upgrade() -> None:
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["app_user.id"], name=op.f("fk_calendar_day_entered_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_day")),
    )
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("notice", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["app_user.id"], name=op.f("fk_calendar_year_entered_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_year")),
    )
    policy = op.create_table(
        "deadline_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("violence_risk", sa.Boolean(), nullable=False),
        sa.Column("accept_days", sa.Integer(), nullable=False),
        sa.Column("resolve_days", sa.Integer(), nullable=False),
        sa.Column("follow_up_days", sa.Integer(), nullable=False),
        sa.Column("auto_escalate", sa.Boolean(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["app_user.id"],
            name=op.f("fk_deadline_policy_updated_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_policy")),
        sa.UniqueConstraint(
            "category_code",
            "level",
            "violence_risk",
            name=op.f("uq_deadline_policy_category_code_level_violence_risk"),
        ),
    )
    op.create_table(
        "deadline_sweep_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("signal", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_deadline_sweep_mark_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_sweep_mark")),
        sa.UniqueConstraint(
            "case_id",
            "kind",
            "due",
            "signal",
            name=op.f("uq_deadline_sweep_mark_case_id_kind_due_signal"),
        ),
    )
    with op.batch_alter_table("deadline_sweep_mark", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_sweep_mark_case_id"), ["case_id"], unique=False
        )

    now = datetime.now(UTC)
    op.bulk_insert(
        policy,
        [
            {
                "category_code": "",
                "level": level,
                "violence_risk": risk,
                "accept_days": accept,
                "resolve_days": resolve,
                "follow_up_days": follow_up,
                "auto_escalate": auto,
                "basis": basis,
                "updated_at": now,
            }
            for level, risk, accept, resolve, follow_up, auto, basis in DEFAULT_POLICIES
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("deadline_sweep_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_sweep_mark_case_id"))
    op.drop_table("deadline_sweep_mark")
    op.drop_table("deadline_policy")
    op.drop_table("calendar_year")
    op.drop_table("calendar_day")
