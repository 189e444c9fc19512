"""Audit rows name the API token that acted (its id, never the secret); sessions and the CLI
leave it empty. The token id is hashed only when set, so older chains still verify."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from grassroots.audit.chain import row_hash
from grassroots.audit.models import AuditEntry
from grassroots.audit.verify import verify_chain
from grassroots.db import alembic_config, upgrade_schema
from tests.accounts.conftest import last_audit_id

TOKENS = "/api/v1/auth/tokens"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _rows_since(session: Session, since: int) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.id > since)))


def test_rows_written_through_a_token_name_it(client_as, client, session):
    zhao = client_as("zhao")
    first = zhao.post(TOKENS, json={"name": "a", "scopes": ["account.self"]}).json()
    since = last_audit_id(session)
    minted = client.post(
        TOKENS, json={"name": "b", "scopes": ["account.self"]}, headers=_bearer(first["token"])
    )
    assert minted.status_code == 201
    refused = client.get("/api/v1/cases", headers=_bearer(first["token"]))  # audited refusal
    assert refused.status_code == 403
    rows = _rows_since(session, since)
    assert [(r.action, r.token_id) for r in rows] == [
        ("token.create", first["id"]),
        ("access.denied", first["id"]),
    ]
    assert all(first["token"] not in str(r.details) for r in rows)


def test_session_rows_have_no_token(client_as, session):
    since = last_audit_id(session)
    zhao = client_as("zhao")
    zhao.post(TOKENS, json={"name": "a", "scopes": ["account.self"]})
    zhao.get("/api/v1/audit/entries")  # refused: audited
    rows = _rows_since(session, since)
    # client_as mints the session directly outside tests/accounts (no login.success row)
    assert {r.action for r in rows} >= {"token.create", "access.denied"}
    assert {r.token_id for r in rows} == {None}


def test_the_chain_with_token_rows_verifies(client_as, client, session):
    first = client_as("zhao").post(TOKENS, json={"name": "a", "scopes": ["account.self"]}).json()
    client.get("/api/v1/cases", headers=_bearer(first["token"]))
    report = verify_chain(session)
    assert report.intact, report.message()


def test_token_id_is_hashed_only_when_set():
    fields = {
        "id": 7, "at": datetime(2026, 12, 6, 8, 0, tzinfo=UTC), "actor_id": 3,
        "actor_name": "zhao", "ip": "10.0.0.1", "action": "token.create",
        "object_type": "api_token", "object_id": "4", "result": "ok", "details": {},
    }  # fmt: skip
    before = row_hash("0" * 64, fields)  # a row as written before the column existed
    assert row_hash("0" * 64, fields | {"token_id": None}) == before
    assert row_hash("0" * 64, fields | {"token_id": 4}) not in (
        before,
        row_hash("0" * 64, fields | {"token_id": 5}),
    )


def test_the_auditor_sees_and_searches_by_token(client_as, client, session):
    first = client_as("zhao").post(TOKENS, json={"name": "a", "scopes": ["account.self"]}).json()
    client.get("/api/v1/cases", headers=_bearer(first["token"]))
    auditor = client_as("audit")
    found = auditor.get("/api/v1/audit/entries", params={"token_id": first["id"]}).json()
    assert [(r["action"], r["token_id"]) for r in found["rows"]] == [("access.denied", first["id"])]
    everything = auditor.get("/api/v1/audit/entries", params={"page_size": 500}).json()
    assert {r["token_id"] for r in everything["rows"]} == {None, first["id"]}
    page = auditor.get(
        "/audit", params={"action": "access.denied"}, headers={"accept": "text/html"}
    )
    assert f"<td>#{first['id']}</td>" in page.text


def test_migration_0010_down_and_up_keeps_the_append_only_log(fresh_engine: Engine):
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    columns = {c["name"] for c in inspect(fresh_engine).get_columns("audit_log")}
    assert "token_id" not in columns
    upgrade_schema(fresh_engine)
    assert "parent_id" in {c["name"] for c in inspect(fresh_engine).get_columns("api_token")}
    with fresh_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (id, at, actor_name, ip, action, object_type, "
                 "object_id, result, details, prev_hash, row_hash, token_id) VALUES (1, "
                 "'2026-12-06 00:00:00', '', '', 'x', '', '', 'ok', '{}', '', '', 3)")
        )  # fmt: skip
    for statement in ("UPDATE audit_log SET token_id = 4", "DELETE FROM audit_log"):
        try:
            with fresh_engine.begin() as conn:
                conn.execute(text(statement))
        except DBAPIError:
            continue
        raise AssertionError(f"{statement} was not refused")
