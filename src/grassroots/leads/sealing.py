"""Encryption of a lead's personal text, and the receipt code (查询码).

Two key usages, both derived from the deployment's keyring (grassroots.crypto): "lead" for
the people a lead names and an informant's additions, "informant" for the informant's
identity and contact. Ciphertext of one usage does not open under the other's key, so a
bug that unseals persons for a verifier cannot unseal an informant.

The receipt code is 120 random bits (≥ 80 asked), shown once; only a keyed hash of it is
stored, so the database alone cannot give a code back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from grassroots.crypto import keyring

LEAD_USAGE = "lead"
INFORMANT_USAGE = "informant"
RECEIPT_USAGE = "lead-receipt"
RECEIPT_BYTES = 15  # 120 bits
RECEIPT_PATTERN = r"^[A-Za-z2-7\- ]{20,40}$"


def seal(usage: str, field: str, plain: str) -> bytes | None:
    """The ciphertext of `plain` under the usage's key; None for empty text."""
    text = plain.strip()
    if not text:
        return None
    return keyring().for_usage(usage).encrypt(field, text)


def unseal(usage: str, field: str, blob: bytes | None) -> str | None:
    if blob is None:
        return None
    return keyring().for_usage(usage).decrypt(field, blob)


def new_receipt_code() -> str:
    """XXXX-XXXX-XXXX-XXXX-XXXX-XXXX: 24 base32 letters and digits, 120 random bits."""
    raw = base64.b32encode(secrets.token_bytes(RECEIPT_BYTES)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def receipt_hash(code: str, usage: str = RECEIPT_USAGE) -> str:
    """The keyed hash kept in the database (the code as typed: case and dashes ignored).
    Another channel's codes (grassroots.residents) hash under a usage of their own."""
    normal = re.sub(r"[\s-]", "", code).upper()
    key = keyring().for_usage(usage).index_key
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()
