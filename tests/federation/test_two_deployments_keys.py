"""Key rotation between two real deployments (the servers of test_two_deployments): A
rotates its key; B, not told yet, still gets A's documents signed with A's retired key (the
grace period); once the grace is over A's documents are refused and retried until B registers
A's new key, then arrive signed with it, nothing lost. The same the other way round."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grassroots.db import utcnow
from grassroots.federation.actions import do_rotate_key, do_set_partner_key
from grassroots.federation.models import FederationKey, FederationOutgoing, FederationReceived
from grassroots.federation.queries import partner_by_code
from grassroots.federation.schemas import PartnerKeyIn
from grassroots.federation.signing import canonical, unseal, verify
from tests.federation.test_two_deployments import (  # noqa: F401 (deployments: a fixture)
    CODES,
    Side,
    _links,
    _register_and_share,
    _texts,
    _timeline,
    _until,
    deployments,
)


def _rotate(side: Side) -> tuple[str, str]:
    """Rotate `side`'s key; returns (old, new) public keys."""
    with Session(side.engine) as s:
        old = s.scalars(select(FederationKey).order_by(FederationKey.id.desc())).first()
        assert old is not None
        old_key = old.public_key
        return old_key, do_rotate_key(s, actor=None).public_key


def _learn(side: Side, other: Side, public_key: str) -> None:
    with Session(side.engine) as s:
        partner = partner_by_code(s, CODES[other.name])
        assert partner is not None
        do_set_partner_key(s, partner, PartnerKeyIn(public_key=public_key), actor=None)


def _signed_by(receiver: Side, text: str) -> str:
    """The public key ("old"/"new" left to the caller) that signed the received `text`."""
    with Session(receiver.engine) as s:
        for row in s.scalars(select(FederationReceived).order_by(FederationReceived.id.desc())):
            envelope = json.loads(unseal("envelope", row.envelope_enc))
            if envelope["document"]["body"].get("text") == text:
                return json.dumps(envelope)
    raise AssertionError(f"{text} not received")


def _verifies(envelope_json: str, public_key: str) -> bool:
    envelope = json.loads(envelope_json)
    return verify(public_key, canonical(envelope["document"]), envelope["signature"])


def _say(sender: Side, receiver: Side, ids: dict[str, int], text: str) -> None:
    path = f"/api/v1/federation/links/{ids[sender.name]}/messages"
    assert sender.call("POST", path, json={"text": text}).status_code == 201
    _until(lambda: text in _texts(_timeline(receiver, ids[receiver.name])),
           f"{receiver.name} never got {text}", receiver)  # fmt: skip


def _refused_once(side: Side) -> bool:
    with Session(side.engine) as s:
        return bool(
            s.scalar(select(FederationOutgoing.id).where(
                FederationOutgoing.last_error == "HTTP 401 bad_signature").limit(1))
        )  # fmt: skip


@pytest.mark.slow
def test_key_rotation_both_ways(deployments: dict[str, Any]) -> None:  # noqa: F811
    a, b = deployments["a"], deployments["b"]
    _register_and_share(a)
    ids = {"b": _until(lambda: _links(b), "B never got the case", b)[0]["id"]}
    ids["a"] = _links(a)[0]["id"]
    for sender, receiver in ((a, b), (b, a)):
        old, new = _rotate(sender)
        _say(sender, receiver, ids, f"{sender.name} 轮换后，对方未登记新钥")
        signed = _signed_by(receiver, f"{sender.name} 轮换后，对方未登记新钥")
        assert _verifies(signed, old) and not _verifies(signed, new)  # the retired key, tried
        if sender is a:  # the grace is over: refused and retried until B learns the new key
            with Session(a.engine) as s, s.begin():
                gone = utcnow() - timedelta(days=8)
                s.execute(update(FederationKey).where(FederationKey.retired_at.is_not(None))
                          .values(retired_at=gone))  # fmt: skip
            path = f"/api/v1/federation/links/{ids['a']}/messages"
            assert a.call("POST", path, json={"text": "宽限期后"}).status_code == 201
            _until(lambda: _refused_once(a), "B never refused the new key", a)
            assert "宽限期后" not in _texts(_timeline(b, ids["b"]))
        _learn(receiver, sender, new)
        _say(sender, receiver, ids, f"{sender.name} 对方已登记新钥")
        signed = _signed_by(receiver, f"{sender.name} 对方已登记新钥")
        assert _verifies(signed, new) and not _verifies(signed, old)
    texts = _texts(_timeline(b, ids["b"]))
    assert texts.count("宽限期后") == 1  # delivered once B knew the key, not lost
