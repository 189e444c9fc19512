"""The auditor's routes: search and verify; nobody else may read the log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.audit.actions import record_audit
from grassroots.audit.anchors import Anchor, append_anchor, database_label
from grassroots.db import transaction, utcnow


def _seed(session: Session, users) -> None:  # type: ignore[no-untyped-def]
    with transaction(session):
        for i in range(3):
            record_audit(
                session,
                actor=users["zhao"],
                action="case.accept",
                object_type="case",
                object_id=f"990101-2026-{i:06d}",
            )
        record_audit(
            session,
            actor=users["li"],
            action="party.reveal",
            object_type="party",
            object_id=7,
            details={"field": "phone", "reason": "回访联系"},
        )


def test_auditor_searches_the_log(session, users, client_as):
    _seed(session, users)
    auditor = client_as("audit")
    page = auditor.get("/api/v1/audit/entries", params={"actor": "zhao", "page_size": 2}).json()
    assert page["total"] == 3 and len(page["rows"]) == 2
    assert [r["object_id"] for r in page["rows"]] == ["990101-2026-000002", "990101-2026-000001"]
    second = auditor.get(
        "/api/v1/audit/entries", params={"actor": "zhao", "page_size": 2, "page": 2}
    ).json()
    assert [r["object_id"] for r in second["rows"]] == ["990101-2026-000000"]
    reveal = auditor.get(
        "/api/v1/audit/entries", params={"action": "party.reveal", "object_id": "7"}
    ).json()
    assert reveal["rows"][0]["details"] == {"field": "phone", "reason": "回访联系"}


def test_search_by_time_range(session, users, client_as):
    _seed(session, users)
    auditor = client_as("audit")
    future = auditor.get(
        "/api/v1/audit/entries", params={"since": "2100-01-01T00:00:00+08:00"}
    ).json()
    assert future["total"] == 0
    everything = auditor.get(
        "/api/v1/audit/entries",
        params={"since": "2000-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"},
    ).json()
    assert everything["total"] >= 4
    naive = auditor.get("/api/v1/audit/entries", params={"since": "2000-01-01T00:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "since"
    assert naive.json()["errors"][0]["type"] == "timezone_aware"


def test_auditor_runs_verify(session, users, client_as):
    _seed(session, users)
    body = client_as("audit").get("/api/v1/audit/verify").json()
    assert body["intact"] is True and body["broken_id"] is None
    assert body["message"] == f"intact, {body['rows']} rows, head {body['head']}"


def test_verify_checks_the_anchor_file(app, session, users, client_as):
    _seed(session, users)
    settings = app.state.settings
    far_ahead = Anchor(utcnow(), 10**9, "a" * 64, database_label(app.state.engine))
    append_anchor(settings.audit_anchor_path, far_ahead)
    auditor = client_as("audit")
    body = auditor.get("/api/v1/audit/verify").json()
    assert body["intact"] is False and "anchor file has row 1000000000" in body["reason"]
    assert auditor.get("/api/v1/audit/verify", params={"anchor_file": "false"}).json()["intact"]


def test_others_may_not_read_the_log_and_the_refusal_is_audited(session, users, client_as):
    for name in ("admin", "zhao", "chen"):
        assert client_as(name).get("/api/v1/audit/entries").status_code == 403
        assert client_as(name).get("/api/v1/audit/verify").status_code == 403
    denied = (
        client_as("audit")
        .get("/api/v1/audit/entries", params={"action": "access.denied", "actor": "admin"})
        .json()
    )
    assert denied["total"] == 2
    assert {r["object_id"] for r in denied["rows"]} == {
        "/api/v1/audit/entries",
        "/api/v1/audit/verify",
    }
