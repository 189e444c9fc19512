"""After the crash rounds: is every acknowledged case there, exactly once, in a sound database?"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from dataclasses import dataclass, field
from importlib.metadata import version

from sqlalchemy import Engine, func, select, text

from grassroots.cases.models import Case, CaseEvent
from grassroots.db import make_engine


@dataclass
class Report:
    cases: int = 0
    missing: list[str] = field(default_factory=list)  # acknowledged codes not in the database
    wrong_case: list[str] = field(default_factory=list)  # code present but for another key
    duplicated_keys: list[str] = field(default_factory=list)  # one key, several cases
    integrity: list[str] = field(default_factory=list)  # problems found; empty = sound
    checks: list[str] = field(default_factory=list)  # what was checked

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_case or self.duplicated_keys or self.integrity)

    def __str__(self) -> str:
        return (
            f"cases in database {self.cases}; acknowledged but missing {len(self.missing)}; "
            f"code of another request {len(self.wrong_case)}; keys with more than one case "
            f"{len(self.duplicated_keys)}\nintegrity: "
            + ("OK" if not self.integrity else "; ".join(self.integrity[:5]))
            + f" ({', '.join(self.checks)})"
        )


def _key_of(description: str, marker: str) -> str:
    return description.split(marker, 1)[1].strip() if marker in description else ""


def check_database(url: str, acked: dict[str, str], marker: str) -> Report:
    engine = make_engine(url)
    try:
        report = Report()
        with engine.connect() as conn:
            rows = conn.execute(select(Case.code, Case.description)).all()
        report.cases = len(rows)
        key_of_code = {code: _key_of(desc, marker) for code, desc in rows}
        per_key: dict[str, int] = {}
        for key in key_of_code.values():
            per_key[key] = per_key.get(key, 0) + 1
        report.duplicated_keys = [k for k, n in per_key.items() if n > 1]
        for key, code in acked.items():
            if code not in key_of_code:
                report.missing.append(code)
            elif key_of_code[code] != key:
                report.wrong_case.append(code)
        report.integrity = _integrity(engine, report.checks)
        return report
    finally:
        engine.dispose()


def _integrity(engine: Engine, checks: list[str]) -> list[str]:
    problems: list[str] = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            checks.append("PRAGMA integrity_check")
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems += result
            checks.append("PRAGMA foreign_key_check")
            problems += [
                f"foreign key: {r}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check")
            ]
        else:
            problems += _amcheck(conn, checks)
        checks.append("every case has its registration event")
        no_event = conn.execute(
            select(func.count())
            .select_from(Case)
            .where(~select(CaseEvent.id).where(CaseEvent.case_id == Case.id).exists())
        ).scalar_one()
        if no_event:
            problems.append(f"{no_event} cases without a timeline event")
        checks.append("idempotency keys done ⇔ case present")
        dangling = conn.execute(
            text(
                "SELECT count(*) FROM idempotency_key k WHERE k.state = 'done' AND NOT EXISTS "
                "(SELECT 1 FROM case_file c WHERE c.id = k.case_id)"
            )
        ).scalar_one()
        if dangling:
            problems.append(f"{dangling} done idempotency keys without their case")
    return problems


def _amcheck(conn: object, checks: list[str]) -> list[str]:
    """B-tree index checks with the amcheck extension when the server has it."""
    from sqlalchemy.engine import Connection

    assert isinstance(conn, Connection)
    try:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        conn.commit()
    except Exception:  # no contrib package on this server
        conn.rollback()
        checks.append("amcheck unavailable")
        return []
    checks.append("amcheck bt_index_check on every index")
    indexes = (
        conn.exec_driver_sql(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'"
        )
        .scalars()
        .all()
    )
    problems = []
    for name in indexes:
        try:
            conn.exec_driver_sql(f"SELECT bt_index_check('{name}'::regclass, true)")
        except Exception as exc:
            conn.rollback()
            problems.append(f"index {name}: {exc}")
    return problems


def describe_machine() -> str:
    names = ["grassroots", "fastapi", "uvicorn", "sqlalchemy", "psycopg", "httpx"]
    versions = ", ".join(f"{n} {version(n)}" for n in names)
    return (
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
        f"\nversions: {versions}, SQLite {sqlite3.sqlite_version}"
    )
