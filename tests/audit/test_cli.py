"""`grassroots audit verify|head` through the real CLI (in process: tests/support/cli.py)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from grassroots.audit.verify import chain_head
from grassroots.db import make_session_factory
from tests.audit.conftest import drop_append_only_triggers
from tests.support.cli import CliResult, run_cli


def _cli(engine: Engine, *args: str) -> CliResult:
    return run_cli(list(args), {"GRASSROOTS_DATABASE_URL": engine.url.render_as_string(False)})


def test_verify_and_head(fresh_engine: Engine, write_audit_rows):
    write_audit_rows(4)
    with make_session_factory(fresh_engine)() as session:
        last_id, last_hash = chain_head(session)
    head = _cli(fresh_engine, "audit", "head")
    assert head.returncode == 0, head.stderr
    assert head.stdout.strip() == f"{last_id} {last_hash}"
    verify = _cli(fresh_engine, "audit", "verify", "--anchor", last_hash)
    assert verify.returncode == 0, verify.stderr
    assert f"intact, 4 rows, head {last_hash}" in verify.stdout


def test_verify_reports_tampering(fresh_engine: Engine, write_audit_rows):
    write_audit_rows(4)
    drop_append_only_triggers(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor_name = 'someone' WHERE id = 2"))
    verify = _cli(fresh_engine, "audit", "verify")
    assert verify.returncode == 1
    assert "broken at row 2" in verify.stderr
