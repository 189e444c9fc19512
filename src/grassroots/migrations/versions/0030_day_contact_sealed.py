"""Staff addresses on notification channels sealed like other personal data

Revision ID: 0030_day_contact_sealed
Revises: 0030_leads_seal_text
Create Date: 2026-12-07

notification_subscription.address and notification_delivery.address (a person's e-mail
address or mobile, issue 16) become address_enc: AES-256-GCM under the key file
(notifications.contact, field "notification.address"). Existing rows are encrypted here;
the key file is read only when there is a row to encrypt. Downgrade opens them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_day_contact_sealed"
down_revision: str | None = "0030_leads_seal_text"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("notification_subscription", "notification_delivery")
FIELD = "notification.address"  # notifications.contact.ADDRESS_FIELD, fixed here


def _seal_rows(table_name: str) -> None:
    table = sa.table(table_name, sa.column("id"), sa.column("address"),
                     sa.column("address_enc", sa.LargeBinary()))  # fmt: skip
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c.address).where(table.c.address != "")).all()
    if not rows:
        return
    from grassroots.crypto import keyring

    ring = keyring()
    for row_id, address in rows:
        sealed = ring.encrypt(FIELD, address)
        bind.execute(table.update().where(table.c.id == row_id).values(address_enc=sealed))


def _open_rows(table_name: str) -> None:
    table = sa.table(table_name, sa.column("id"), sa.column("address"),
                     sa.column("address_enc", sa.LargeBinary()))  # fmt: skip
    bind = op.get_bind()
    query = sa.select(table.c.id, table.c.address_enc).where(table.c.address_enc.is_not(None))
    rows = bind.execute(query).all()
    if not rows:
        return
    from grassroots.crypto import keyring

    ring = keyring()
    for row_id, sealed in rows:
        clear = ring.decrypt(FIELD, bytes(sealed))
        bind.execute(table.update().where(table.c.id == row_id).values(address=clear))


def upgrade() -> None:
    for name in TABLES:
        op.add_column(name, sa.Column("address_enc", sa.LargeBinary(), nullable=True))
        _seal_rows(name)
        # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): no batch rebuild of a table that
        # other tables' foreign keys point at.
        op.drop_column(name, "address")


def downgrade() -> None:
    for name in TABLES:
        op.add_column(name, sa.Column("address", sa.String(200), nullable=False, server_default=""))
        _open_rows(name)
        op.drop_column(name, "address_enc")
