"""The proof of work a browser does before a report (self-hosted; no third-party captcha).

Hashcash on SHA-256 with challenges the server issues and signs (HMAC under the
deployment's keyring, usage "public-pow"), so the server keeps no state until a proof comes
back:

    challenge = "<expires unix seconds>.<32 random hex digits>"
    signature = HMAC-SHA256(key, "<challenge>:<bits>")           (hex)
    proof     = "<challenge>:<bits>:<signature>:<nonce>"
    accepted when SHA-256("<challenge>:<nonce>") starts with `bits` zero bits, the signature
    is ours, `bits` is at least today's setting, the challenge has not expired, and it was
    not used before (the one-use mark is a hit in the public rate-limit table).

The difficulty adapts to the load (adaptive_bits): GRASSROOTS_PUBLIC_POW_BITS while the
reports of everyone are calm, one bit more (twice the work) per doubling of their count
above GRASSROOTS_PUBLIC_POW_CALM_REPORTS, at most GRASSROOTS_PUBLIC_POW_MAX_BITS. The bits are
part of what is signed, so a client cannot lower them; a proof is accepted at no fewer bits
than the floor (a challenge issued under load stays at its harder bits).

16 bits cost a phone about a second (65,536 hashes on average) and a sender of thousands of
reports that many seconds; the server checks a proof with one hash. The page's script
(web/static/app/public.js) finds the nonce; docs/public.md documents the format for clients.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from grassroots.crypto import keyring
from grassroots.errors import Problem

POW_USAGE = "public-pow"
PROOF_PATTERN = r"^[0-9]{10}\.[0-9a-f]{32}:[0-9]{1,2}:[0-9a-f]{64}:[0-9]{1,12}$"


@dataclass(frozen=True)
class Challenge:
    challenge: str
    bits: int
    signature: str
    expires: int


def _sign(challenge: str, bits: int) -> str:
    key = keyring().for_usage(POW_USAGE).index_key
    return hmac.new(key, f"{challenge}:{bits}".encode(), hashlib.sha256).hexdigest()


def adaptive_bits(recent: int, calm: int, floor: int, ceiling: int) -> int:
    """The difficulty for `recent` reports of everyone in the global window: `floor` up to
    `calm` reports, then one bit per doubling (the smallest k with calm × 2^k ≥ recent),
    never above `ceiling` (nor below `floor`)."""
    if recent <= calm:
        return floor
    extra = ((recent - 1) // calm).bit_length()
    return max(floor, min(floor + extra, ceiling))


def issue(bits: int, ttl_seconds: int, now: float | None = None) -> Challenge:
    expires = int((now or time.time()) + ttl_seconds)
    challenge = f"{expires}.{secrets.token_hex(16)}"
    return Challenge(challenge, bits, _sign(challenge, bits), expires)


def leading_zero_bits(digest: bytes) -> int:
    n = 0
    for byte in digest:
        if byte:
            return n + 8 - byte.bit_length()
        n += 8
    return n


def _refused(reason: str) -> Problem:
    return Problem(
        422, "proof_of_work_failed",
        f"验证未通过，请刷新页面重试 / proof of work refused: {reason}",
        errors=[{"field": "proof", "message": reason}],
    )  # fmt: skip


def check(proof: str, min_bits: int, now: float | None = None) -> str:
    """The proof's challenge when the proof holds (its one use is the caller's to mark);
    else a 422 that changes nothing."""
    try:
        challenge, bits_text, signature, nonce = proof.split(":")
        bits, expires = int(bits_text), int(challenge.split(".")[0])
    except ValueError:
        raise _refused("malformed") from None
    if not hmac.compare_digest(signature, _sign(challenge, bits)):
        raise _refused("not issued here")
    if bits < min_bits:
        raise _refused("too easy")
    if expires < (now or time.time()):
        raise _refused("expired")
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if leading_zero_bits(digest) < bits:
        raise _refused("wrong answer")
    return challenge


def solve(challenge: Challenge) -> str:
    """The proof for `challenge` (what the page's script does; for tests and API clients)."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge.challenge}:{nonce}".encode()).digest()
        if leading_zero_bits(digest) >= challenge.bits:
            return f"{challenge.challenge}:{challenge.bits}:{challenge.signature}:{nonce}"
        nonce += 1
