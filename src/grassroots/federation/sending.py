"""The outbox of signed documents (docs/federation.md): queued in the writer's transaction,
sent by the `federation_outbox` job.

One attempt is three steps as in the notification outbox (notifications.delivery): claim
(a short transaction: the attempt counted, the row leased), send (outside any transaction),
record (sent, or failed and due again after a backoff). Ordered per link: a document is due
only when every earlier one of the same link has been acknowledged, so the receiver sees
n + 1 only after n. Acknowledged: 202, or 409 already_received (the receiver has it; the
answer to our earlier attempt was lost). A document is never given up: a partner that is
down for days catches up when it returns (the wait is at most an hour).
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from grassroots.config import Settings
from grassroots.db import transaction
from grassroots.federation.models import (
    FederationEntry,
    FederationKey,
    FederationLink,
    FederationOutgoing,
    Partner,
)
from grassroots.federation.signing import PROTOCOL, canonical, request_message, seal, sign, unseal
from grassroots.notifications.delivery.attempts import DUE_STATES, LEASE, backoff

PATH = "/federation/v1/documents"
TIMEOUT_SECONDS = 10
KEY_REFUSED = "HTTP 401 bad_signature"
Keys = tuple[bytes, bytes | None]  # the signing key, the retired one still tried


def moment(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def queue_document(session: Session, link: FederationLink, kind: str, body: dict[str, Any],
                   signer: tuple[str, bytes], now: datetime) -> str:  # fmt: skip
    """The next document about `link`'s case to its partner (in the caller's transaction):
    numbered, signed with `signer` (own code, raw private key), into the outbox and the
    timeline. Returns its id."""
    link.out_seq += 1
    document = {"protocol": PROTOCOL, "id": str(uuid.uuid4()), "type": kind,
                "sender": signer[0], "recipient": link.partner.code,
                "case": {"origin": link.origin_code, "code": link.case_code},
                "sequence": link.out_seq, "created_at": moment(now), "body": body}  # fmt: skip
    envelope = {"document": document, "signature": sign(signer[1], canonical(document))}
    sealed = seal("envelope", json.dumps(envelope, ensure_ascii=False))
    session.add(FederationOutgoing(partner_id=link.partner_id, link_id=link.id,
                                   document_id=document["id"], seq=link.out_seq,
                                   envelope_enc=sealed, state="pending", attempts=0,
                                   next_attempt_at=now, created_at=now, last_error=""))  # fmt: skip
    session.add(
        FederationEntry(
            link_id=link.id,
            document_id=document["id"],
            direction="out",
            kind=kind,
            created_at=now,
            body_enc=seal("body", json.dumps(body, ensure_ascii=False)),
        )
    )
    link.updated_at = now
    return str(document["id"])


def private_key(key: FederationKey) -> bytes:
    """The raw private key of `key` (unsealed for signing; never logged)."""
    return base64.b64decode(unseal("private_key", key.private_enc))


def resigned(envelope: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The same document signed with another key (after a rotation)."""
    document = envelope["document"]
    return {"document": document, "signature": sign(key, canonical(document))}


def resign_outbox(session: Session, key: bytes) -> int:
    """Sign every document not yet delivered with `key` (in the rotation's transaction), so
    that none waits on a retired key. Returns how many."""
    rows = list(
        session.scalars(select(FederationOutgoing).where(FederationOutgoing.state.in_(DUE_STATES)))
    )
    for row in rows:
        envelope = resigned(json.loads(unseal("envelope", row.envelope_enc)), key)
        row.envelope_enc = seal("envelope", json.dumps(envelope, ensure_ascii=False))
    return len(rows)


def _due(now: datetime) -> Any:
    earlier = aliased(FederationOutgoing)
    waiting = exists().where(
        and_(
            earlier.link_id == FederationOutgoing.link_id,
            earlier.seq < FederationOutgoing.seq,
            earlier.state.in_(DUE_STATES),  # not sent, not cancelled
        )
    )
    return and_(
        FederationOutgoing.state.in_(DUE_STATES),
        FederationOutgoing.next_attempt_at <= now,
        ~waiting,
    )


@dataclass(frozen=True)
class Claim:
    row_id: int
    attempt: int
    url: str
    sender: str
    body: bytes
    key: bytes
    fallback: bytes | None = None  # the retired key, tried when the new one is refused

    def by_fallback(self) -> Claim:
        """The same attempt signed with the retired key (document and request)."""
        assert self.fallback is not None
        envelope = resigned(json.loads(self.body), self.fallback)
        body = json.dumps(envelope, ensure_ascii=False).encode()
        return replace(self, body=body, key=self.fallback, fallback=None)


