"""Random secrets and their stored form: session ids, API tokens, recovery codes.

Only a SHA-256 of each is stored. They are 256-bit (sessions, tokens) or 60-bit one-time
(recovery codes) random values, so a fast hash is enough: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "grt_"  # noqa: S105  (a visible marker, not a secret)
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def csrf_token_for(session_id: str) -> str:
    """The CSRF token of a session: an HMAC keyed by the (secret, HttpOnly) session id, so it
    needs no storage and cannot be computed by a page that does not hold the cookie."""
    return hmac.new(session_id.encode(), b"grassroots-csrf", hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_recovery_codes(n: int = RECOVERY_CODE_COUNT) -> list[str]:
    codes = []
    for _ in range(n):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def recovery_digest(code: str) -> str:
    return digest("recovery:" + normalise_recovery_code(code))
