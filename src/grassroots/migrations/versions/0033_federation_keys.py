"""Key rotation between deployments (issue 19): when this deployment's key pair was retired,
and a partner's previous public key with the end of its grace period

Revision ID: 0033_federation_keys
Revises: 0033_ledger_preview
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033_federation_keys"
down_revision: str | None = "0033_ledger_preview"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("federation_key") as batch:
        batch.add_column(sa.Column("retired_at", UTC, nullable=True))
    with op.batch_alter_table("federation_partner") as batch:
        batch.add_column(sa.Column("previous_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("previous_key_until", UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("federation_partner") as batch:
        batch.drop_column("previous_key_until")
        batch.drop_column("previous_key")
    with op.batch_alter_table("federation_key") as batch:
        batch.drop_column("retired_at")
