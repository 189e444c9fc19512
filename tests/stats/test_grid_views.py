"""Figures per grid through the real app: the API per grid of a village (recounted from the
case rows), a 网格员's own grids on the 工作台, the staff page, and a village report's
Excel sheet per grid."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.cases.intake.actions import do_register
from grassroots.cases.schemas import NewCase
from grassroots.reports.content.data import gather
from grassroots.reports.office.excel import render_xlsx
from grassroots.scope import current_jurisdiction
from grassroots.stats import recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.cases.conftest import grid_in
from tests.rounds.test_rounds import post

HTML = {"accept": "text/html"}


def _cases(session: Session, users: dict[str, User], grid: str, n: int) -> None:
    now = datetime.now(UTC)
    for i in range(n):
        source = "grid_patrol" if i % 2 else "visit"
        body = NewCase(category_code="neighbour", source_code=source, title=f"纠纷{i}",
                       description="网格统计样本", grid_code=grid)  # fmt: skip
        do_register(session, body, actor=users["zhao"], now=now - timedelta(minutes=i))


def test_the_api_gives_each_grid_of_a_village_as_recounted(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    _cases(session, users, grid, 3)
    month = china_today().strftime("%Y-%m")
    zhao = client_as("zhao")
    r = zhao.get("/api/v1/stats/grids", params={"jurisdiction": grid[:12], "period": month})
    assert r.status_code == 200, r.text
    body = r.json()
    reference = recount.grid_counters(session, Scope("village", grid[:12]),
                                      parse_period(month), china_today(), "grid_code")  # fmt: skip
    assert len(body["grids"]) > 1 and all(g["code"].startswith(grid[:12]) for g in body["grids"])
    for row in body["grids"]:
        want = reference.get(row["code"], {})
        for key in ("registered", "found_by_patrol", "resolved", "resolved_in_grid", "overdue"):
            assert row["figures"][key] == want.get(key, 0), (row["code"], key)
    mine = next(g for g in body["grids"] if g["code"] == grid)["figures"]
    assert (mine["registered"], mine["found_by_patrol"]) == (3, 1)
    assert body["total"]["registered"] == sum(g["figures"]["registered"] for g in body["grids"])
    one = zhao.get("/api/v1/stats/grids", params={"jurisdiction": grid, "period": month}).json()
    assert [g["code"] for g in one["grids"]] == [grid]
    outside = client_as("zhou").get("/api/v1/stats/grids",
                                    params={"jurisdiction": grid, "period": month})  # fmt: skip
    assert outside.status_code == 404


def test_a_grid_worker_sees_the_grids_they_serve_on_the_workbench(
    client_as: Any, session: Session, users: dict[str, User]
) -> None:
    grid = grid_in(session, users["wang"])
    _cases(session, users, grid, 2)
    wang = client_as("wang")
    assert 'id="my-grids"' not in wang.get("/", headers=HTML).text  # serves no grid yet
    post(session, users, grid, start=china_today())
    page = wang.get("/", headers=HTML).text
    assert 'id="my-grids"' in page and f'data-grid="{grid}"' in page
    block = page.split(f'data-grid="{grid}"', 1)[1]
    assert '<dd data-figure="registered">2</dd>' in block.split("</dl>", 1)[0]
    staff = client_as("zhao").get("/stats/grids", params={"jurisdiction": grid[:12]},
                                  headers=HTML)  # fmt: skip
    assert staff.status_code == 200 and f'data-grid="{grid}"' in staff.text


def test_a_village_report_has_a_sheet_per_grid(session: Session, users: dict[str, User]):
    grid = grid_in(session, users["wang"])
    _cases(session, users, grid, 2)
    village = current_jurisdiction(session, grid[:12])
    assert village is not None
    data = gather(session, village, parse_period(china_today().strftime("%Y-%m")), china_today())
    assert data.grids and {r.code for r in data.grids} >= {grid}
    sheet = load_workbook(io.BytesIO(render_xlsx(data)))["网格"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    name = next(r.name for r in data.grids if r.code == grid)
    assert rows[name][:2] == (2, 1)  # 排查数, 主动发现
    assert rows["合计"][0] == sum(r.figures["registered"] for r in data.grids)
