"""TOTP second factor (RFC 6238, 30-second steps, 6 digits) with replay protection."""

from __future__ import annotations

from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg

from grassroots.accounts.credentials import same
from grassroots.crypto import keyring

ISSUER = "grassroots 综治平台"
STEP_SECONDS = 30
FIELD = "totp_secret"  # associated data for the keyring's AES-GCM


def new_secret() -> str:
    return pyotp.random_base32()


def seal(secret: str) -> bytes:
    return keyring().encrypt(FIELD, secret)


def unseal(blob: bytes) -> str:
    return keyring().decrypt(FIELD, blob)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to (clock drift of one step allowed either way), or None.

    A step at or before `last_step` is refused: each code works once, and an older code
    cannot be used after a newer one.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if same(totp.at(step * STEP_SECONDS), code):
            return step
    return None
