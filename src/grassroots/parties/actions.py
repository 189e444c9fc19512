"""Writes about parties' personal data: reveal and lookup (audited), key rotation."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from grassroots.accounts.login.totp import FIELD as TOTP_FIELD
from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.models import Party
from grassroots.crypto import Keyring, add_key_version, load_keyring
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.logging_filter import mask_text
from grassroots.notifications.contact import ADDRESS_FIELD
from grassroots.notifications.models import Delivery, Subscription
from grassroots.parties.queries import (
    clear_value,
    find_parties,
    iter_address_ciphertexts,
    iter_party_ciphertexts,
    iter_totp_ciphertexts,
)
from grassroots.parties.schemas import ContactField, KeyRotation


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


def _re_encrypt(ring: Keyring, field: str, blob: bytes | None) -> bytes | None:
    if blob is None or blob[0] == ring.version:
        return None
    return ring.encrypt(field, ring.decrypt(field, blob))


def _re_encrypt_totp_secrets(session: Session, ring: Keyring) -> int:
    """Users' TOTP secrets share the keyring: without this, retiring the old key would lock
    every administrator out. Runs inside the rotation's transaction."""
    fields = 0
    for user_id, secret, pending in iter_totp_ciphertexts(session):
        changes = {
            name: blob
            for name, blob in (
                ("totp_secret_enc", _re_encrypt(ring, TOTP_FIELD, secret)),
                ("totp_pending_enc", _re_encrypt(ring, TOTP_FIELD, pending)),
            )
            if blob is not None
        }
        if changes:
            session.execute(update(User).where(User.id == user_id).values(**changes))
            fields += len(changes)
    return fields


def _re_encrypt_addresses(session: Session, ring: Keyring) -> int:
    """Staff addresses on notification channels (notifications.contact) share the keyring
    too. Runs inside the rotation's transaction."""
    fields = 0
    for table in (Subscription, Delivery):
        for row_id, blob in list(iter_address_ciphertexts(session, table)):
            sealed = _re_encrypt(ring, ADDRESS_FIELD, blob)
            if sealed is not None:
                session.execute(update(table).where(table.id == row_id).values(address_enc=sealed))
                fields += 1
    return fields


def do_rotate_keys(session: Session, key_file: Path, actor: User | None) -> KeyRotation:
    """New current data key in the key file (old keys kept, so everything stays readable
    throughout), then every party phone/ID field re-encrypted under it in ONE transaction.
    The blind-index key is not touched, so lookups keep working."""
    new_version = add_key_version(key_file)
    ring = load_keyring(key_file)
    fields = parties = 0
    with transaction(session):
        for party_id, phone, id_number in iter_party_ciphertexts(session):
            new_phone = _re_encrypt(ring, "phone", phone)
            new_id = _re_encrypt(ring, "id_number", id_number)
            changes = {
                name: blob
                for name, blob in (("phone_enc", new_phone), ("id_number_enc", new_id))
                if blob is not None
            }
            if changes:
                session.execute(update(Party).where(Party.id == party_id).values(**changes))
                fields, parties = fields + len(changes), parties + 1
        fields += _re_encrypt_totp_secrets(session, ring)
        fields += _re_encrypt_addresses(session, ring)
        record_audit(
            session,
            actor=actor,
            action="keys.rotate",
            object_type="key",
            object_id=new_version,
            details={"re_encrypted_fields": fields, "parties": parties},
        )
    return KeyRotation(new_version=new_version, re_encrypted_fields=fields, parties=parties)
