"""The ways a notice leaves the app: e-mail over SMTP (the server of GRASSROOTS_SMTP_*) and a
webhook signed with the channel's secret (a county points it at its SMS gateway or its
WeChat Work robot through a small adapter).

The webhook request: POST, JSON body (`message` below), headers
`X-Grassroots-Timestamp: <unix seconds>` and
`X-Grassroots-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed by the secret>`.
A receiver recomputes it and refuses a stale timestamp. Any answer but 2xx is a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage

from grassroots.config import Settings

TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """The channel did not take the message (the text is kept as the delivery's last error)."""


@dataclass(frozen=True)
class Message:
    """What leaves the app: what the recipient may see in the app, no more (no party data)."""

    delivery_id: int
    notification_id: int
    kind: str
    label: str
    text: str
    case_code: str
    case_url: str
    created_at: str
    username: str
    address: str

    def body(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(url: str, secret: str, message: Message, timestamp: int) -> None:
    post_signed(url, secret, message.body(), timestamp)


def post_signed(
    url: str, secret: str, body: bytes, timestamp: int, headers: dict[str, str] | None = None
) -> None:
    """POST `body` (JSON) signed as above, with any `headers` more; SendFailed unless 2xx."""
    stamp = str(timestamp)
    request = urllib.request.Request(  # noqa: S310  (http/https only: schemas.ChannelIn)
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 "X-Grassroots-Timestamp": stamp,
                 "X-Grassroots-Signature": signature(secret, stamp, body), **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}"[:200]) from exc
    if not 200 <= status < 300:
        raise SendFailed(f"HTTP {status}")


def send_email(settings: Settings, message: Message) -> None:
    if not settings.smtp_host:
        raise SendFailed("no SMTP server configured (GRASSROOTS_SMTP_HOST)")
    if not message.address:
        raise SendFailed("no e-mail address")
    mail = EmailMessage()
    mail["Subject"] = f"[{message.label}] {message.case_code}"
    mail["From"] = settings.smtp_from
    mail["To"] = message.address
    mail.set_content(f"{message.text}\n\n{message.case_url}\n")
    try:
        with _connect(settings) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(mail)
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}"[:200]) from exc


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_ssl:
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    return smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
