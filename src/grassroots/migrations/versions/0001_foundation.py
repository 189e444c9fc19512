"""foundation: jurisdictions, boundaries, units, users, cases

Revision ID: 0001
Revises:
Create Date: 2026-11-28 05:10:09.314101
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "case_category",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_case_category")),
    )
    op.create_table(
        "case_sequence",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("county_code", "year", name=op.f("pk_case_sequence")),
    )
    op.create_table(
        "case_source",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_case_source")),
    )
    op.create_table(
        "jurisdiction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=15), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "level in ('province','city','county','township','village','grid')",
            name=op.f("ck_jurisdiction_level"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["jurisdiction.id"], name=op.f("fk_jurisdiction_parent_id_jurisdiction")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jurisdiction")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_jurisdiction_code_valid_from")),
    )
    with op.batch_alter_table("jurisdiction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jurisdiction_code"), ["code"], unique=False)
        batch_op.create_index(
            "ix_jurisdiction_parent_current", ["parent_id", "valid_to"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_jurisdiction_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "boundary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("wkb", sa.LargeBinary(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_boundary_jurisdiction_id_jurisdiction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundary")),
    )
    with op.batch_alter_table("boundary", schema=None) as batch_op:
        batch_op.create_index("ix_boundary_current", ["jurisdiction_id", "valid_to"], unique=False)

    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_unit_jurisdiction_id_jurisdiction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_jurisdiction_id"), ["jurisdiction_id"], unique=False
        )

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_app_user_jurisdiction_id_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_app_user_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_app_user_jurisdiction_id"), ["jurisdiction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_app_user_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("source_code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("village_code", sa.String(length=12), nullable=True),
        sa.Column("grid_code", sa.String(length=15), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("holder_jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("people_involved", sa.Integer(), nullable=False),
        sa.Column("amount_involved", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("violence_risk", sa.Boolean(), nullable=False),
        sa.Column("risk_level", sa.String(length=16), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accept_due", sa.Date(), nullable=True),
        sa.Column("resolve_due", sa.Date(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("resolved_level", sa.String(length=16), nullable=True),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("escalation_count", sa.Integer(), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["app_user.id"], name=op.f("fk_case_file_assignee_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["case_category.code"],
            name=op.f("fk_case_file_category_code_case_category"),
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["case_file.id"],
            name=op.f("fk_case_file_duplicate_of_id_case_file"),
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["jurisdiction.id"], name=op.f("fk_case_file_grid_id_jurisdiction")
        ),
        sa.ForeignKeyConstraint(
            ["holder_jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_case_file_holder_jurisdiction_id_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["app_user.id"],
            name=op.f("fk_case_file_registered_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["source_code"], ["case_source.code"], name=op.f("fk_case_file_source_code_case_source")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_case_file_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("code", name=op.f("uq_case_file_code")),
    )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_file_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_file_category_code"), ["category_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_file_county_code"), ["county_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_file_holder_jurisdiction_id"),
            ["holder_jurisdiction_id"],
            unique=False,
        )
        batch_op.create_index("ix_case_file_state_due", ["state", "resolve_due"], unique=False)
        batch_op.create_index(
            "ix_case_file_township_registered", ["township_code", "registered_at"], unique=False
        )
        batch_op.create_index("ix_case_file_unit_state", ["unit_id", "state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_file_village_code"), ["village_code"], unique=False
        )

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("holder_jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_case_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_event_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["holder_jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_case_event_holder_jurisdiction_id_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_case_event_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_link_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["case_file.id"], name=op.f("fk_case_link_other_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_link")),
        sa.UniqueConstraint(
            "case_id", "other_id", "kind", name=op.f("uq_case_link_case_id_other_id_kind")
        ),
    )
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_link_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_link_other_id"), ["other_id"], unique=False)

    op.create_table(
        "case_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("phone_bidx", sa.String(length=64), nullable=True),
        sa.Column("id_number_enc", sa.LargeBinary(), nullable=True),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_party_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_party")),
    )
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_party_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_party_id_number_bidx"), ["id_number_bidx"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_party_phone_bidx"), ["phone_bidx"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_party_phone_bidx"))
        batch_op.drop_index(batch_op.f("ix_case_party_id_number_bidx"))
        batch_op.drop_index(batch_op.f("ix_case_party_case_id"))

    op.drop_table("case_party")
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_link_other_id"))
        batch_op.drop_index(batch_op.f("ix_case_link_case_id"))

    op.drop_table("case_link")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_village_code"))
        batch_op.drop_index("ix_case_file_unit_state")
        batch_op.drop_index("ix_case_file_township_registered")
        batch_op.drop_index("ix_case_file_state_due")
        batch_op.drop_index(batch_op.f("ix_case_file_holder_jurisdiction_id"))
        batch_op.drop_index(batch_op.f("ix_case_file_county_code"))
        batch_op.drop_index(batch_op.f("ix_case_file_category_code"))
        batch_op.drop_index(batch_op.f("ix_case_file_assignee_id"))

    op.drop_table("case_file")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_unit_id"))
        batch_op.drop_index(batch_op.f("ix_app_user_jurisdiction_id"))

    op.drop_table("app_user")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_jurisdiction_id"))

    op.drop_table("unit")
    with op.batch_alter_table("boundary", schema=None) as batch_op:
        batch_op.drop_index("ix_boundary_current")

    op.drop_table("boundary")
    with op.batch_alter_table("jurisdiction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jurisdiction_parent_id"))
        batch_op.drop_index("ix_jurisdiction_parent_current")
        batch_op.drop_index(batch_op.f("ix_jurisdiction_code"))

    op.drop_table("jurisdiction")
    op.drop_table("case_source")
    op.drop_table("case_sequence")
    op.drop_table("case_category")
    op.drop_table("audit_log")
