"""`grassroots leads import FILE`: a batch handed down as a spreadsheet, all or nothing,
through the real entry point against a real database."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.leads.models import Lead
from tests.cases.sweep_support import seeded
from tests.support.cli import run_cli

HEADER = ["标题", "反映内容", "地点", "区划代码", "类别", "核查期限", "涉及人员"]


def _sheet(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(engine: Engine, *args: str):  # type: ignore[no-untyped-def]
    env = {"GRASSROOTS_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    return run_cli(["leads", "import", *args], env)


def _leads(engine: Engine) -> list[Lead]:
    with Session(engine) as session:
        return list(session.scalars(select(Lead).order_by(Lead.id)))


def test_a_batch_is_imported_whole(fresh_engine: Engine, tmp_path: Path):
    seeded(fresh_engine)
    rows = [
        [
            "反映砂石场强揽工程",
            "威胁施工队",
            "东山村",
            "990101002000",
            "涉黑涉恶",
            "2026-12-31",
            "刘某",
        ],
        ["反映河道非法采砂", "夜间采砂", "柳河", "990101003000", "safety_hazard", "2026-12-31", ""],
    ]
    file = _sheet(tmp_path / "batch.xlsx", rows)
    result = _run(fresh_engine, str(file), "--issuing-body", "市扫黑办", "--batch", "第7批")
    assert result.returncode == 0, result.stderr
    assert "已导入 2 条线索" in result.stdout
    leads = _leads(fresh_engine)
    assert [(x.source, x.issuing_body, x.batch, x.category_code) for x in leads] == [
        ("assigned", "市扫黑办", "第7批", "organised_crime"),
        ("assigned", "市扫黑办", "第7批", "safety_hazard"),
    ]
    assert leads[0].persons_enc is not None and b"\xe5\x88\x98" not in leads[0].persons_enc
    assert str(leads[0].due_on) == "2026-12-31"


def test_one_bad_row_imports_nothing(fresh_engine: Engine, tmp_path: Path):
    seeded(fresh_engine)
    rows = [
        ["好的一行", "内容", "", "990101002000", "其他", "2026-12-31", ""],
        ["", "缺标题", "", "990101002000", "其他", "", ""],
        ["不存在的区划", "内容", "", "990101999000", "其他", "", ""],
    ]
    file = _sheet(tmp_path / "bad.xlsx", rows)
    result = _run(fresh_engine, str(file), "--issuing-body", "市扫黑办")
    assert result.returncode == 1 and "第 3 行" in result.stderr and "title" in result.stderr
    assert _leads(fresh_engine) == []
    fixed = _sheet(tmp_path / "fixed.xlsx", [rows[0], rows[2]])
    again = _run(fresh_engine, str(fixed), "--issuing-body", "市扫黑办")
    assert again.returncode == 1 and "row 3" in again.stderr
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 0
    unknown = _sheet(tmp_path / "cols.xlsx", [["x"]], header=["身份证号"])
    assert _run(fresh_engine, str(unknown)).returncode == 1
    assert _run(fresh_engine, str(tmp_path / "missing.xlsx")).returncode == 1
