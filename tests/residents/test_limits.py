"""The abuse limits hold across processes: two apps (as two processes would be) on one
database share the per-address and the global report limits and the Open311 limit; bodies
over the public limit are refused before they are read; nothing is registered by a refused
call."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.cases.models import Case
from grassroots.residents.api import REPORT_BODY
from grassroots.web.limits import LIMIT_KEY
from tests.residents.conftest import PUBLIC, make_app, proof


def _reports(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(Case.source_code == "resident_report")) or 0


def test_per_address_limit_is_shared_by_two_processes(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, session: Session,
    report_body,
) -> None:  # fmt: skip
    apps = [make_app(engine, session_factory, tmp_path, public_report_rate_limit="2/3600")
            for _ in range(2)]  # fmt: skip
    with TestClient(apps[0], client=("10.0.0.1", 4000)) as one, \
         TestClient(apps[1], client=("10.0.0.1", 4001)) as two:  # fmt: skip
        assert one.post(f"{PUBLIC}/reports", json=report_body(proof=proof(one))).status_code == 201
        assert two.post(f"{PUBLIC}/reports", json=report_body(proof=proof(two))).status_code == 201
        refused = one.post(f"{PUBLIC}/reports", json=report_body(proof=proof(one)))
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert two.post(f"{PUBLIC}/reports", json=report_body(proof=proof(two))).status_code == 429
    with TestClient(apps[1], client=("10.0.0.2", 4002)) as other:  # another address: its own
        assert (
            other.post(f"{PUBLIC}/reports", json=report_body(proof=proof(other))).status_code == 201
        )
    assert _reports(session) == 3


def test_global_limit_holds_across_addresses_and_processes(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, session: Session,
    report_body,
) -> None:  # fmt: skip
    apps = [make_app(engine, session_factory, tmp_path, public_global_rate_limit="3/3600")
            for _ in range(2)]  # fmt: skip
    codes = []
    for n in range(4):
        with TestClient(apps[n % 2], client=(f"10.0.1.{n}", 4000)) as c:
            codes.append(c.post(f"{PUBLIC}/reports", json=report_body(proof=proof(c))).status_code)
    assert codes == [201, 201, 201, 429]
    assert _reports(session) == 3


def test_open311_limit_is_shared_by_two_processes(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    apps = [make_app(engine, session_factory, tmp_path, open311_rate_limit="3/60")
            for _ in range(2)]  # fmt: skip
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        answers = [c.get("/open311/v2/services.json").status_code for c in (one, two, one, two)]
    assert answers == [200, 200, 200, 429]


def test_a_large_body_is_refused_before_it_is_read(client: TestClient, session: Session,
                                                   report_body) -> None:  # fmt: skip
    big = {"receipt_code": "长" * 10_000}  # 30 KB > the 16 KiB of a lookup
    assert client.post(f"{PUBLIC}/reports/lookup", json=big).status_code == 413
    # A report may carry photos in base64: its limit is the upload's, and holds as well.
    huge = report_body(proof=proof(client), photos=["A" * REPORT_BODY[LIMIT_KEY]])
    assert client.post(f"{PUBLIC}/reports", json=huge).status_code == 413
    assert _reports(session) == 0
