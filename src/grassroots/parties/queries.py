"""Reading parties: only through a case the user may see, and only masked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.models import Case, Party
from grassroots.cases.queries import access_case, case_scope
from grassroots.crypto import Keyring, keyring, mask_id_number, mask_phone
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.parties.idcard import id_number_warnings
from grassroots.parties.schemas import ContactField, PartyMasked
from grassroots.privacy.sealed_columns import SealedColumn, sealed_columns

BATCH = 500


def access_party(session: Session, user: User, party_id: int, ip: str = "") -> Party:
    """The party, if its case is in the user's scope (core's case_scope); else 404 like a
    party that does not exist (the refusal is audited, as access_case does for cases)."""
    party = session.scalar(select(Party).join(Case).where(Party.id == party_id, case_scope(user)))
    if party is not None:
        return party
    if session.get(Party, party_id) is not None:
        with transaction(session):
            record_audit(
                session,
                actor=user,
                action="party.read",
                object_type="party",
                object_id=party_id,
                result="denied",
                ip=ip,
            )
    raise Problem(404, "party_not_found", "当事人不存在 / party not found")


def parties_of_case(session: Session, user: User, case_code: str) -> list[Party]:
    """The parties of one case, through core's access_case (404 and audited if out of scope)."""
    return list(access_case(session, user, case_code).parties)


def clear_value(party: Party, field: ContactField, ring: Keyring | None = None) -> str | None:
    blob = party.phone_enc if field == "phone" else party.id_number_enc
    return None if blob is None else (ring or keyring()).decrypt(field, blob)


def masked_view(party: Party, ring: Keyring | None = None) -> PartyMasked:
    ring = ring or keyring()
    phone = clear_value(party, "phone", ring)
    id_number = clear_value(party, "id_number", ring)
    return PartyMasked(
        id=party.id,
        case_code=party.case.code,
        role=party.role,
        name=party.name,
        phone_masked=mask_phone(phone) if phone else None,
        id_number_masked=mask_id_number(id_number) if id_number else None,
        id_number_warnings=id_number_warnings(id_number) if id_number else [],
    )


def find_parties(session: Session, user: User, field: ContactField, value: str) -> list[Party]:
    """Exact match through the blind index, within the user's case scope."""
    index = keyring().blind_index(field, value)
    column = Party.phone_bidx if field == "phone" else Party.id_number_bidx
    return list(
        session.scalars(
            select(Party).join(Case).where(column == index, case_scope(user)).order_by(Party.id)
        )
    )


def iter_ciphertexts(session: Session, sealed: SealedColumn) -> Iterator[tuple[Any, bytes]]:
    """(primary key, ciphertext) of every value of one sealed column, key order, batched."""
    key = inspect(sealed.column.class_).primary_key[0]
    last: Any = None
    while True:
        query = select(key, sealed.column).where(sealed.column.is_not(None))
        if last is not None:
            query = query.where(key > last)
        rows = session.execute(query.order_by(key).limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            yield row[0], row[1]
        last = rows[-1][0]


def key_versions_in_use(session: Session) -> Counter[int]:
    """How many encrypted fields each key version still holds, over every sealed column
    (parties, TOTP secrets, leads, roster phones, … — grassroots.privacy.sealed_columns)."""
    counts: Counter[int] = Counter()
    for sealed in sealed_columns():
        counts.update(blob[0] for _, blob in iter_ciphertexts(session, sealed))
    return counts
