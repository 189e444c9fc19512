"""Leads (线索): the lead, its timeline, the overdue sweep's marks, the public path's hits and
the county's dictionary of lead categories

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-06

A lead is verified on a deadline, replied to and cleared to zero (grassroots.leads). The
people it names and its informant are ciphertext columns; there is no table of persons.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


CATEGORIES = [
    ("dispute_risk", "矛盾纠纷隐患", "Dispute risk"),
    ("safety_hazard", "安全隐患", "Safety hazard"),
    ("organised_crime", "涉黑涉恶", "Organised crime"),
    ("official_misconduct", "公职人员问题", "Misconduct of officials"),
    ("other", "其他", "Other"),
]


def _seed() -> None:
    table = sa.table(
        "lead_category",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_en", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    rows = [
        {"code": c, "name": n, "name_en": e, "sort_order": i, "active": True}
        for i, (c, n, e) in enumerate(CATEGORIES, 1)
    ]
    op.bulk_insert(table, rows)


def upgrade() -> None:
    op.create_table(
        "lead_category",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), server_default="", nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_lead_category")),
    )
    _seed()
    op.create_table(
        "lead_public_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_public_hit")),
    )
    with op.batch_alter_table("lead_public_hit", schema=None) as batch_op:
        batch_op.create_index("ix_lead_public_hit_key", ["bucket", "client", "at"], unique=False)

    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("issuing_body", sa.String(length=100), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("subject_unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_basis", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.String(length=16), nullable=True),
        sa.Column("actions_taken", sa.Text(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("overdue_since", sa.Date(), nullable=True),
        sa.Column("escalated_to", sa.String(length=12), nullable=True),
        sa.Column("persons_enc", sa.LargeBinary(), nullable=True),
        sa.Column("informant_name_enc", sa.LargeBinary(), nullable=True),
        sa.Column("informant_contact_enc", sa.LargeBinary(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("receipt_hash", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["app_user.id"], name=op.f("fk_lead_assignee_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_lead_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["lead_category.code"],
            name=op.f("fk_lead_category_code_lead_category"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_lead_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["lead.id"], name=op.f("fk_lead_parent_id_lead")),
        sa.ForeignKeyConstraint(
            ["subject_unit_id"], ["unit.id"], name=op.f("fk_lead_subject_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_lead_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
        sa.UniqueConstraint("code", name=op.f("uq_lead_code")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_lead_receipt_hash")),
    )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index("ix_lead_batch", ["issuing_body", "batch"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lead_jurisdiction_code"), ["jurisdiction_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lead_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_lead_state_due", ["state", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "lead_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("note_enc", sa.LargeBinary(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_lead_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], name=op.f("fk_lead_event_lead_id_lead")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_event")),
    )
    with op.batch_alter_table("lead_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_event_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "lead_sweep_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("signal", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_lead_sweep_mark_lead_id_lead")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_sweep_mark")),
        sa.UniqueConstraint(
            "lead_id", "due", "signal", name=op.f("uq_lead_sweep_mark_lead_id_due_signal")
        ),
    )


def downgrade() -> None:
    op.drop_table("lead_sweep_mark")
    with op.batch_alter_table("lead_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_event_lead_id"))

    op.drop_table("lead_event")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_unit_id"))
        batch_op.drop_index("ix_lead_state_due")
        batch_op.drop_index(batch_op.f("ix_lead_parent_id"))
        batch_op.drop_index(batch_op.f("ix_lead_jurisdiction_code"))
        batch_op.drop_index(batch_op.f("ix_lead_case_id"))
        batch_op.drop_index("ix_lead_batch")
        batch_op.drop_index(batch_op.f("ix_lead_assignee_id"))

    op.drop_table("lead")
    with op.batch_alter_table("lead_public_hit", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_public_hit_key")

    op.drop_table("lead_public_hit")
    op.drop_table("lead_category")
