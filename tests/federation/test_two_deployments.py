"""Two deployments on 127.0.0.1 (issue 19, Checks): two real `grassroots serve` processes
on two ports with two databases (two SQLite files, or two PostgreSQL databases), each with
its own Ed25519 key pair and the other registered as partner.

County A registers a border dispute and shares it with county B; messages cross both ways;
B goes down in the middle and catches up with nothing lost or duplicated; B's handler
records a session; A resolves and B's copy follows; a replayed and a tampered document are
refused and change nothing; the joint figures of both sides are recounted.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.calendar.today import china_today
from grassroots.config import get_settings
from grassroots.db import make_engine, utcnow
from grassroots.demo.build import build_demo_geography
from grassroots.federation.actions import do_add_partner, do_ensure_key
from grassroots.federation.models import FederationLink, FederationOutgoing, FederationReceived
from grassroots.federation.schemas import PartnerIn
from grassroots.federation.sending import private_key
from grassroots.federation.signing import request_message, sign, unseal
from grassroots.joint.figures import JointFigures, joint_figures
from tests.cases.conftest import grid_in
from tests.support.databases import new_database_url

ROOT = Path(__file__).resolve().parents[2]
CODES = {"a": "990101", "b": "990202"}
QINGSHI = "990101002000"  # 青石镇: zhao's post, on both sides (the same demo geography)
WAIT = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Side:
    name: str
    engine: Engine
    folder: Path
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, user: str = "zhao", **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return httpx.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def start(self) -> None:
        # as in production: "last used" of tokens written in batches, not on each request
        inherited = {k: v for k, v in os.environ.items() if k != "GRASSROOTS_AUTH_FLUSH_SECONDS"}
        env = {
            **inherited,
            "GRASSROOTS_DATA_DIR": str(self.folder),
            "GRASSROOTS_DATABASE_URL": self.engine.url.render_as_string(hide_password=False),
            "GRASSROOTS_KEY_FILE": str(get_settings().key_file_path),
            "GRASSROOTS_JOBS_INTERVAL_SECONDS": "1",
            "GRASSROOTS_LOG_LEVEL": "WARNING",
            "GRASSROOTS_FEDERATION_CODE": CODES[self.name],
            "GRASSROOTS_FEDERATION_RETRY_SECONDS": "1",
            "PYTHONPATH": str(ROOT / "src"),
        }
        cmd = [
            sys.executable,
            "-c",
            "from grassroots.cli.main import main; main()",
            "serve",
            "--port",
            str(self.port),
        ]
        with (self.folder / "server.log").open("ab") as out:
            self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None, self.log()
            time.sleep(0.3)
        raise AssertionError(f"server {self.name} did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None

    def log(self) -> str:
        return (self.folder / "server.log").read_text()[-3000:]


def _seed(side: Side) -> str:
    """The demo county, tokens for wang and zhao; returns this side's public key."""
    with Session(side.engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        users = {u.username: u for u in session.scalars(select(User))}
        for name, scopes in (
            ("wang", ["case.register", "case.read"]),
            ("zhao", ["case.read", "case.act"]),
        ):
            _, side.tokens[name] = do_create_token(
                session, users[name], name="fed", scopes=scopes, actor=None
            )
        side.tokens["grid"] = grid_in(session, users["wang"])
        return do_ensure_key(session).public_key


def _introduce(side: Side, other: Side, public_key: str) -> None:
    with Session(side.engine) as session:
        data = PartnerIn(
            name=f"county {other.name}",
            code=CODES[other.name],
            base_url=other.base,
            public_key=public_key,
        )
        do_add_partner(session, data, actor=None)


@pytest.fixture
def deployments(
    engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[dict[str, Side]]:
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    with ExitStack() as stack:
        sides = {}
        for name in CODES:
            folder = tmp_path / name
            folder.mkdir()
            url = new_database_url(kind, folder, stack, request, label=f"fed{name}")
            eng = make_engine(url)
            stack.callback(eng.dispose)
            sides[name] = Side(name, eng, folder, _free_port())
        keys = {name: _seed(side) for name, side in sides.items()}
        _introduce(sides["a"], sides["b"], keys["b"])
        _introduce(sides["b"], sides["a"], keys["a"])
        try:
            for side in sides.values():
                side.start()
            yield sides
        finally:
            for side in sides.values():
                side.stop()


def _until(what: Callable[[], Any], message: str, side: Side) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{message}\n{side.log()}")


def _links(side: Side) -> list[dict[str, Any]]:
    r = side.call("GET", "/api/v1/federation/links")
    assert r.status_code == 200, r.text
    return list(r.json())


def _timeline(side: Side, link_id: int) -> list[dict[str, Any]]:
    r = side.call("GET", f"/api/v1/federation/links/{link_id}")
    assert r.status_code == 200, r.text
    return list(r.json()["timeline"])


def _step(side: Side, code: str, action: str, **body: Any) -> None:
    version = side.call("GET", f"/api/v1/cases/{code}").json()["version"]
    r = side.call(
        "POST", f"/api/v1/cases/{code}/actions/{action}", json={"expected_version": version, **body}
    )
    assert r.status_code == 200, r.text


def _texts(timeline: list[dict[str, Any]]) -> list[str]:
    return [e["body"].get("text") or e["body"].get("summary") or e["type"] for e in timeline]


@pytest.mark.slow
def test_a_border_dispute_between_two_counties(deployments: dict[str, Side]) -> None:
    a, b = deployments["a"], deployments["b"]
    code = _register_and_share(a)
    b_link = _until(lambda: _links(b), "B never got the case", b)[0]
    assert (
        b_link["case_code"] == code
        and not b_link["ours"]
        and b_link["title"] == "两县交界草场边界纠纷"
    )
    a_link = _links(a)[0]
    assert a_link["ours"]
    _messages_both_ways(a, b, a_link["id"], b_link["id"])
    _b_goes_down_and_catches_up(a, b, a_link["id"], b_link["id"])
    _session_then_resolution(a, b, code, a_link["id"], b_link["id"])
    _nothing_lost_or_duplicated(a, b)
    _replayed_and_tampered_are_refused(a, b)
    _figures_recounted(a, b)


def _register_and_share(a: Side) -> str:
    body = {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "两县交界草场边界纠纷",
        "description": "两县牧户对交界草场边界有争议，联系电话13812345678",
        "grid_code": a.tokens["grid"],
    }
    created = a.call("POST", "/api/v1/cases", user="wang", json=body)
    assert created.status_code == 201, created.text
    code = str(created.json()["code"])
    _step(a, code, "accept")
    share = {"partner_code": CODES["b"], "to_code": QINGSHI, "note": "请协助通知贵县牧户到场"}
    r = a.call("POST", f"/api/v1/federation/cases/{code}/share", json=share)
    assert r.status_code == 201, r.text
    assert a.call("POST", f"/api/v1/federation/cases/{code}/share", json=share).status_code == 409
    return code


def _messages_both_ways(a: Side, b: Side, a_id: int, b_id: int) -> None:
    r = b.call("POST", f"/api/v1/federation/links/{b_id}/messages", json={"text": "收到，周五到场"})
    assert r.status_code == 201, r.text
    assert (
        a.call(
            "POST", f"/api/v1/federation/links/{a_id}/messages", json={"text": "好的，周五见"}
        ).status_code
        == 201
    )
    _until(lambda: "收到，周五到场" in _texts(_timeline(a, a_id)), "A never got B's message", a)
    _until(lambda: "好的，周五见" in _texts(_timeline(b, b_id)), "B never got A's message", b)


def _b_goes_down_and_catches_up(a: Side, b: Side, a_id: int, b_id: int) -> None:
    b.stop()
    sent = [f"B 停机期间的第{i}条" for i in range(1, 4)]
    for text in sent:
        assert (
            a.call(
                "POST", f"/api/v1/federation/links/{a_id}/messages", json={"text": text}
            ).status_code
            == 201
        )

    def failed_once() -> bool:
        with Session(a.engine) as s:
            return bool(
                s.scalar(
                    select(func.count())
                    .select_from(FederationOutgoing)
                    .where(FederationOutgoing.attempts > 0, FederationOutgoing.state == "failed")
                )
            )

    _until(failed_once, "A never tried while B was down", a)
    b.start()
    _until(lambda: all(t in _texts(_timeline(b, b_id)) for t in sent), "B never caught up", b)
    texts = _texts(_timeline(b, b_id))
    assert [t for t in texts if t in sent] == sent  # in order, each once


def _session_then_resolution(a: Side, b: Side, code: str, a_id: int, b_id: int) -> None:
    held = {"held_on": china_today().isoformat(), "summary": "两县调解员现场勘界，双方同意以河为界"}
    assert b.call("POST", f"/api/v1/federation/links/{b_id}/sessions", json=held).status_code == 201
    _until(lambda: held["summary"] in _texts(_timeline(a, a_id)), "A never saw B's session", a)
    village = a.call("GET", f"/api/v1/cases/{code}").json()["village_code"]
    _step(a, code, "assign", unit_code=f"{village}-mediation")
    _step(a, code, "resolve", outcome_note="两县共同调解，达成协议")
    _until(
        lambda: b.call("GET", f"/api/v1/federation/links/{b_id}").json()["outcome"] == "resolved",
        "B's copy never followed the resolution",
        b,
    )


def _nothing_lost_or_duplicated(a: Side, b: Side) -> None:
    for sender, receiver in ((a, b), (b, a)):
        with Session(sender.engine) as s:
            _until(
                lambda: (
                    not s.scalar(
                        select(func.count())
                        .select_from(FederationOutgoing)
                        .where(FederationOutgoing.state != "sent")
                    )
                ),
                "documents left unsent",
                sender,
            )
            out = sorted((o.document_id, o.seq) for o in s.scalars(select(FederationOutgoing)))
        with Session(receiver.engine) as s:
            got = sorted((r.document_id, r.seq) for r in s.scalars(select(FederationReceived)))
        assert got == out and sorted(seq for _, seq in out) == list(range(1, len(out) + 1))


def _replayed_and_tampered_are_refused(a: Side, b: Side) -> None:
    with Session(a.engine) as s:
        row = s.scalars(select(FederationOutgoing).order_by(FederationOutgoing.id.desc())).first()
        assert row is not None
        raw = unseal("envelope", row.envelope_enc).encode()
        key = private_key(do_ensure_key(s))
    with Session(b.engine) as s:
        before = (
            s.scalar(select(func.count()).select_from(FederationReceived)),
            s.scalar(select(FederationLink.in_seq)),
        )

    def post(body: bytes) -> httpx.Response:
        stamp = str(int(utcnow().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "X-Federation-Sender": CODES["a"],
            "X-Federation-Timestamp": stamp,
            "X-Federation-Signature": sign(key, request_message(stamp, body)),
        }
        return httpx.post(f"{b.base}/federation/v1/documents", content=body, headers=headers)

    replayed = post(raw)
    assert replayed.status_code == 409 and replayed.json()["code"] == "already_received"
    envelope = json.loads(raw)
    envelope["document"]["body"]["state"] = "closed"  # the signature no longer matches
    envelope["document"]["id"] = envelope["document"]["id"][:-4] + "0000"
    envelope["document"]["sequence"] += 1
    tampered = post(json.dumps(envelope).encode())
    assert tampered.status_code == 401 and tampered.json()["code"] == "bad_signature"
    with Session(b.engine) as s:
        after = (
            s.scalar(select(func.count()).select_from(FederationReceived)),
            s.scalar(select(FederationLink.in_seq)),
        )
    assert after == before


def _figures_recounted(a: Side, b: Side) -> None:
    today = china_today()
    with Session(a.engine) as s:
        assert joint_figures(s, "990101002", (today, today)) == JointFigures(1, 1, 0, 0)
    with Session(b.engine) as s:  # B's 青石镇 was asked to handle A's case: joined, resolved
        assert joint_figures(s, "990101002", (today, today)) == JointFigures(0, 0, 1, 1)
        assert joint_figures(s, "990101003", (today, today)) == JointFigures(0, 0, 0, 0)
