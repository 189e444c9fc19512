"""`grassroots ledger import` on a committed database: a real-looking ledger imports in one
go with its history; an invalid one leaves every table unchanged and lists every error;
the same file twice imports nothing; rows repeating stored cases are reported."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Engine, MetaData, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import local_date
from grassroots.cases.models import Case, CaseEvent, Party
from grassroots.cases.tallies.maintain import TABLES, rebuild
from grassroots.cli.main import app
from grassroots.crypto import keyring
from grassroots.ledgers.models import LedgerCase, LedgerImport
from grassroots.ledgers.web.actions import do_save_mapping
from tests.ledgers.ledger_files import good_rows, id_number, rejected_row, villages, workbook

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _file(tmp_path: Path, rows: list[list[Any]], name: str = "台账.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(workbook(rows))
    return path


def fingerprint_of_database(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows in key order."""
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as c:
        for name, table in sorted(meta.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = c.execute(select(table).order_by(*order)).all()
            out[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def test_a_real_looking_ledger_imports_with_its_history(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    rows = good_rows(village, other)
    rows.append(list(rows[0]))  # the same dispute entered twice
    rows[-1][0] = 6
    rows += [rejected_row(village), rejected_row(other, closed=None)]
    result = run("ledger", "import", str(_file(tmp_path, rows)), "--user", "zhao")
    assert result.exit_code == 0, result.output
    assert "导入 / imported: 7" in result.output and "第9行与第4行重复" in result.output
    with Session(county) as s:
        cases = s.scalars(select(Case).order_by(Case.id)).all()
        states = ["closed", "terminated", "closed", "accepted", "closed", "rejected", "rejected"]
        assert [c.state for c in cases] == states
        for refused, day in zip(cases[5:], (date(2025, 8, 4), date(2025, 8, 1)), strict=True):
            assert (refused.outcome, refused.accepted_at, refused.clock_due_on) == (
                "rejected",
                None,
                None,
            )
            assert local_date(refused.closed_at) == day  # type: ignore[arg-type]
            assert local_date(refused.registered_at) == date(2025, 8, 1)
        events = s.scalars(
            select(CaseEvent.action).where(CaseEvent.case_id == cases[5].id).order_by(CaseEvent.id)
        ).all()
        assert events == ["register", "reject"]
        first = cases[0]
        assert local_date(first.registered_at) == date(2025, 3, 5)
        assert local_date(first.resolved_at) == date(2025, 3, 10)  # type: ignore[arg-type]
        assert first.code.split("-")[1] == "2025" and first.source_code == "ledger"
        assert first.category_code == "neighbour" and first.satisfaction == "satisfied"
        assert first.resolve_due is not None and first.resolve_due > date(2025, 3, 10)
        assert cases[2].satisfaction == "basically_satisfied"
        assert cases[2].performance == "partly_performed"
        assert cases[3].clock_due_on == cases[3].resolve_due  # still running, from 2025-06-02
        parties = s.scalars(select(Party).where(Party.case_id == first.id)).all()
        assert [(p.role, p.name) for p in parties] == [
            ("applicant", "张三"),
            ("respondent", "李四"),
        ]
        ring = keyring()
        assert ring.decrypt("id_number", parties[0].id_number_enc) == id_number("19800101", 1)  # type: ignore[arg-type]
        assert ring.decrypt("phone", parties[0].phone_enc) == "13800138000"  # type: ignore[arg-type]
        ledger = s.get_one(LedgerCase, first.id)
        assert (ledger.mediator, ledger.row_no) == ("刘调解", 4)
        assert ring.decrypt("ledger.follow_up", ledger.follow_up_enc) == "已回访，双方满意"  # type: ignore[arg-type]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "ledger.import")).one()
        assert audit.details["imported"] == 7 and len(audit.details["sha256"]) == 64
        before = {t: sorted(map(tuple, s.execute(select(TABLES[t])).all())) for t in TABLES}
    with Session(county) as s, s.begin():
        rebuild(s)  # the statistics kept while importing = those recounted from the cases
        after = {t: sorted(map(tuple, s.execute(select(TABLES[t])).all())) for t in TABLES}
        s.rollback()
    assert before == after


def test_the_same_file_twice_imports_nothing_the_second_time(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    path = _file(tmp_path, good_rows(village, other))
    assert run("ledger", "import", str(path), "--user", "zhao").exit_code == 0
    again = run("ledger", "import", str(path), "--user", "zhao")
    assert again.exit_code == 0 and "本次未导入" in again.output
    # another file with the same rows (a new title): every row reported as a duplicate
    other_file = tmp_path / "副本.xlsx"
    other_file.write_bytes(workbook(good_rows(village, other), title="台账（副本）"))
    third = run("ledger", "import", str(other_file), "--user", "zhao")
    assert third.exit_code == 0 and "导入 / imported: 0" in third.output
    assert third.output.count("重复，未导入") == 5
    with Session(county) as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 5
        assert s.scalar(select(func.count()).select_from(LedgerImport)) == 2


def test_an_invalid_ledger_changes_nothing_and_lists_every_error(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    rows = good_rows(village, other)
    rows[0][3] = 3.30106e17  # Excel turned the ID number into a number
    rows[1][3] = "3.30106E+17"  # ... and into text of that number
    rows[2][5] = "不存在村"
    rows[3][1] = "2025.13.40"
    rows[4][4] = "12345"
    rows[4][6] = "火星纠纷"
    before = fingerprint_of_database(county)
    path = _file(tmp_path, rows)
    result = run("ledger", "import", str(path), "--user", "zhao")
    assert result.exit_code == 1
    assert fingerprint_of_database(county) == before
    out = result.output
    assert out.count("科学计数法") == 2 and "第6行「村（社区）」（不存在村）：未知的村" in out
    assert "第7行「受理日期」（2025.13.40）：日期不存在" in out
    assert "第8行「当事人联系电话」" in out and "第8行「纠纷类型」（火星纠纷）" in out
    assert "未导入 / nothing imported: 6 处错误" in out
    annotated = load_workbook(tmp_path / "台账.错误标注.xlsx").active
    assert annotated is not None
    notes = [annotated.cell(row=r, column=15).value for r in range(4, 9)]
    assert all(notes) and "科学计数法" in notes[0]
    assert annotated.cell(row=6, column=6).fill.fgColor.rgb.endswith("FFC7CE")


def test_a_bad_check_digit_is_refused_and_no_number_is_printed(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    rows = good_rows(village, other)
    good = id_number("19800101", 1)
    rows[0][3] = good[:17] + ("0" if good[17] != "0" else "1")
    result = run("ledger", "import", str(_file(tmp_path, rows)), "--user", "zhao", "--dry-run")
    assert result.exit_code == 1 and "校验位不符" in result.output
    assert good[:17] not in result.output and "138 0013 8000" not in result.output


def test_a_dry_run_writes_nothing(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    before = fingerprint_of_database(county)
    path = _file(tmp_path, good_rows(village, other))
    result = run("ledger", "import", str(path), "--user", "zhao", "--dry-run")
    assert result.exit_code == 0 and "将导入 / would import: 5" in result.output
    assert fingerprint_of_database(county) == before


def test_only_centre_staff_may_import(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    path = _file(tmp_path, good_rows(village, other))
    result = run("ledger", "import", str(path), "--user", "wang")
    assert result.exit_code == 1 and "只有县、乡镇综治中心受理员可以导入台账" in result.output


def test_a_csv_with_a_saved_mapping(county: Engine, tmp_path: Path):
    village, _ = villages(county)[:2]
    csv_file = tmp_path / "台账.csv"
    csv_file.write_text(
        "\ufeff登记时间,申请人,所在村,案由,简要案情,处理结果,办结时间\n"
        f"2024/11/2,钱九,{village},土地纠纷,承包地边界争议,调处成功,2024-11-08\n",
        encoding="utf-8",
    )
    refused = run("ledger", "import", str(csv_file), "--user", "zhao")
    assert refused.exit_code == 1 and "纠纷类型不在字典中" in refused.output
    mapping = tmp_path / "本所.toml"
    mapping.write_text(
        '[categories]\n"土地纠纷" = "forest_land"\n[outcomes]\n"调处成功" = "resolved"\n',
        encoding="utf-8",
    )
    ok = run("ledger", "import", str(csv_file), "--user", "zhao", "--mapping", str(mapping))
    assert ok.exit_code == 0, ok.output
    with Session(county) as s:
        case = s.scalars(select(Case)).one()
        assert (case.category_code, case.state, case.code[7:11]) == (
            "forest_land",
            "closed",
            "2024",
        )
        assert s.execute(text("SELECT count(*) FROM ledger_case")).scalar() == 1


def test_a_mapping_saved_on_the_page_serves_the_cli(county: Engine, tmp_path: Path):
    village, _ = villages(county)[:2]
    csv_file = tmp_path / "台账.csv"
    csv_file.write_text(
        "\ufeff登记时间,申请人,所在村,案由,简要案情,处理结果,办结时间\n"
        f"2024/11/2,钱九,{village},土地纠纷,承包地边界争议,调处成功,2024-11-08\n",
        encoding="utf-8",
    )
    toml = '[categories]\n"土地纠纷" = "forest_land"\n[outcomes]\n"调处成功" = "resolved"\n'
    with Session(county) as s:
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        do_save_mapping(s, actor=zhao, name="本所台账", mapping_toml=toml)
    missing = run("ledger", "import", str(csv_file), "--user", "zhao", "--mapping-name", "无此名")
    assert missing.exit_code == 1 and "本中心没有名为“无此名”的映射" in missing.output
    ok = run("ledger", "import", str(csv_file), "--user", "zhao", "--mapping-name", "本所台账")
    assert ok.exit_code == 0 and "导入 / imported: 1" in ok.output, ok.output
    elsewhere = run(
        "ledger", "import", str(csv_file), "--user", "qian", "--mapping-name", "本所台账"
    )
    assert elsewhere.exit_code == 1  # saved for zhao's centre, not the county's


def test_a_long_ledger_keeps_the_statistics_a_rebuild_recounts(county: Engine, tmp_path: Path):
    """Sixty months of disputes: each statistics shape has 50 rows or more, so the import's
    totals go through BulkInsert's upsert; they equal the rebuild's recount."""
    village, other = villages(county)[:2]
    template = good_rows(village, other)[0]
    rows = []
    for i in range(60):
        year, month = 2021 + i // 12, 1 + i % 12
        row = list(template)
        row[:5] = [i + 1, f"{year}-{month}-5", f"赵{i}、钱{i}", None, None]
        row[5], row[10] = (village, other)[i % 2], f"{year}-{month}-9"
        rows.append(row)
    result = run("ledger", "import", str(_file(tmp_path, rows)), "--user", "zhao")
    assert result.exit_code == 0, result.output
    with Session(county) as s:
        assert s.scalar(select(func.count()).select_from(LedgerCase)) == 60
        before = {t: sorted(map(tuple, s.execute(select(TABLES[t])).all())) for t in TABLES}
    with Session(county) as s, s.begin():
        rebuild(s)
        after = {t: sorted(map(tuple, s.execute(select(TABLES[t])).all())) for t in TABLES}
        s.rollback()
    assert before == after and len(before["cohort"]) >= 100
