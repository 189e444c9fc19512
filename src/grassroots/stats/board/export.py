"""The 统计看板's table as an Excel sheet: one row per subordinate jurisdiction (and the
total), every metric's value; cells through office.spreadsheet (never a formula)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from grassroots.office.spreadsheet import safe_row
from grassroots.stats.board.schemas import BoardView
from grassroots.stats.figures.metrics import METRICS
from grassroots.stats.queries import Dashboard, Values


def _cells(values: Values) -> list[float | int | None]:
    out: list[float | int | None] = []
    for m in METRICS:
        v = values.get(m.key)
        out.append(round(v * 100, 1) if m.kind == "rate" and v is not None else v)
    return out


def header() -> list[str]:
    names = [f"{m.name}（%）" if m.kind == "rate" else m.name for m in METRICS]
    return ["区划代码", "区划名称", *names]


def ranking_workbook(view: BoardView, d: Dashboard) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计看板"
    ws.append(safe_row([f"{view.node.name} {view.period.title_zh}", f"截至 {d.today}"]))
    ws.append(safe_row(header()))
    ws["A2"].font = Font(bold=True)
    for row in d.children:
        ws.append(safe_row([row.code, row.name, *_cells(row.values)]))
    ws.append(safe_row([view.node.code, "合计", *_cells(d.values)]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
