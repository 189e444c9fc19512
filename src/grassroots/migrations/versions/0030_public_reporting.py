"""Residents' reports: receipt codes, ratings, spam marks; SMS to a resident's phone

Revision ID: 0030_public_reporting
Revises: 0030_merge_hotline_reply
Create Date: 2026-12-07

The source 群众自报 (resident_report). public_report links a resident's report to its case
(the receipt code's keyed hash, the consent version); public_rating holds the resident's rating of each
resolution. case_file.resident_rating (the latest rating, a source of 满意率 of its own) and
case_file.spam (left out of every figure); stats_cohort.resident_rated / resident_satisfied
(no case has a rating yet: 0 is exact for every existing row). notification_direct: a message
to an address that is no user's (the receipt code by SMS), sent by the outbox job.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_public_reporting"
down_revision: str | None = "0030_merge_hotline_reply"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case_file", sa.Column("resident_rating", sa.String(32), nullable=True))
    op.add_column(
        "case_file", sa.Column("spam", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    for name in ("resident_rated", "resident_satisfied"):
        op.add_column(
            "stats_cohort", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
        )
    source = sa.table("case_source", sa.column("code"), sa.column("name"),
                      sa.column("name_en"), sa.column("sort_order"), sa.column("active"))  # fmt: skip
    op.bulk_insert(source, [{"code": "resident_report", "name": "群众自报",
                             "name_en": "Resident's own report", "sort_order": 20,
                             "active": True}])  # fmt: skip
    _reports()
    _direct()


def _reports() -> None:
    op.create_table(
        "public_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("receipt_hash", sa.String(64), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("consent_version", sa.String(16), nullable=False),
        sa.Column("sms_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_public_report_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_report")),
        sa.UniqueConstraint("case_id", name=op.f("uq_public_report_case_id")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_public_report_receipt_hash")),
    )  # fmt: skip
    op.create_table(
        "public_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"],
                                name=op.f("fk_public_rating_report_id_public_report")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_rating")),
        sa.UniqueConstraint("report_id", "round", name=op.f("uq_public_rating_report_id_round")),
    )  # fmt: skip
    op.create_index(op.f("ix_public_rating_report_id"), "public_rating", ["report_id"])


def _direct() -> None:
    op.create_table(
        "notification_direct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("address_enc", sa.LargeBinary(), nullable=False),
        sa.Column("text_enc", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state in ('pending','sent','failed','gave_up')",
                           name=op.f("ck_notification_direct_state")),
        sa.ForeignKeyConstraint(["channel_id"], ["notification_channel.id"],
                                name=op.f("fk_notification_direct_channel_id_notification_channel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_direct")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_notification_direct_channel_id"), "notification_direct", ["channel_id"]
    )
    op.create_index(
        "ix_notification_direct_due", "notification_direct", ["state", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("notification_direct")
    op.drop_table("public_rating")
    op.drop_table("public_report")
    for name in ("resident_rated", "resident_satisfied"):
        op.drop_column("stats_cohort", name)
    # Plain DROP COLUMN (SQLite 3.35+), as 0023: a batch rebuild would drop case_file.
    op.drop_column("case_file", "spam")
    op.drop_column("case_file", "resident_rating")
    op.execute("DELETE FROM case_source WHERE code = 'resident_report'")
