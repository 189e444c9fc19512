"""Ed25519 keys and signatures of the federation protocol (docs/federation.md).

Canonical JSON: UTF-8, keys sorted, no whitespace (separators "," and ":"), non-ASCII kept
as is, only strings, integers, booleans, null, arrays and objects (no floats: a number's
text would differ between implementations). A signature is Ed25519 over those bytes, sent
as standard base64; a public key is its 32 raw bytes in standard base64 (44 characters).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from grassroots.crypto import keyring

PROTOCOL = "grassroots-federation/1"
FEDERATION_USAGE = "federation"


class NotCanonical(ValueError):
    """A value canonical JSON does not carry (a float, a non-string key …)."""


def _check(value: Any) -> None:
    if isinstance(value, float):
        raise NotCanonical("floats are not allowed in a signed document")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonical("object keys must be strings")
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


def canonical(value: Any) -> bytes:
    """The bytes that are signed: sorted keys, no whitespace, UTF-8."""
    _check(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def new_private_key() -> bytes:
    """32 random bytes: a new Ed25519 private key (raw)."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_of(private_raw: bytes) -> str:
    """The base64 public key of a raw private key."""
    public = Ed25519PrivateKey.from_private_bytes(private_raw).public_key()
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def sign(private_raw: bytes, data: bytes) -> str:
    signature = Ed25519PrivateKey.from_private_bytes(private_raw).sign(data)
    return base64.b64encode(signature).decode()


def public_key_bytes(public_b64: str) -> bytes | None:
    """The 32 bytes of a base64 public key, or None when it is not one."""
    try:
        raw = base64.b64decode(public_b64.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def verify(public_b64: str, data: bytes, signature_b64: str) -> bool:
    raw = public_key_bytes(public_b64)
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        if raw is None or len(signature) != 64:
            return False
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def request_message(timestamp: str, body: bytes) -> bytes:
    """What the request signature covers: the protocol, the timestamp and the body's hash."""
    return f"{PROTOCOL}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


def fingerprint(public_b64: str) -> str:
    """A short form to compare keys by voice or on paper: SHA-256 of the key, 16 hex."""
    raw = public_key_bytes(public_b64) or b""
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def seal(field: str, plain: str) -> bytes:
    """Encrypt at rest under the keyring's "federation" usage (private key, documents)."""
    return keyring().for_usage(FEDERATION_USAGE).encrypt(field, plain)


def unseal(field: str, blob: bytes) -> str:
    return keyring().for_usage(FEDERATION_USAGE).decrypt(field, blob)
