"""Intake's fast path (cases/intake.py) stores exactly what do_register stores and answers
what GET answers: case row, event, parties, audit row, statistics."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from shapely import from_wkb
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.intake.actions import do_register
from grassroots.cases.intake.idempotency import Replay, request_hash
from grassroots.cases.intake.keyed import do_register_once
from grassroots.cases.models import Case, CaseEvent, Party
from grassroots.cases.schemas import NewCase
from grassroots.cases.tallies import maintain
from grassroots.cases.tallies.models import (
    CohortAggregate,
    DueAggregate,
    OpenAggregate,
    OpenMonthAggregate,
)
from grassroots.crypto import keyring
from grassroots.geo.models import Boundary, Jurisdiction

MOMENT = datetime(2026, 9, 29, 3, 0, tzinfo=UTC)  # a Tuesday before the National Day holiday
CASE_SKIP = {"id", "code"}


def _row(obj: Any, skip: set[str]) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.c if c.key not in skip}


def _stored(session: Session, code: str) -> dict[str, Any]:
    session.expire_all()
    case = session.scalars(select(Case).where(Case.code == code)).one()
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    parties = session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id))
    audit = session.scalars(select(AuditEntry).where(AuditEntry.object_id == code)).all()
    return {
        "case": _row(case, CASE_SKIP),
        "events": [_row(e, {"id", "case_id"}) for e in events],
        "parties": [_party(p) for p in parties],
        "audit": [(a.action, a.actor_id, a.object_type, a.result, a.details) for a in audit],
    }


def _party(p: Party) -> tuple[Any, ...]:
    ring = keyring()
    phone = p.phone_enc and ring.decrypt("phone", p.phone_enc)
    id_number = p.id_number_enc and ring.decrypt("id_number", p.id_number_enc)
    return (p.role, p.name, p.address, p.phone_bidx, p.id_number_bidx, phone, id_number)


def _aggregates(session: Session) -> set[tuple[Any, ...]]:
    rows: set[tuple[Any, ...]] = set()
    for model in (CohortAggregate, DueAggregate, OpenAggregate, OpenMonthAggregate):
        for r in session.execute(select(*model.__table__.c)):  # type: ignore[attr-defined]
            rows.add((model.__tablename__, *r))
    return rows


def _point_in(session: Session, grid_code: str) -> tuple[float, float]:
    grid = session.scalars(select(Jurisdiction).where(Jurisdiction.code == grid_code)).one()
    wkb = session.scalars(select(Boundary.wkb).where(Boundary.jurisdiction_id == grid.id)).one()
    point = from_wkb(wkb).representative_point()
    return point.y, point.x


def _bodies(new_case_body: dict[str, Any], session: Session) -> list[dict[str, Any]]:
    lat, lng = _point_in(session, new_case_body["grid_code"])
    located = {k: v for k, v in new_case_body.items() if k != "grid_code"}
    return [
        new_case_body,
        {**located, "lat": lat, "lng": lng},
        {**new_case_body, "violence_risk": True, "risk_level": "high", "parties": [],
         "amount_involved": "1234.50", "address": "清山村3组", "note": "夜间巡查"},
    ]  # fmt: skip


def test_fast_path_stores_what_do_register_stores(session, users, new_case_body):
    wang = users["wang"]
    for body in _bodies(new_case_body, session):
        data = NewCase.model_validate(body)
        slow = do_register(session, data, actor=wang, now=MOMENT)
        digest = request_hash(data.model_dump(mode="json"))
        outcome = do_register_once(
            session, data, actor=wang, key=uuid.uuid4().hex, digest=digest, now=MOMENT
        )
        assert not isinstance(outcome, Replay)
        fast, _ = outcome
        assert fast.code != slow.code
        assert _stored(session, fast.code) == _stored(session, slow.code)


def test_fast_path_keeps_the_statistics_exact(session, users, new_case_body):
    for body in _bodies(new_case_body, session):
        data = NewCase.model_validate(body)
        digest = request_hash(data.model_dump(mode="json"))
        do_register_once(
            session, data, actor=users["wang"], key=uuid.uuid4().hex, digest=digest, now=MOMENT
        )
    maintained = _aggregates(session)
    maintain.rebuild(session)
    session.flush()
    assert _aggregates(session) == maintained


def test_the_response_is_what_get_answers(client_as, new_case_body, session):
    wang = client_as("wang")
    for i, body in enumerate(_bodies(new_case_body, session)):
        created = wang.post("/api/v1/cases", json=body, headers={"Idempotency-Key": f"get-{i}"})
        assert created.status_code == 201, created.text
        assert created.headers["Location"] == f"/api/v1/cases/{created.json()['code']}"
        fetched = wang.get(created.headers["Location"])
        assert fetched.json() == created.json()
        assert created.json()["parties"] == fetched.json()["parties"]  # masked, in order


def test_a_located_registration_reads_the_reference_stamp_once(session, users, new_case_body):
    """The preflight SELECT reads the stamp; locating the point checks the grid index
    against it instead of reading it again. Counted on a warm cache (second registration)."""
    body = _bodies(new_case_body, session)[1]  # with a point
    data = NewCase.model_validate(body)
    digest = request_hash(data.model_dump(mode="json"))
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    bind = session.get_bind()
    for n in range(2):
        statements.clear()
        event.listen(bind, "before_cursor_execute", record)
        try:
            outcome = do_register_once(session, data, actor=users["wang"],
                                       key=f"stamp-{n}", digest=digest, now=MOMENT)  # fmt: skip
        finally:
            event.remove(bind, "before_cursor_execute", record)
        assert not isinstance(outcome, Replay)
    assert sum("reference_stamp" in s for s in statements) == 1
