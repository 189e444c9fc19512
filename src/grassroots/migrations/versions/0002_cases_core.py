"""case workflow: idempotency keys and other tables of the transitions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Placeholder in the fixed chain so that domains can be built side by side; filled in by the
domain's own work.
"""

from collections.abc import Sequence

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
