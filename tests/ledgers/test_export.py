"""The 人民调解台账 export: the inspectors' columns, names masked unless revealed with a
reason, an audit row each time, and the round trip — export, import into a fresh database,
the same cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import local_date
from grassroots.cases.models import Case, Party
from grassroots.cli.main import app
from grassroots.config import get_settings
from grassroots.crypto import keyring
from grassroots.db import make_engine, make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.geo.models import Jurisdiction
from grassroots.ledgers.export import COLUMNS
from grassroots.ledgers.models import LedgerCase
from tests.ledgers.ledger_files import good_rows, rejected_row, villages, workbook
from tests.support.databases import new_database_url

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture
def second_county(
    county: Engine,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Engine]:
    """Another fresh database of the same kind with the same demo county."""
    folder = tmp_path / "second"
    folder.mkdir()
    with ExitStack() as stack:
        url = new_database_url(county.dialect.name, folder, stack, request, "ledger2")
        engine = make_engine(url)
        stack.callback(engine.dispose)
        with make_session_factory(writer_engine(engine))() as session:
            build_demo_geography(session)
        yield engine


def _use(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", engine.url.render_as_string(False))
    get_settings.cache_clear()


def _village_code(engine: Engine, name: str) -> str:
    with Session(engine) as s:
        return s.scalars(select(Jurisdiction.code).where(Jurisdiction.name == name)).first() or ""


def _cases(engine: Engine) -> list[tuple[Any, ...]]:
    """What a case is, as the ledger tells it (not its number or database ids)."""
    ring = keyring()
    with Session(engine) as s:
        out = []
        for case in s.scalars(select(Case).order_by(Case.registered_at, Case.id)):
            parties = s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id))
            ledger = s.get_one(LedgerCase, case.id)
            follow = (
                ring.decrypt("ledger.follow_up", ledger.follow_up_enc)
                if ledger.follow_up_enc
                else ""
            )
            ended = case.resolved_at or case.closed_at
            out.append(
                (
                    local_date(case.registered_at),
                    local_date(ended) if ended else None,
                    case.state,
                    case.outcome,
                    case.category_code,
                    case.description,
                    case.village_code,
                    case.resolve_due,
                    case.satisfaction,
                    case.performance,
                    [(p.role, p.name) for p in parties],
                    ledger.mediator,
                    ledger.file_no,
                    ledger.outcome_text,
                    ledger.performance_text,
                    follow,
                )
            )
        return out


def test_export_then_import_into_a_fresh_database_gives_the_same_cases(
    county: Engine, second_county: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    village = villages(county)[0]
    source = tmp_path / "台账.xlsx"
    rows = [*good_rows(village, village), rejected_row(village)]  # one committee's ledger
    source.write_bytes(workbook(rows))
    _use(county, monkeypatch)
    assert run("ledger", "import", str(source), "--user", "zhao").exit_code == 0
    exported = tmp_path / "导出.xlsx"
    args = [
        "ledger",
        "export",
        "--committee",
        _village_code(county, village),
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--user",
        "zhao",
        "--output",
        str(exported),
    ]
    result = run(*args, "--reason", "县司法局年度检查")
    assert result.exit_code == 0, result.output
    sheet = load_workbook(exported).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == list(COLUMNS)
    assert sheet.cell(row=3, column=3).value == "张三" and sheet.max_row == 8
    assert sheet.cell(row=8, column=9).value == "不予受理"
    _use(second_county, monkeypatch)
    back = run("ledger", "import", str(exported), "--user", "zhao")
    assert back.exit_code == 0, back.output
    assert "导入 / imported: 6" in back.output
    assert _cases(second_county) == _cases(county)
    assert [c[2:4] for c in _cases(county)][-1] == ("rejected", "rejected")


def test_names_are_masked_without_a_reason_and_every_export_is_audited(
    county: Engine, tmp_path: Path
):
    village, other = villages(county)[:2]
    source = tmp_path / "台账.xlsx"
    source.write_bytes(workbook(good_rows(village, other)))
    assert run("ledger", "import", str(source), "--user", "zhao").exit_code == 0
    exported = tmp_path / "导出.xlsx"
    code = _village_code(county, village)
    args = [
        "ledger",
        "export",
        "--committee",
        code,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--output",
        str(exported),
    ]
    assert run(*args, "--user", "zhao").exit_code == 0
    sheet = load_workbook(exported).active
    assert sheet is not None
    assert [sheet.cell(row=r, column=3).value for r in range(3, 6)] == ["张*", "赵*", "孙*"]
    assert sheet.cell(row=3, column=4).value == "李*"
    assert sheet.cell(row=3, column=12).value == "满意"  # not the follow-up's own words
    assert sheet.cell(row=3, column=2).value.date() == date(2025, 3, 5)
    refused = run(*args, "--user", "wang", "--reason", "想看看全名")  # a grid worker
    assert refused.exit_code == 1 and "您不能查看当事人完整姓名" in refused.output
    elsewhere = run(*args, "--user", "zhou")  # another township's staff
    assert elsewhere.exit_code == 1 and "未找到调委会" in elsewhere.output
    with Session(county) as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "ledger.export")).all()
        assert [(a.details["rows"], a.details["unmasked"]) for a in audits] == [(3, False)]