def claim(session: Session, row_id: int, now: datetime, sender: str, keys: Keys) -> Claim | None:
    """Take one due document for an attempt (counted, leased), or None."""
    with transaction(session):
        row = session.scalar(
            select(FederationOutgoing)
            .where(FederationOutgoing.id == row_id, _due(now))
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        partner = session.get_one(Partner, row.partner_id)
        if not partner.active:
            row.next_attempt_at = now + backoff(row.attempts, 60)
            return None
        body = unseal("envelope", row.envelope_enc).encode()
        return Claim(row.id, row.attempts, partner.base_url + PATH, sender, body, *keys)


def send(taken: Claim, now: datetime) -> str | None:
    """One POST; None when acknowledged, else the error."""
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "X-Federation-Sender": taken.sender,
        "X-Federation-Timestamp": timestamp,
        "X-Federation-Signature": sign(taken.key, request_message(timestamp, taken.body)),
    }
    try:
        answer = httpx.post(taken.url, content=taken.body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if answer.status_code == 202:
        return None
    code = _problem_code(answer)
    if answer.status_code == 409 and code == "already_received":
        return None
    return f"HTTP {answer.status_code} {code}"


def _problem_code(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("code", ""))
    except (ValueError, AttributeError):
        return ""


def record(
    session: Session, taken: Claim, error: str | None, now: datetime, settings: Settings
) -> str:
    with transaction(session):
        row = session.scalar(
            select(FederationOutgoing).where(
                FederationOutgoing.id == taken.row_id, FederationOutgoing.attempts == taken.attempt
            )
        )
        if row is None:
            return ""
        if row.state == "gave_up":
            return _cancelled_on_its_way(session, row, error, now)
        if error is None:
            row.state, row.sent_at, row.last_error = "sent", now, ""
        else:
            row.state, row.last_error = "failed", error
            row.next_attempt_at = now + backoff(row.attempts, settings.federation_retry_seconds)
        return row.state


def _cancelled_on_its_way(session: Session, row: FederationOutgoing, error: str | None,
                          now: datetime) -> str:  # fmt: skip
    """An administrator cancelled the document while it was being sent: a failure leaves it
    cancelled; if it arrived after all, it counts as delivered and its case's numbering
    follows it again (the later documents stay cancelled)."""
    if error is None:
        row.state, row.sent_at, row.last_error = "sent", now, ""
        link = session.get_one(FederationLink, row.link_id)
        link.out_seq = max(link.out_seq, row.seq)
    return row.state


def _attempt(sessions: sessionmaker[Session], row_id: int, now: datetime,
             settings: Settings, signer: tuple[str, Keys]) -> str:  # fmt: skip
    """Claim, send, record one document: "sent", "failed" or "" (not taken). A partner that
    refuses the signature is asked again with the retired key during its grace period."""
    with sessions() as session:
        taken = claim(session, row_id, now, signer[0], signer[1])
    if taken is None:
        return ""
    error = send(taken, now)
    if error == KEY_REFUSED and taken.fallback is not None:
        error = send(taken.by_fallback(), now)
    with sessions() as session:
        return record(session, taken, error, now, settings)


def drain(sessions: sessionmaker[Session], now: datetime, settings: Settings,
          signer: tuple[str, FederationKey | None], limit: int = 200,
          fallback: FederationKey | None = None) -> dict[str, int]:  # fmt: skip
    """Send every due document, in order per link, until none is due (at most `limit`
    rounds: a document acknowledged makes the next of its link due). `fallback`: the key
    retired by a rotation, during its grace period."""
    summary = {"sent": 0, "failed": 0}
    if signer[1] is None:
        return summary
    old = private_key(fallback) if fallback is not None else None
    key = (signer[0], (private_key(signer[1]), old))
    for _ in range(limit):
        with sessions() as session:
            ids = list(session.scalars(select(FederationOutgoing.id).where(_due(now))
                                       .order_by(FederationOutgoing.id).limit(limit)))  # fmt: skip
        outcomes = [_attempt(sessions, row_id, now, settings, key) for row_id in ids]
        for outcome in filter(None, outcomes):
            summary[outcome] = summary.get(outcome, 0) + 1
        if "sent" not in outcomes:
            break
    return summary
