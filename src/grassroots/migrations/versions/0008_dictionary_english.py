"""English names for the category and source dictionaries

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

case_category.name_en and case_source.name_en: shown when the UI language is English ("" =
fall back to the Chinese name). Seeded for the DESIGN §4 defaults; editable by config.write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = {
    "marriage_family": "Marriage and family",
    "neighbour": "Neighbours",
    "housing_land": "Housing and homestead land",
    "contract": "Contract",
    "production": "Production and business",
    "damages": "Compensation for damage",
    "forest_land": "Forest and land",
    "land_requisition": "Land requisition and demolition",
    "environment": "Environmental pollution",
    "labour": "Labour dispute",
    "consumer": "Consumer",
    "medical": "Medical",
    "traffic": "Road traffic accident",
    "property_mgmt": "Property management",
    "other": "Other",
}
SOURCES = {
    "grid_patrol": "Grid worker patrol",
    "visit": "Walk-in visit",
    "phone": "Phone call",
    "hotline_12345": "12345 hotline",
    "online": "Online",
    "police_transfer": "Transferred by the police",
    "court_entrusted": "Entrusted by a court",
    "superior_assigned": "Assigned by a higher level",
    "open311": "Open311",
}
TABLES = {"case_category": CATEGORIES, "case_source": SOURCES}


def upgrade() -> None:
    for table, names in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("name_en", sa.String(length=64), server_default="", nullable=False)
            )
        rows = sa.table(table, sa.column("code", sa.String), sa.column("name_en", sa.String))
        for code, name in names.items():
            op.execute(rows.update().where(rows.c.code == code).values(name_en=name))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35): batch mode would recreate the tables, which
    # cases reference, and SQLite refuses DROP TABLE under enforced foreign keys.
    for table in TABLES:
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN name_en"))
