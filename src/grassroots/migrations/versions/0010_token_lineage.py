"""Token lineage: which token minted a token, which token wrote an audit row

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

api_token.parent_id (the token that minted it; revoking a token revokes its descendants) and
audit_log.token_id (the token of a token-authenticated request; never the secret). Adding a
column does not rebuild audit_log on SQLite, so its append-only triggers stay; on the way
down SQLite drops the column in place (ALTER TABLE ... DROP COLUMN, SQLite 3.35+) for the
same reason. api_token is rebuilt on SQLite (a new foreign key) — it has no triggers.
Going down discards the token ids, which are part of the hash of the rows that have one:
`audit verify` then reports the first such row as edited. Downgrade only a copy.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARENT_FK = "fk_api_token_parent_id_api_token"


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f(PARENT_FK), "api_token", ["parent_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_api_token_parent_id"), ["parent_id"], unique=False)
    with op.batch_alter_table("audit_log", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_log_token_id", ["token_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_audit_log_token_id")
        batch_op.drop_column("token_id")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_parent_id"))
        batch_op.drop_constraint(batch_op.f(PARENT_FK), type_="foreignkey")
        batch_op.drop_column("parent_id")
