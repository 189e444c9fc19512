"""Writes about parties' personal data: reveal and lookup (audited), key rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.models import Party
from grassroots.crypto import Keyring, add_key_version, load_keyring
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.parties.queries import clear_value, find_parties, iter_ciphertexts
from grassroots.parties.schemas import ContactField, KeyRotation
from grassroots.privacy.logging_filter import mask_text
from grassroots.privacy.sealed_columns import SealedColumn, sealed_columns


def do_reveal(
    session: Session, party: Party, field: ContactField, reason: str, actor: User, ip: str = ""
) -> str:
    """The clear value of one field, for a stated reason; the audit row keeps the reason
    (masked, in case someone typed a number into it), never the value."""
    reason = reason.strip()
    if len(reason) < 4:
        raise Problem(422, "reason_required", "请填写查看理由 / a reason is required")
    with transaction(session):
        value = clear_value(party, field)
        if value is None:
            raise Problem(404, "no_value", "该当事人未登记此项 / nothing recorded for this field")
        record_audit(
            session,
            actor=actor,
            action="party.reveal",
            object_type="party",
            object_id=party.id,
            details={"field": field, "reason": mask_text(reason), "case": party.case.code},
            ip=ip,
        )
    return value


def do_lookup(
    session: Session, user: User, field: ContactField, value: str, ip: str = ""
) -> list[Party]:
    """Exact lookup through the blind index; audited (which field, how many hits — the
    searched value is not kept)."""
    with transaction(session):
        parties = find_parties(session, user, field, value)
        record_audit(
            session,
            actor=user,
            action="party.lookup",
            object_type="party",
            details={"field": field, "matches": len(parties)},
            ip=ip,
        )
    return parties


def _re_encrypt_column(session: Session, sealed: SealedColumn, ring: Keyring) -> set[Any]:
    """Every value of one column not under the current key, re-encrypted under it; the
    primary keys of the rows changed."""
    model = sealed.column.class_
    key = inspect(model).primary_key[0]
    changed = set()
    for pk, blob in list(iter_ciphertexts(session, sealed)):
        if blob[0] == ring.version:
            continue
        fresh = ring.encrypt(sealed.field, ring.decrypt(sealed.field, blob))
        session.execute(update(model).where(key == pk).values({sealed.column.key: fresh}))
        changed.add(pk)
    return changed


def do_rotate_keys(session: Session, key_file: Path, actor: User | None) -> KeyRotation:
    """New current data key in the key file (old keys kept, so everything stays readable
    throughout), then every sealed column (grassroots.privacy.sealed_columns: parties' phone and ID
    numbers, TOTP secrets, leads' texts and informants, roster phones, …) re-encrypted under
    it in ONE transaction. The blind-index key is not touched, so lookups keep working."""
    new_version = add_key_version(key_file)
    base = load_keyring(key_file)
    columns: dict[str, int] = {}
    party_rows: set[Any] = set()
    with transaction(session):
        for sealed in sealed_columns():
            changed = _re_encrypt_column(session, sealed, sealed.ring(base))
            columns[sealed.name] = len(changed)
            if sealed.column.class_ is Party:
                party_rows |= changed
        fields = sum(columns.values())
        record_audit(
            session, actor=actor, action="keys.rotate", object_type="key",
            object_id=new_version,
            details={"re_encrypted_fields": fields, "parties": len(party_rows)},
        )  # fmt: skip
    return KeyRotation(new_version=new_version, re_encrypted_fields=fields,
                       parties=len(party_rows), columns=columns)  # fmt: skip
