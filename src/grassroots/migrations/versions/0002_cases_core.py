"""case workflow: idempotency keys and other tables of the transitions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Adds the running-clock columns of a case, joint-case shares, intake idempotency keys, and
seeds the category and source dictionaries with the defaults of DESIGN §4.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 司法部人民调解统计口径 (Ministry of Justice people's-mediation statistics list).
CATEGORIES = [
    ("marriage_family", "婚姻家庭"),
    ("neighbour", "邻里"),
    ("housing_land", "房屋宅基地"),
    ("contract", "合同"),
    ("production", "生产经营"),
    ("damages", "损害赔偿"),
    ("forest_land", "山林土地"),
    ("land_requisition", "征地拆迁"),
    ("environment", "环境污染"),
    ("labour", "劳动争议"),
    ("consumer", "消费"),
    ("medical", "医疗"),
    ("traffic", "道路交通事故"),
    ("property_mgmt", "物业"),
    ("other", "其他"),
]

SOURCES = [
    ("grid_patrol", "网格员巡查"),
    ("visit", "来访"),
    ("phone", "来电"),
    ("hotline_12345", "12345"),
    ("online", "网上"),
    ("police_transfer", "公安移交"),
    ("court_entrusted", "法院委托"),
    ("superior_assigned", "上级交办"),
    ("open311", "Open311"),
]


def _seed() -> None:
    dictionary = sa.table(
        "case_category",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        dictionary,
        [
            {"code": c, "name": n, "sort_order": i, "active": True}
            for i, (c, n) in enumerate(CATEGORIES, 1)
        ],
    )
    dictionary.name = "case_source"
    op.bulk_insert(
        dictionary,
        [
            {"code": c, "name": n, "sort_order": i, "active": True}
            for i, (c, n) in enumerate(SOURCES, 1)
        ],
    )


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clock_started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("clock_yellow_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("clock_due_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_case_file_clock_due_on"), ["clock_due_on"])
        batch_op.create_index("ix_case_file_registered_id", ["registered_at", "id"])
        # "basically_satisfied" does not fit the 16 characters of 0001.
        batch_op.alter_column(
            "satisfaction",
            existing_type=sa.String(length=16),
            type_=sa.String(length=32),
            existing_nullable=True,
        )

    op.create_table(
        "case_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_share_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdiction.id"],
            name=op.f("fk_case_share_jurisdiction_id_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_case_share_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_share")),
        sa.UniqueConstraint(
            "case_id",
            "jurisdiction_id",
            "unit_id",
            name=op.f("uq_case_share_case_id_jurisdiction_id_unit_id"),
        ),
    )
    with op.batch_alter_table("case_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_share_case_id"), ["case_id"])
        batch_op.create_index(batch_op.f("ix_case_share_jurisdiction_id"), ["jurisdiction_id"])
        batch_op.create_index(batch_op.f("ix_case_share_unit_id"), ["unit_id"])

    op.create_table(
        "idempotency_key",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_idempotency_key_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_idempotency_key_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_idempotency_key")),
    )
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_key_started_at"), ["started_at"])
    _seed()


def downgrade() -> None:
    op.execute("DELETE FROM case_source")
    op.execute("DELETE FROM case_category")
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_key_started_at"))
    op.drop_table("idempotency_key")
    with op.batch_alter_table("case_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_share_unit_id"))
        batch_op.drop_index(batch_op.f("ix_case_share_jurisdiction_id"))
        batch_op.drop_index(batch_op.f("ix_case_share_case_id"))
    op.drop_table("case_share")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_file_registered_id")
        batch_op.alter_column(
            "satisfaction",
            existing_type=sa.String(length=32),
            type_=sa.String(length=16),
            existing_nullable=True,
        )
        batch_op.drop_index(batch_op.f("ix_case_file_clock_due_on"))
        batch_op.drop_column("clock_due_on")
        batch_op.drop_column("clock_yellow_on")
        batch_op.drop_column("clock_started_on")
