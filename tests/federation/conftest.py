"""Federation fixtures: a partner deployment known to this one, whose private key the test
holds, and signed requests as that partner would send them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from grassroots.db import utcnow
from grassroots.federation.actions import do_add_partner
from grassroots.federation.queries import own_code
from grassroots.federation.schemas import PartnerIn
from grassroots.federation.sending import moment
from grassroots.federation.signing import (
    PROTOCOL,
    canonical,
    new_private_key,
    public_of,
    request_message,
    sign,
)

PARTNER = "990102"
PATH = "/federation/v1/documents"


@dataclass
class FakePartner:
    """The other deployment as the test plays it: its code, key and recipient."""

    code: str
    key: bytes
    recipient: str

    def document(
        self, kind: str, case: str, seq: int, body: dict[str, Any], origin: str | None = None
    ) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL,
            "id": str(uuid.uuid4()),
            "type": kind,
            "sender": self.code,
            "recipient": self.recipient,
            "case": {"origin": origin or self.code, "code": case},
            "sequence": seq,
            "created_at": moment(utcnow()),
            "body": body,
        }

    def request(
        self, document: dict[str, Any], when: datetime | None = None, body_of: bytes | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the POST; `body_of`: sign other bytes than those sent."""
        envelope = {"document": document, "signature": sign(self.key, canonical(document))}
        raw = json.dumps(envelope, ensure_ascii=False).encode()
        stamp = str(int((when or utcnow()).timestamp()))
        signature = sign(self.key, request_message(stamp, body_of or raw))
        return raw, {
            "Content-Type": "application/json",
            "X-Federation-Sender": self.code,
            "X-Federation-Timestamp": stamp,
            "X-Federation-Signature": signature,
        }


def shared_body(title: str = "两县交界草场边界纠纷", **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "category": "neighbour",
        "place": "邻县白石乡",
        "state": "accepted",
        "outcome": None,
        "registered_at": moment(utcnow()),
        "to": "990101002000",
        "note": "",
        "parties": [],
        **extra,
    }


@pytest.fixture
def partner(session: Session) -> FakePartner:
    key = new_private_key()
    data = PartnerIn(
        name="邻县综治中心", code=PARTNER, base_url="http://127.0.0.1:9", public_key=public_of(key)
    )
    do_add_partner(session, data, actor=None)
    return FakePartner(PARTNER, key, own_code(session))
