"""排查 rounds and grid figures: patrol_round, round_matter, stats_rounds, the source
主动排查发现, stats_grid and stats_open_grid

Revision ID: 0019
Revises: 0021a
Create Date: 2026-12-06

A grid worker's round in a grid (day, what was checked) and the matters found on it, each
noted or registered as a case with the new source round_found (主动排查发现); stats_rounds
counts rounds and matters per month and grid, kept in the writer's transaction.
stats_grid (registration month × grid) and stats_open_grid (deadline day × grid) carry the
figures per grid, kept by the cases' aggregate listener and filled here from existing cases.
worker_contact (a staff member's work phone, encrypted) and worker_training (dated free-text
entries) serve the township roster (队伍建设).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0021a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SOURCE = {
    "code": "round_found",
    "name": "主动排查发现",
    "name_en": "Found on a grid round",
    "sort_order": 10,
    "active": True,
}


def _grid_table(name: str, when: str, counters: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column(when, sa.Date(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("grid_code", sa.String(length=15), nullable=False),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in counters),
        sa.PrimaryKeyConstraint(
            "county_code", when, "township_code", "village_code", "grid_code", name=f"pk_{name}"
        ),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f"ix_{name}_village", ["village_code", when], unique=False)


def _fill_grid_tables() -> None:
    """A database that already holds cases gets its grid figures now (a new one has none)."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM case_file LIMIT 1")).first():
        return
    from sqlalchemy.orm import Session

    from grassroots.cases.tallies.maintain import rebuild

    with Session(bind=bind) as session:
        rebuild(session, only=("grid", "open_grid"))


def _roster_tables() -> None:
    op.create_table(
        "worker_contact",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["app_user.id"],
            name=op.f("fk_worker_contact_updated_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_worker_contact_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_worker_contact")),
    )
    op.create_table(
        "worker_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_worker_training_recorded_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_worker_training_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_training")),
    )
    with op.batch_alter_table("worker_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_training_user_id"), ["user_id"], unique=False)


def upgrade() -> None:
    _grid_table("stats_grid", "month", ("registered", "found_by_patrol", "resolved",
                                        "resolved_in_grid"))  # fmt: skip
    _grid_table("stats_open_grid", "due_day", ("open_count",))
    _fill_grid_tables()
    _roster_tables()
    op.create_table(
        "stats_rounds",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("grid_code", sa.String(length=15), nullable=False),
        sa.Column("rounds", sa.BigInteger(), nullable=False),
        sa.Column("matters", sa.BigInteger(), nullable=False),
        sa.Column("matters_cased", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "county_code",
            "month",
            "township_code",
            "village_code",
            "grid_code",
            name="pk_stats_rounds",
        ),
    )
    with op.batch_alter_table("stats_rounds", schema=None) as batch_op:
        batch_op.create_index("ix_stats_rounds_township", ["township_code", "month"], unique=False)
        batch_op.create_index("ix_stats_rounds_village", ["village_code", "month"], unique=False)

    op.create_table(
        "patrol_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("grid_code", sa.String(length=15), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["jurisdiction.id"], name=op.f("fk_patrol_round_grid_id_jurisdiction")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_patrol_round_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_round")),
    )
    with op.batch_alter_table("patrol_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patrol_round_grid_code"), ["grid_code"], unique=False)
        batch_op.create_index("ix_patrol_round_grid_day", ["grid_id", "held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_patrol_round_recorded_by_id"), ["recorded_by_id"], unique=False
        )

    op.create_table(
        "round_matter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(outcome = 'case') = (case_id is not null)", name=op.f("ck_round_matter_case_link")
        ),
        sa.CheckConstraint("outcome in ('case','noted')", name=op.f("ck_round_matter_outcome")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_round_matter_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["case_category.code"],
            name=op.f("fk_round_matter_category_code_case_category"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["patrol_round.id"], name=op.f("fk_round_matter_round_id_patrol_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_matter")),
    )
    with op.batch_alter_table("round_matter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_matter_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_matter_round_id"), ["round_id"], unique=False)

    sources = sa.table(
        "case_source",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_en", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(sources, [SOURCE])


def downgrade() -> None:
    with op.batch_alter_table("worker_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_training_user_id"))
    op.drop_table("worker_training")
    op.drop_table("worker_contact")
    for name in ("stats_open_grid", "stats_grid"):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{name}_village")
        op.drop_table(name)
    op.execute(sa.text("DELETE FROM case_source WHERE code = 'round_found'"))
    with op.batch_alter_table("round_matter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_matter_round_id"))
        batch_op.drop_index(batch_op.f("ix_round_matter_case_id"))

    op.drop_table("round_matter")
    with op.batch_alter_table("patrol_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_round_recorded_by_id"))
        batch_op.drop_index("ix_patrol_round_grid_day")
        batch_op.drop_index(batch_op.f("ix_patrol_round_grid_code"))

    op.drop_table("patrol_round")
    with op.batch_alter_table("stats_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_stats_rounds_village")
        batch_op.drop_index("ix_stats_rounds_township")

    op.drop_table("stats_rounds")
