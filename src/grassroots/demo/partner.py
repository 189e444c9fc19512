"""The demo's partner deployment (issue 19, docs/federation.md): 石岭县 (code 990201, the
neighbouring fictional county of demo/border.py) registered as a partner with a key pair of its
own, and a year of its documents received through the REAL receiving path (signature, order
and replay checks, then applied): boundary disputes it shared with 青石镇 and 柳河镇, its
handlers' messages and sessions, and its cases' state changes. Its address answers nothing,
so what our handlers write back waits in the outbox (/admin/partners/outbox), as when a
partner is down. No personal data: titles name places and matters only.

Deterministic for (today): the partner's key comes from a fixed seed, document ids from uuid5."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from grassroots.calendar.today import CHINA_TZ
from grassroots.federation.actions import do_add_partner, do_ensure_key
from grassroots.federation.queries import own_code, partner_by_code
from grassroots.federation.receiving import receive
from grassroots.federation.schemas import PartnerIn
from grassroots.federation.sending import moment
from grassroots.federation.signing import PROTOCOL, canonical, public_of, request_message, sign

CODE, NAME = "990201", "石岭县综治中心"
BASE_URL = "http://127.0.0.1:9"  # the discard port: nothing answers (the partner is "down")
KEY = hashlib.sha256(b"grassroots demo partner 990201").digest()  # its Ed25519 private key
POST = "石岭县综治中心"  # the writer's post, never a name
ASKED = "我方已完成初步调查，拟下周联合勘界，请确认时间"


@dataclass(frozen=True)
class TheirCase:
    days_ago: int  # when they shared it
    to: str  # the township asked to handle it here
    title: str
    place: str
    resolved_after: int | None  # days until they report it resolved; None: still open


CASES = (
    TheirCase(330, "990101002000", "交界处林地界址争议", "石岭县东坡村", 40),
    TheirCase(250, "990101003000", "跨县放牧草场边界纠纷", "石岭县北岭村", 55),
    TheirCase(170, "990101002000", "交界水渠用水分配纠纷", "石岭县下河村", 30),
    TheirCase(90, "990101003000", "交界处山林防火通道占用纠纷", "石岭县西沟村", None),
    TheirCase(20, "990101002000", "跨县承包地边界界桩移位纠纷", "石岭县东坡村", None),
)


def build_demo_partner(session: Session, today: date) -> int:
    """Register 石岭县 and receive its documents; how many documents were received."""
    do_ensure_key(session, actor=None)
    if partner_by_code(session, CODE) is None:
        partner = PartnerIn(name=NAME, code=CODE, base_url=BASE_URL, public_key=public_of(KEY))
        do_add_partner(session, partner, actor=None)
    received = 0
    for n, case in enumerate(CASES, start=1):
        for seq, (when, kind, body) in enumerate(_documents(case, today), start=1):
            code = f"{CODE}-{(today - timedelta(days=case.days_ago)).year}-{n:06d}"
            _receive(session, code, seq, kind, body, when)
            received += 1
    return received


def _at(today: date, days_ago: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(10), tzinfo=CHINA_TZ)


def _documents(case: TheirCase, today: date) -> list[tuple[datetime, str, dict[str, Any]]]:
    shared = _at(today, case.days_ago)
    docs: list[tuple[datetime, str, dict[str, Any]]] = [(shared, "joint_case.shared", {
        "title": case.title, "category": "neighbour", "place": case.place, "state": "accepted",
        "outcome": None, "registered_at": moment(shared - timedelta(days=2)), "to": case.to,
        "note": "请贵方协助通知交界处当事人到场，共同勘界", "parties": [],
    })]  # fmt: skip
    docs.append((shared + timedelta(days=3), "message", {"from": POST, "text": ASKED}))
    docs.append((shared + timedelta(days=10), "session.recorded", {
        "from": POST, "held_on": (shared + timedelta(days=9)).date().isoformat(),
        "summary": "双方调解员与村干部现场勘界，当事人同意以原界桩为准",
    }))  # fmt: skip
    if case.resolved_after is not None:
        docs.append((shared + timedelta(days=case.resolved_after), "status.changed",
                     {"state": "resolved", "outcome": "resolved"}))  # fmt: skip
    return docs


def _receive(session: Session, case: str, seq: int, kind: str, body: dict[str, Any],
             when: datetime) -> None:  # fmt: skip
    """One document of theirs, signed with their key, through the receiving path."""
    document = {
        "protocol": PROTOCOL, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{case}/{seq}")),
        "type": kind, "sender": CODE, "recipient": own_code(session),
        "case": {"origin": CODE, "code": case}, "sequence": seq, "created_at": moment(when),
        "body": body,
    }  # fmt: skip
    envelope = {"document": document, "signature": sign(KEY, canonical(document))}
    raw = json.dumps(envelope, ensure_ascii=False).encode()
    stamp = str(int(when.timestamp()))
    headers = {"x-federation-sender": CODE, "x-federation-timestamp": stamp,
               "x-federation-signature": sign(KEY, request_message(stamp, raw))}  # fmt: skip
    receive(session, headers, raw, when)
