"""Where a ledger row lands: coordinates pick the grid whose boundary holds the point; a
village named without coordinates lands on its only grid, or — with several grids — on the
village with no grid (never a guessed grid), reported as a notice in the dry run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.cases.models import Case, CaseEvent
from grassroots.cli.main import app
from grassroots.geo.models import Boundary, Jurisdiction, Level
from tests.ledgers.ledger_files import good_rows, villages, workbook

runner = CliRunner()
HEADER = "受理日期,当事人,村（社区）,纠纷类型,纠纷简要情况,调解结果,结案日期,纬度,经度\n"


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _grids(engine: Engine, village: str) -> list[tuple[str, tuple[float, float]]]:
    """The village's grids (code order) with a point inside each (lat, lng)."""
    with Session(engine) as s:
        code = s.scalars(select(Jurisdiction.id).where(Jurisdiction.name == village)).one()
        rows = s.execute(
            select(Jurisdiction.code, Boundary.wkb)
            .join(Boundary, Boundary.jurisdiction_id == Jurisdiction.id)
            .where(Jurisdiction.parent_id == code, Jurisdiction.level == Level.grid)
            .order_by(Jurisdiction.code)
        ).all()
    points = [shapely.from_wkb(wkb).representative_point() for _, wkb in rows]
    return [(c, (p.y, p.x)) for (c, _), p in zip(rows, points, strict=True)]


def _csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text("\ufeff" + HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_coordinates_pick_the_grid_that_holds_the_point(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    (first, _), (second, (lat, lng)) = _grids(county, village)[:2]
    far_code, (far_lat, far_lng) = _grids(county, other)[-1]
    path = _csv(
        tmp_path,
        [
            f"2025-3-5,张三,{village},邻里纠纷,排水沟堵塞,调解成功,2025-3-9,{lat},{lng}",
            f"2025-3-6,李四,,邻里纠纷,院墙渗水,调解成功,2025-3-9,{far_lat},{far_lng}",
        ],
    )
    result = run("ledger", "import", str(path), "--user", "zhao")
    assert result.exit_code == 0, result.output
    assert "提示" not in result.output
    with Session(county) as s:
        cases = s.scalars(select(Case).order_by(Case.id)).all()
        assert [c.grid_code for c in cases] == [second, far_code] and second != first
        assert cases[0].grid_id is not None and cases[0].lat == lat and cases[0].lng == lng


def test_a_point_elsewhere_is_an_error(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    _, (lat, lng) = _grids(county, other)[0]
    path = _csv(
        tmp_path,
        [
            f"2025-3-5,张三,{village},邻里纠纷,排水沟堵塞,调解成功,2025-3-9,{lat},{lng}",
            f"2025-3-6,李四,{village},邻里纠纷,院墙渗水,调解成功,2025-3-9,0.5,0.5",
            f"2025-3-7,王五,{village},邻里纠纷,院墙渗水,调解成功,2025-3-9,北纬30度,{lng}",
        ],
    )
    result = run("ledger", "import", str(path), "--user", "zhao")
    assert result.exit_code == 1
    assert (
        "第2行「纬度」" in result.output and "坐标所在的网格不属于所填的村（社区）" in result.output
    )
    assert "第3行「纬度」（0.5, 0.5）：坐标不在本辖区的任何网格内" in result.output
    assert "第4行「纬度」（北纬30度）：坐标应为十进制度数" in result.output
    with Session(county) as s:
        assert s.scalars(select(Case)).first() is None


def test_a_village_with_several_grids_takes_no_grid_and_says_so(county: Engine, tmp_path: Path):
    village, other = villages(county)[:2]
    several = len(_grids(county, village))
    assert several > 1
    with Session(county) as s, s.begin():  # `other` keeps one grid: the rest were closed
        keep = _grids(county, other)[0][0]
        parent = s.scalars(select(Jurisdiction.id).where(Jurisdiction.name == other)).one()
        s.execute(
            update(Jurisdiction)
            .where(Jurisdiction.parent_id == parent, Jurisdiction.code != keep)
            .values(valid_to=datetime(2024, 1, 1, tzinfo=UTC))
        )
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook(good_rows(village, other)))
    dry = run("ledger", "import", str(path), "--user", "zhao", "--dry-run")
    assert dry.exit_code == 0, dry.output
    notice = f"提示 / notice: 第4行「村（社区）」（{village}）：该村（社区）有{several}个网格"
    assert notice in dry.output and dry.output.count("提示 / notice") == 3  # rows 4, 6, 7
    assert "不指定网格" in dry.output and "将导入 / would import: 5" in dry.output
    result = run("ledger", "import", str(path), "--user", "zhao")
    assert result.exit_code == 0 and result.output.count("提示 / notice") == 3
    with Session(county) as s:
        cases = s.scalars(select(Case).order_by(Case.id)).all()
        assert [c.grid_code for c in cases] == [None, keep, None, None, keep]
        assert [c.grid_id is None for c in cases] == [True, False, True, True, False]
        assert len({c.village_code for c in cases}) == 2 and all(c.village_code for c in cases)
        register = s.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == cases[0].id, CaseEvent.action == "register"
            )
        ).one()
        assert register.details["by_village"] is True and register.details["grid_code"] is None
