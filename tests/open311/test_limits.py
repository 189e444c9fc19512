"""The Open311 server under the platform's limits: body size, rate per client address, a
case's state reaching the resident as status and status_notes, and the CLI's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.audit.models import AuditEntry
from grassroots.open311.models import Open311Client
from tests.accounts.test_cli import cli_db, run  # noqa: F401  (the committed CLI database)
from tests.support.apps import app_on

V2 = "/open311/v2"


def test_the_body_limit_applies(client, spec_example):
    big = spec_example | {"description": "长" * 30000}  # 90 KB of UTF-8 > 64 KiB
    r = client.post(f"{V2}/requests.xml", data=big)
    assert r.status_code == 413


def test_the_rate_limit_applies(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    app = app_on(engine, session_factory, tmp_path, open311_rate_limit="3/60")
    with TestClient(app) as c:
        assert [c.get(f"{V2}/services.json").status_code for _ in range(3)] == [200] * 3
        refused = c.get(f"{V2}/services.json")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()[0]["code"] == 429


def test_the_case_state_reaches_the_resident(client, client_as, spec_example):
    code = client.post(f"{V2}/requests.json", data=spec_example).json()[0]["service_request_id"]
    staff = client_as("zhao")
    case = staff.get(f"/api/v1/cases/{code}").json()
    body: dict[str, Any] = {
        "expected_version": case["version"], "channel": "litigation",
        "reason": "属民事合同纠纷，告知当事人可向人民法院起诉",
    }  # fmt: skip
    r = staff.post(f"/api/v1/cases/{code}/actions/reject", json=body)
    assert r.status_code == 200, r.text
    (one,) = client.get(f"{V2}/requests/{code}.json").json()
    assert one["status"] == "closed" and one["status_notes"].startswith("不予受理")
    assert "人民法院" not in str(one) and "赵强" not in str(one)  # no internal note, no staff
    assert one["expected_datetime"] is None
    closed = client.get(f"{V2}/requests.json?status=closed").json()
    assert code in [r["service_request_id"] for r in closed]


@pytest.mark.usefixtures("cli_db")
def test_keys_create_list_revoke(cli_db: Engine):  # noqa: F811
    made = run("open311", "keys", "create", "fixmystreet")
    assert made.exit_code == 0, made.output
    api_key = made.output.strip().rsplit(" ", 1)[-1]
    assert api_key.startswith("o311_") and len(api_key) > 40
    with Session(cli_db) as s:
        client = s.scalars(select(Open311Client)).one()
        assert api_key not in (client.key_hash, client.prefix) and client.user.role == "system"
    assert run("open311", "keys", "create", "fixmystreet").exit_code == 1  # names are unique
    assert run("open311", "keys", "create", "bad name!").exit_code == 1
    listed = run("open311", "keys", "list")
    assert "fixmystreet" in listed.output and "active" in listed.output
    assert api_key not in listed.output
    assert run("open311", "keys", "revoke", "fixmystreet").exit_code == 0
    assert "revoked" in run("open311", "keys", "list").output
    with Session(cli_db) as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == "fixmystreet"))
        assert list(actions) == ["open311.key.create", "open311.key.revoke"]
