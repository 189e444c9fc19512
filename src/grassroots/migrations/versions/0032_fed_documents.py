"""Between deployments (信息联通): shared joint cases, their timeline, the outbox of signed
documents and the documents received (issue 19)

Revision ID: 0032_fed_documents
Revises: 0032_federation
Create Date: 2026-12-07

Titles, bodies and envelopes are sealed under the keyring's "federation" usage.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_fed_documents"
down_revision: str | None = "0032_border_hazards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _link() -> None:
    t = "federation_link"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("origin_code", sa.String(length=32), nullable=False),
        sa.Column("case_code", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=True),
        sa.Column("title_enc", sa.LargeBinary(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("registered_at", UTC, nullable=False),
        sa.Column("out_seq", sa.Integer(), nullable=False),
        sa.Column("in_seq", sa.Integer(), nullable=False),
        sa.Column("sent_state", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        _fk(t, "case_id", "case_file"),
        _fk(t, "jurisdiction_id", "jurisdiction"),
        _fk(t, "partner_id", "federation_partner"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint(
            "partner_id",
            "origin_code",
            "case_code",
            name=op.f("uq_federation_link_partner_id_origin_code_case_code"),
        ),
    )
    op.create_index(op.f("ix_federation_link_case_id"), t, ["case_id"])
    op.create_index(op.f("ix_federation_link_partner_id"), t, ["partner_id"])


def _entry() -> None:
    t = "federation_entry"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("body_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        _fk(t, "link_id", "federation_link"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("document_id", name=op.f(f"uq_{t}_document_id")),
    )
    op.create_index(op.f(f"ix_{t}_link_id"), t, ["link_id"])


def _outgoing() -> None:
    t = "federation_outgoing"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("envelope_enc", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.CheckConstraint(
            "state in ('pending','sent','failed','gave_up')", name=op.f(f"ck_{t}_state")
        ),
        _fk(t, "link_id", "federation_link"),
        _fk(t, "partner_id", "federation_partner"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("document_id", name=op.f(f"uq_{t}_document_id")),
    )
    op.create_index(f"ix_{t}_due", t, ["state", "next_attempt_at"])
    op.create_index(op.f(f"ix_{t}_link_id"), t, ["link_id"])


def _received() -> None:
    t = "federation_received"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("envelope_enc", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        _fk(t, "link_id", "federation_link"),
        _fk(t, "partner_id", "federation_partner"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("document_id", name=op.f(f"uq_{t}_document_id")),
    )
    op.create_index(op.f(f"ix_{t}_link_id"), t, ["link_id"])


def upgrade() -> None:
    _link()
    _entry()
    _outgoing()
    _received()


def downgrade() -> None:
    for t in ("federation_received", "federation_outgoing", "federation_entry"):
        op.drop_index(op.f(f"ix_{t}_link_id"), table_name=t)
    op.drop_index("ix_federation_outgoing_due", table_name="federation_outgoing")
    op.drop_table("federation_received")
    op.drop_table("federation_outgoing")
    op.drop_table("federation_entry")
    op.drop_index(op.f("ix_federation_link_partner_id"), table_name="federation_link")
    op.drop_index(op.f("ix_federation_link_case_id"), table_name="federation_link")
    op.drop_table("federation_link")
