"""A person's own address on a channel (an e-mail address, a mobile for the SMS gateway):
personal data, so sealed like a party's phone (crypto.Keyring, AES-256-GCM, the key outside
the database), opened only to send, shown masked, re-encrypted by key rotation
(parties.actions.do_rotate_keys). No blind index: nothing looks a person up by it."""

from __future__ import annotations

from grassroots.crypto import Keyring, keyring, mask_phone

ADDRESS_FIELD = "notification.address"


def seal_address(plain: str, ring: Keyring | None = None) -> bytes | None:
    return (ring or keyring()).encrypt(ADDRESS_FIELD, plain) if plain else None


def open_address(blob: bytes | None, ring: Keyring | None = None) -> str:
    return (ring or keyring()).decrypt(ADDRESS_FIELD, blob) if blob else ""


def mask_address(plain: str) -> str:
    """q***@example.test for an e-mail address; 139****0000 for a phone; else the last
    characters only (a handle the receiver knows a person by)."""
    if not plain:
        return ""
    local, at, domain = plain.partition("@")
    if at:
        return f"{local[:1]}***@{domain}"
    if sum(c.isdigit() for c in plain) >= 7:
        return mask_phone(plain)
    return "*" * max(len(plain) - 2, 3) + plain[-2:] if len(plain) > 4 else "****"
