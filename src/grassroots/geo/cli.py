"""`grassroots geo ...`: import, export and locate from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.orm import Session

from grassroots.db import check_schema_current, engine_for, make_session_factory, writer_engine
from grassroots.errors import Problem
from grassroots.geo.actions import do_import_geojson
from grassroots.geo.geojson.export import export_collection
from grassroots.geo.locate import locate_point
from grassroots.geo.models import Level

app = typer.Typer(
    help="区划与网格：导入、导出、定位 / jurisdictions and grids: import, export, locate.",
    no_args_is_help=True,
)


def _session(write: bool = False) -> Session:
    engine = engine_for()
    check_schema_current(engine)
    return make_session_factory(writer_engine(engine) if write else engine)()


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        typer.echo(f"无法读取 GeoJSON 文件 / cannot read the GeoJSON file {file}: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="GeoJSON FeatureCollection (UTF-8)."),
) -> None:
    """Import jurisdictions and grids from GeoJSON: all of it, or nothing.

    Every feature needs properties code, name, level, parent_code. On any error nothing is
    imported, every error is printed (feature index, code, message) and the exit code is 1.
    Overlapping grids are an error; gaps inside a village are printed and do not stop it.
    See docs/geo.md for the rules.

    Examples:
      grassroots geo import county.geojson
      grassroots geo export --out all.geojson && grassroots geo import all.geojson
    """
    data = _read_json(file)
    with _session(write=True) as session:
        try:
            summary = do_import_geojson(session, data, None)
        except Problem as problem:
            typer.echo(problem.message, err=True)
            for error in problem.errors:
                typer.echo(
                    f"  #{error['index']} {error['code'] or '-'} [{error['error']}] "
                    f"{error['message']}",
                    err=True,
                )
            raise typer.Exit(1) from problem
    typer.echo(
        f"导入完成 / imported: 新增 created {summary.created}, 改名 renamed {summary.renamed}, "
        f"边界更新 reshaped {summary.reshaped}, 未变 unchanged {summary.unchanged}"
    )
    for gap in summary.gaps:
        typer.echo(
            f"  空隙 gap: 村 village {gap.village} 有 {gap.area_m2:.0f} 平方米 m² 不属于任何网格 "
            f"(no grid covers it); 相邻网格 grids around: {', '.join(gap.grids) or '-'}"
        )


@app.command()
def export(
    level: Level | None = typer.Option(None, "--level", help="Only this level, e.g. grid."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (default: stdout)."),
) -> None:
    """Export the current jurisdictions as a GeoJSON FeatureCollection (parents first).

    Examples:
      grassroots geo export --level grid --out grids.geojson
      grassroots geo export --level township
      grassroots geo export > everything.geojson
    """
    with _session() as session:
        data = export_collection(session, level=level.value if level else None)
    text = json.dumps(data, ensure_ascii=False)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text, encoding="utf-8")
    count = len(data["features"])
    typer.echo(f"已导出 {count} 个要素 / exported {count} features to {out}")


@app.command()
def locate(
    lat: float = typer.Argument(..., help="Latitude 纬度 (WGS-84)."),
    lng: float = typer.Argument(..., help="Longitude 经度 (WGS-84)."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
) -> None:
    """Which grid a point lies in, with its village, township and county.

    Exit code 0 when the point is in a grid, 1 when it is outside the jurisdiction.

    Examples:
      grassroots geo locate 30.6 112.4
      grassroots geo locate 30.6 112.4 --json
      grassroots geo locate -- -33.9 151.2     (use -- before a negative latitude)
    """
    with _session() as session:
        found = locate_point(session, lat, lng)
    if as_json:
        typer.echo(json.dumps(found.__dict__ if found else None, ensure_ascii=False))
    elif found is None:
        typer.echo("该位置不在本辖区任何网格内 / outside the jurisdiction: no grid here")
    else:
        path = " › ".join(found.names[lv.value] for lv in Level if lv.value in found.names)
        typer.echo(f"{found.grid_code}  {path}")
    if found is None:
        raise typer.Exit(1)
