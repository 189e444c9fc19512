"""Putting a party's phone and ID number into their encrypted columns (for case actions)."""

from __future__ import annotations

from grassroots.cases.models import Party
from grassroots.crypto import Keyring, keyring, normalise
from grassroots.parties.idcard import id_number_warnings


def seal_contact(
    party: Party,
    *,
    phone: str | None,
    id_number: str | None,
    ring: Keyring | None = None,
) -> list[str]:
    """Encrypt and index the given fields onto `party` (None leaves a field alone, "" clears
    it). Returns the ID-number warnings to show the user (never a refusal)."""
    ring = ring or keyring()
    if phone is not None:
        party.phone_enc = ring.encrypt("phone", normalise("phone", phone)) if phone else None
        party.phone_bidx = ring.blind_index("phone", phone) if phone else None
    if id_number is None or not id_number:
        if id_number == "":
            party.id_number_enc = party.id_number_bidx = None
        return []
    party.id_number_enc = ring.encrypt("id_number", normalise("id_number", id_number))
    party.id_number_bidx = ring.blind_index("id_number", id_number)
    return id_number_warnings(id_number)
