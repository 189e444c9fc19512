"""Encryption of the joint case's free text (messages and tasks may name people), under a
key usage of its own: ciphertext of another domain does not open under it."""

from __future__ import annotations

from grassroots.crypto import keyring

JOINT_USAGE = "joint"


def seal(field: str, plain: str) -> bytes:
    return keyring().for_usage(JOINT_USAGE).encrypt(field, plain.strip())


def unseal(field: str, blob: bytes) -> str:
    return keyring().for_usage(JOINT_USAGE).decrypt(field, blob)
