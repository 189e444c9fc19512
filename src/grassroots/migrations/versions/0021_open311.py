"""Open311 GeoReport v2: client keys and the requests they posted

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-06

open311_client holds each registered client's hashed api_key and the service account its
requests are registered by; open311_request links each POSTed request to its case, with
what only Open311 carries (media_url, the client's account_id, the email encrypted, the
resident's own description) and the digest that makes a retried POST answer the same case.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "open311_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_open311_client_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_client")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_client_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_open311_client_name")),
    )
    op.create_index(op.f("ix_open311_client_user_id"), "open311_client", ["user_id"])
    op.create_table(
        "open311_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("media_url", sa.String(length=1000), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("email_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_open311_request_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["open311_client.id"],
            name=op.f("fk_open311_request_client_id_open311_client"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_request")),
        sa.UniqueConstraint("case_id", name=op.f("uq_open311_request_case_id")),
        sa.UniqueConstraint(
            "client_id", "digest", name=op.f("uq_open311_request_client_id_digest")
        ),
        sa.UniqueConstraint("token", name=op.f("uq_open311_request_token")),
    )
    op.create_index(op.f("ix_open311_request_client_id"), "open311_request", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_open311_request_client_id"), table_name="open311_request")
    op.drop_table("open311_request")
    op.drop_index(op.f("ix_open311_client_user_id"), table_name="open311_client")
    op.drop_table("open311_client")
