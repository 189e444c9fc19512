"""12345 work orders through the real CLI on a committed database: JSON and CSV imports,
every error listed and nothing written, a replay importing nothing, the time limit as the
case's deadline, and the replies (办结反馈) exported after staff resolve and follow up."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.today import china_today
from grassroots.cases.models import Case, Party
from grassroots.cases.schemas import Assign, FollowUp, Resolve
from grassroots.cases.workflow.actions import do_accept, do_resolve
from grassroots.cases.workflow.closing import do_follow_up
from grassroots.cases.workflow.routing import do_assign
from grassroots.cli.main import app
from grassroots.config import get_settings
from grassroots.crypto import keyring
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.geo.models import Jurisdiction
from grassroots.hotline.models import HotlineOrder

runner = CliRunner()


@pytest.fixture
def county(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(False))
    get_settings.cache_clear()
    with make_session_factory(writer_engine(fresh_engine))() as session:
        build_demo_geography(session)  # the demo county with its staff
    yield fresh_engine
    get_settings.cache_clear()


def _village_and_grid(engine: Engine) -> tuple[str, str, str]:
    """A grid of wang's village (inside zhao's township): its village, name and code."""
    with Session(engine) as s:
        wang = s.scalars(select(User).where(User.username == "wang")).one()
        assert wang.jurisdiction is not None
        grid = s.scalars(
            select(Jurisdiction)
            .where(Jurisdiction.parent_id == wang.jurisdiction_id, Jurisdiction.valid_to.is_(None))
            .order_by(Jurisdiction.code)
        ).first()
        assert grid is not None
        return wang.jurisdiction.name, grid.name, grid.code


def orders(engine: Engine) -> list[dict[str, Any]]:
    village, grid_name, grid_code = _village_and_grid(engine)
    limit = china_today().replace(day=1).isoformat()  # a day already past: today at the latest
    return [
        {"工单编号": "GD20261009000123", "来电时间": "2026-10-09 08:30:00", "诉求人": "刘女士",
         "联系电话": "13700137000", "诉求内容": "楼上住户深夜噪音扰民，多次协商无果",
         "地址": f"{village}{grid_name}3号楼", "诉求类型": "邻里纠纷", "办理时限": limit,
         "要求反馈时间": "2026-10-16 17:00:00"},
        {"工单编号": "GD20261009000124", "来电时间": "2026-10-09T09:05:00+08:00", "诉求人": "",
         "联系电话": "", "诉求内容": "路口垃圾长期无人清运", "地址": "", "网格编码": grid_code,
         "诉求类型": "环境卫生", "办理时限": "", "要求反馈时间": ""},
    ]  # fmt: skip


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _json(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def _csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")  # Excel's BOM
    return path


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (s.scalar(select(func.count()).select_from(HotlineOrder)) or 0,
                s.scalar(select(func.count()).select_from(Case)) or 0)  # fmt: skip


def test_import_json_then_replay_imports_nothing(county: Engine, tmp_path: Path):
    file = _json(tmp_path / "orders.json", orders(county))
    first = run("hotline", "import", str(file))
    assert first.exit_code == 0, first.output
    assert "导入 / imported: 2" in first.output
    assert _counts(county) == (2, 2)
    again = run("hotline", "import", str(file))
    assert again.exit_code == 0 and "imported: 0" in again.output and "skipped: 2" in again.output
    assert _counts(county) == (2, 2)
    with Session(county) as s:
        order = s.scalars(
            select(HotlineOrder).where(HotlineOrder.order_no == "GD20261009000123")
        ).one()
        case = s.get_one(Case, order.case_id)
        assert (case.source_code, case.category_code, case.kind) == (
            "hotline_12345",
            "neighbour",
            "request",
        )
        assert case.level == "township" and case.source_due_on == order.time_limit_on
        assert case.accept_due == china_today() == case.clock_due_on  # the past limit: today
        (party,) = s.scalars(select(Party).where(Party.case_id == case.id))
        assert (
            party.name == "刘女士" and keyring().decrypt("phone", party.phone_enc) == "13700137000"
        )
        other = s.scalars(
            select(HotlineOrder).where(HotlineOrder.order_no == "GD20261009000124")
        ).one()
        assert s.get_one(Case, other.case_id).category_code == "other"  # 环境卫生: no such category
        imports = s.scalars(select(AuditEntry.details).where(AuditEntry.action == "hotline.import"))
        assert [d["imported"] for d in imports] == [2, 0]


def test_import_csv(county: Engine, tmp_path: Path):
    result = run("hotline", "import", str(_csv(tmp_path / "orders.csv", orders(county))))
    assert result.exit_code == 0, result.output
    assert _counts(county) == (2, 2)


def test_every_error_listed_and_nothing_written(county: Engine, tmp_path: Path):
    rows = orders(county)
    rows[0] |= {"来电时间": "昨天上午", "联系电话": "call me"}
    rows[1] |= {"网格编码": "", "地址": "不知道哪里"}
    rows.append(dict(rows[0], **{"来电时间": "2026-10-09 10:00", "联系电话": "13700137000"}))
    result = run("hotline", "import", str(_json(tmp_path / "bad.json", rows)))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith(("第", "工单"))]
    assert len(errors) == 4, result.output  # 来电时间, 联系电话, 地址, the repeated 工单编号
    assert any("来电时间" in e for e in errors) and any("重复" in e for e in errors)
    assert _counts(county) == (0, 0)


def test_time_limit_caps_the_resolve_deadline(county: Engine, tmp_path: Path):
    rows = orders(county)[:1]
    assert run("hotline", "import", str(_json(tmp_path / "o.json", rows))).exit_code == 0
    with make_session_factory(writer_engine(county))() as s:
        case = s.scalars(select(Case)).one()
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        assert case.holder_jurisdiction_id == zhao.jurisdiction_id
        do_accept(s, case.code, actor=zhao, expected_version=case.version)
        s.refresh(case)
        assert case.resolve_due == china_today()  # capped by the past 办理时限: today


def test_replies_after_resolve_and_follow_up(county: Engine, tmp_path: Path):
    rows = orders(county)[:1]
    assert run("hotline", "import", str(_json(tmp_path / "o.json", rows))).exit_code == 0
    with make_session_factory(writer_engine(county))() as s:
        case = s.scalars(select(Case)).one()
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        assert case.holder_jurisdiction_id == zhao.jurisdiction_id
        do_accept(s, case.code, actor=zhao, expected_version=case.version)
        do_assign(s, case.code, Assign(mediator="li"), actor=zhao, expected_version=case.version)
        do_resolve(s, case.code, Resolve(outcome_note="已约谈楼上住户，噪音问题解决"),
                   actor=zhao, expected_version=case.version)  # fmt: skip
        visit = FollowUp(performance="performed", satisfaction="satisfied", remaining_risk="none")
        do_follow_up(s, case.code, visit, actor=zhao, expected_version=case.version)
    out = run("hotline", "replies", "--since", "2026-01-01")
    assert out.exit_code == 0, out.output
    (one,) = json.loads(out.output)
    assert one["工单编号"] == "GD20261009000123" and one["群众评价"] == "满意"
    assert one["办理结果"].startswith("已办结") and "噪音问题解决" in one["办理结果"]
    assert one["办结时间"] and one["要求反馈时间"] == "2026-10-16"
    target = tmp_path / "replies.csv"
    assert (
        run(
            "hotline",
            "replies",
            "--since",
            "2026-01-01",
            "--format",
            "csv",
            "--output",
            str(target),
        ).exit_code
        == 0
    )
    (row,) = csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))
    assert row["群众评价"] == "满意" and row["工单编号"] == "GD20261009000123"
    assert json.loads(run("hotline", "replies", "--since", "2099-01-01").output) == []
