"""Tampering with the end of the log, and the anchor file that catches what the database
cannot: `grassroots audit verify|anchor` through the real Typer app, on both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from typer.testing import CliRunner

from grassroots.audit.anchors import parse_line
from grassroots.audit.chain import HASHED_FIELDS, row_hash
from grassroots.audit.models import AuditEntry
from grassroots.cli.main import app
from grassroots.config import get_settings
from grassroots.jobs import registry as jobs
from tests.audit.conftest import drop_append_only_triggers, forge_row, hash_of, swap_rows

runner = CliRunner()


@pytest.fixture
def anchors(
    fresh_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The CLI and the jobs on `fresh_engine`, anchoring to a file of this test's own."""
    path = tmp_path / "elsewhere" / "audit-anchors.log"
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(False))
    monkeypatch.setenv("GRASSROOTS_AUDIT_ANCHOR_FILE", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def cli(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _rehash_from(conn: Connection, first: int) -> None:
    """Recompute every row's hashes from `first` on and move the head along: what someone
    with full database rights does after editing or deleting rows."""
    rows = conn.execute(text("SELECT id FROM audit_log WHERE id >= :f ORDER BY id"), {"f": first})
    prev = hash_of(conn, first - 1) if first > 1 else "0" * 64
    table = AuditEntry.__table__
    last_id = first - 1
    for (row_id,) in rows.all():
        entry = conn.execute(table.select().where(table.c.id == row_id)).one()
        digest = row_hash(prev, {name: getattr(entry, name) for name in HASHED_FIELDS})
        conn.execute(
            table.update().where(table.c.id == row_id).values(prev_hash=prev, row_hash=digest)
        )
        prev, last_id = digest, row_id
    _set_head(conn, last_id, prev)


def _set_head(conn: Connection, last_id: int, last_hash: str) -> None:
    conn.execute(
        text("UPDATE audit_chain_head SET last_id = :i, last_hash = :h"),
        {"i": last_id, "h": last_hash},
    )


def _roll_back_to(conn: Connection, keep: int) -> None:
    """Delete the rows after `keep` and move the head back to it: a consistent, shorter log."""
    last_hash = hash_of(conn, keep) if keep else "0" * 64
    conn.execute(text("DELETE FROM audit_log WHERE id > :k"), {"k": keep})
    _set_head(conn, keep, last_hash)


def _edit_and_rehash(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_log SET actor_name = 'someone' WHERE id = 2"))
    _rehash_from(conn, 2)


# name: (tampering, detected without an anchor file?, words of the reason)
SCENARIOS: dict[str, tuple[Callable[[Connection], object], bool, str]] = {
    "delete the last rows": (
        lambda c: c.execute(text("DELETE FROM audit_log WHERE id >= 4")),
        True,
        "recorded head is row 5",
    ),
    "delete the head row and the tail": (
        lambda c: (
            c.execute(text("DELETE FROM audit_log WHERE id >= 4")),
            c.execute(text("DELETE FROM audit_chain_head")),
        ),
        True,
        "head row is missing",
    ),
    "delete everything": (
        lambda c: (
            c.execute(text("DELETE FROM audit_log")),
            c.execute(text("DELETE FROM audit_chain_head")),
        ),
        True,
        "head row is missing",
    ),
    "delete everything, head back to the start": (lambda c: _roll_back_to(c, 0), False, "row 5"),
    "roll the head back": (lambda c: _roll_back_to(c, 3), False, "chain ends at row 3"),
    "edit a row and recompute the chain": (_edit_and_rehash, False, "the chain was rewritten"),
    "edit a row": (
        lambda c: c.execute(text("UPDATE audit_log SET result = 'denied' WHERE id = 3")),
        True,
        "row edited",
    ),
    "reorder": (lambda c: swap_rows(c, 2, 3), True, "row before it"),
    "insert": (lambda c: forge_row(c, 6, hash_of(c, 5), True), True, "rows after the recorded"),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_tampering_is_detected_against_the_anchor(
    fresh_engine: Engine, write_audit_rows, anchors: Path, name: str
):
    write_audit_rows(5)
    anchored = cli("audit", "anchor")
    assert anchored.exit_code == 0, anchored.output
    assert "row 5 anchored" in anchored.stdout
    tamper, without_anchor, reason = SCENARIOS[name]
    drop_append_only_triggers(fresh_engine, head_too=True)
    with fresh_engine.begin() as conn:
        tamper(conn)
    verify = cli("audit", "verify")
    assert verify.exit_code == 1, verify.output
    assert "审计日志已被篡改" in verify.stderr and reason in verify.stderr, verify.stderr
    assert "checked against the anchor file" in verify.stdout
    plain = cli("audit", "verify", "--no-anchor")
    assert plain.exit_code == (1 if without_anchor else 0), plain.output


def test_verify_with_and_without_an_anchor_file(
    fresh_engine: Engine, write_audit_rows, anchors: Path
):
    write_audit_rows(3)
    first = cli("audit", "verify")
    assert first.exit_code == 0, first.output
    assert "no anchor of this database" in first.stdout and "intact, 3 rows" in first.stdout
    assert cli("audit", "anchor").exit_code == 0
    write_audit_rows(2)  # rows after the anchor are fine
    second = cli("audit", "verify")
    assert second.exit_code == 0, second.output
    assert "row 3 anchored at" in second.stdout and "intact, 5 rows" in second.stdout
    skipped = cli("audit", "verify", "--no-anchor")
    assert skipped.exit_code == 0 and "anchor file" not in skipped.stdout


def test_the_anchor_job_appends_the_head_once_per_change(
    fresh_engine: Engine, write_audit_rows, anchors: Path
):
    now = datetime(2026, 4, 15, 2, 0, tzinfo=UTC)
    assert "audit_anchor" in [job.name for job in jobs.JOBS]
    write_audit_rows(2)
    outcome = jobs.run_jobs(fresh_engine, now, only=["audit_anchor"])[0]
    assert outcome.ok and outcome.summary == {"anchored_row": 2, "written": 1}, outcome
    again = jobs.run_jobs(fresh_engine, now, only=["audit_anchor"])[0]
    assert again.summary == {"anchored_row": 2, "written": 0}  # idempotent
    write_audit_rows(1)
    jobs.run_jobs(fresh_engine, now, only=["audit_anchor"])
    lines = [parse_line(line) for line in anchors.read_text().splitlines()]
    assert [(a.last_id, a.at) for a in lines if a] == [(2, now), (3, now)]
    assert len(lines) == 2 and all(len(a.last_hash) == 64 for a in lines if a)


def test_the_anchor_job_refuses_to_anchor_a_broken_chain(
    fresh_engine: Engine, write_audit_rows, anchors: Path
):
    write_audit_rows(3)
    assert cli("audit", "anchor").exit_code == 0
    write_audit_rows(2)
    drop_append_only_triggers(fresh_engine, head_too=True)
    with fresh_engine.begin() as conn:
        _roll_back_to(conn, 2)
    before = anchors.read_text()
    outcome = jobs.run_jobs(fresh_engine, None, only=["audit_anchor"])[0]
    assert not outcome.ok and "row 3 is missing" in outcome.error
    refused = cli("audit", "anchor")
    assert refused.exit_code == 1 and "审计日志已被篡改" in refused.stderr
    assert anchors.read_text() == before


def test_anchors_of_another_database_are_ignored_and_torn_lines_skipped(
    fresh_engine: Engine, write_audit_rows, anchors: Path
):
    write_audit_rows(2)
    anchors.parent.mkdir(parents=True)
    other = f"2026-04-15T02:00:00+00:00\t99\t{'a' * 64}\tpostgresql://elsewhere:5432/other\n"
    anchors.write_text(other + "2026-04-15T02:00:00+00:00\t1\tab")
    verify = cli("audit", "verify")
    assert verify.exit_code == 0 and "no anchor of this database" in verify.stdout
