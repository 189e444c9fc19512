"""`grassroots geo import/export/locate` through the real entry point against a real database
(in this process: tests/support/cli.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.geo.models import Jurisdiction
from tests.geo import shapes
from tests.geo.shapes import box, edited, small_county, with_ancestors
from tests.support.cli import CliResult, run_cli


def _run(engine: Engine, tmp_path, *args: str) -> CliResult:
    env = {
        "GRASSROOTS_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "GRASSROOTS_DATA_DIR": str(tmp_path),
    }
    return run_cli(["geo", *args], env)


def _count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Jurisdiction)) or 0


def test_import_export_locate(fresh_engine: Engine, tmp_path):
    source = tmp_path / "county.geojson"
    source.write_text(json.dumps(with_ancestors(small_county()), ensure_ascii=False), "utf-8")
    imported = _run(fresh_engine, tmp_path, "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert "created 7" in imported.stdout and _count(fresh_engine) == 7

    out = tmp_path / "grids.geojson"
    exported = _run(fresh_engine, tmp_path, "export", "--level", "grid", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    codes = [f["properties"]["code"] for f in json.loads(out.read_text("utf-8"))["features"]]
    assert codes == [shapes.GRID_A, shapes.GRID_B]

    inside = _run(fresh_engine, tmp_path, "locate", "30.25", "120.4")
    assert inside.returncode == 0 and inside.stdout.startswith(shapes.GRID_B)
    assert "测试县" in inside.stdout
    outside = _run(fresh_engine, tmp_path, "locate", "--json", "--", "-30", "10")
    assert outside.returncode == 1 and json.loads(outside.stdout) is None


def test_bad_file_prints_every_error_and_imports_nothing(fresh_engine: Engine, tmp_path):
    bad = edited(with_ancestors(small_county()), 6, geometry=box(120.25, 30.4, 120.5, 30.9))
    bad = edited(bad, 3, name="")
    source = tmp_path / "bad.geojson"
    source.write_text(json.dumps(bad), "utf-8")
    result = _run(fresh_engine, tmp_path, "import", str(source))
    assert result.returncode == 1
    assert "#3 990102001000 [missing_name]" in result.stderr
    assert "#6 990102001001002 [outside_parent]" in result.stderr
    assert _count(fresh_engine) == 0
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", "utf-8")
    assert _run(fresh_engine, tmp_path, "import", str(broken)).returncode == 1


@pytest.mark.parametrize("command", ["import", "export", "locate"])
def test_help_has_examples(command):
    result = CliRunner().invoke(app, ["geo", command, "--help"])
    assert result.exit_code == 0 and "Examples" in result.output
    assert f"grassroots geo {command}" in result.output


def test_overlap_refused_and_gap_printed(fresh_engine: Engine, tmp_path):
    overlapping = edited(with_ancestors(small_county()), 6, geometry=box(120.2, 30, 120.5, 30.5))
    source = tmp_path / "overlap.geojson"
    source.write_text(json.dumps(overlapping), "utf-8")
    refused = _run(fresh_engine, tmp_path, "import", str(source))
    assert refused.returncode == 1 and _count(fresh_engine) == 0
    assert f"#6 {shapes.GRID_B} [grid_overlap]" in refused.stderr
    assert shapes.GRID_A in refused.stderr and "平方米" in refused.stderr
    gap = edited(with_ancestors(small_county()), 6, geometry=box(120.3, 30, 120.5, 30.5))
    source.write_text(json.dumps(gap), "utf-8")
    imported = _run(fresh_engine, tmp_path, "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert f"gap: 村 village {shapes.VILLAGE}" in imported.stdout
    assert f"{shapes.GRID_A}, {shapes.GRID_B}" in imported.stdout
