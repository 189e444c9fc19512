"""Encryption of border work's free text (meeting topics, notes, decisions and hazard
descriptions may name people), under a key usage of its own."""

from __future__ import annotations

from grassroots.crypto import keyring

BORDER_USAGE = "border"


def seal(field: str, plain: str) -> bytes:
    return keyring().for_usage(BORDER_USAGE).encrypt(field, plain.strip())


def unseal(field: str, blob: bytes) -> str:
    return keyring().for_usage(BORDER_USAGE).decrypt(field, blob)
