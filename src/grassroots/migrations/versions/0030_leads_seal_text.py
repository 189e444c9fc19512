"""Leads: what was reported, the actions taken and the timeline notes sealed at rest

Revision ID: 0030_leads_seal_text
Revises: 0020b
Create Date: 2026-12-07

lead.content and lead.actions_taken become lead.content_enc and lead.actions_taken_enc, and
lead_event.note joins lead_event.note_enc, all AES-GCM under the key usage "lead" of the
deployment's key file (grassroots.leads.sealing). The rows already stored are encrypted
here; an informant's additions (sealed before as field "supplement") are re-sealed as
field "note", the one field of that column. A database with leads needs its key file.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from grassroots.crypto import Keyring, keyring

revision: str = "0030_leads_seal_text"
down_revision: str | None = "0020b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USAGE = "lead"  # grassroots.leads.sealing.LEAD_USAGE, frozen here
LEAD = sa.table("lead", *[sa.column(c) for c in (
    "id", "content", "actions_taken", "content_enc", "actions_taken_enc")])  # fmt: skip
EVENT = sa.table("lead_event", *[sa.column(c) for c in ("id", "action", "note", "note_enc")])


def _ring() -> Keyring:
    return keyring().for_usage(USAGE)


def _seal(ring: Keyring, field: str, text: str | None) -> bytes | None:
    text = (text or "").strip()
    return ring.encrypt(field, text) if text else None


def _open(ring: Keyring, field: str, blob: bytes | None) -> str:
    return ring.decrypt(field, bytes(blob)) if blob is not None else ""


def upgrade() -> None:
    op.add_column("lead", sa.Column("content_enc", sa.LargeBinary(), nullable=True))
    op.add_column("lead", sa.Column("actions_taken_enc", sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    leads = conn.execute(sa.select(LEAD.c.id, LEAD.c.content, LEAD.c.actions_taken)).all()
    events = conn.execute(
        sa.select(EVENT.c.id, EVENT.c.note, EVENT.c.note_enc).where(
            (EVENT.c.note != "") | EVENT.c.note_enc.is_not(None)
        )
    ).all()
    if leads or events:
        ring = _ring()
        for row in leads:
            conn.execute(sa.update(LEAD).where(LEAD.c.id == row.id).values(
                content_enc=_seal(ring, "content", row.content),
                actions_taken_enc=_seal(ring, "actions_taken", row.actions_taken),
            ))  # fmt: skip
        for row in events:
            text = _open(ring, "supplement", row.note_enc) if row.note_enc else row.note
            conn.execute(sa.update(EVENT).where(EVENT.c.id == row.id).values(
                note_enc=_seal(ring, "note", text)))  # fmt: skip
    op.drop_column("lead", "content")
    op.drop_column("lead", "actions_taken")
    op.drop_column("lead_event", "note")


def _write_clear(table: str, values: dict[str, object], row_id: int) -> None:
    """One UPDATE through the driver's cursor, not SQLAlchemy's: its statement log (on at
    INFO, e.g. with echo) would hold the clear text with the parameters."""
    conn = op.get_bind()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sets = ", ".join(f"{name} = {mark}" for name in values)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        # table and column names are this module's constants; the values are parameters
        statement = f"UPDATE {table} SET {sets} WHERE id = {mark}"  # noqa: S608
        cursor.execute(statement, [*values.values(), row_id])
    finally:
        cursor.close()


def downgrade() -> None:
    op.add_column("lead", sa.Column("content", sa.Text(), nullable=False, server_default=""))
    op.add_column("lead", sa.Column("actions_taken", sa.Text(), nullable=False, server_default=""))
    op.add_column("lead_event", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    leads = conn.execute(sa.select(LEAD.c.id, LEAD.c.content_enc, LEAD.c.actions_taken_enc)).all()
    events = conn.execute(
        sa.select(EVENT.c.id, EVENT.c.action, EVENT.c.note_enc).where(EVENT.c.note_enc.is_not(None))
    ).all()
    if leads or events:
        ring = _ring()
        for row in leads:
            _write_clear("lead", {
                "content": _open(ring, "content", row.content_enc),
                "actions_taken": _open(ring, "actions_taken", row.actions_taken_enc),
            }, row.id)  # fmt: skip
        for row in events:
            text = _open(ring, "note", row.note_enc)
            # an informant's addition stays sealed, as before this revision
            values: dict[str, object] = (
                {"note_enc": ring.encrypt("supplement", text)}
                if row.action == "supplement"
                else {"note": text, "note_enc": None}
            )
            _write_clear("lead_event", values, row.id)
    op.drop_column("lead", "content_enc")
    op.drop_column("lead", "actions_taken_enc")
