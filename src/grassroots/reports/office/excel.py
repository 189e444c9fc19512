"""Excel: 矛盾纠纷排查化解情况统计表 — per child jurisdiction, per village, category × level.

Values, not formulas (readers and tests see the figures without a spreadsheet engine); rates
are numbers formatted as percentages, "—" where the denominator is zero. Every cell goes
through grassroots.spreadsheet.safe_cell: names typed by people (categories, jurisdictions,
units) never become formulas.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.reports.content.data import LEVEL_NAMES, LEVELS, CategoryRow, ReportData, Row
from grassroots.reports.content.formatting import DASH
from grassroots.spreadsheet import safe_cell

Getter = Callable[[Row], Any]


def _n(name: str) -> Getter:
    return lambda r: r.counters.get(name, 0)


def _rate(name: str) -> Getter:
    return lambda r: DASH if r.values[name] is None else round(float(r.values[name] or 0), 4)


def _ytd_n(name: str) -> Getter:
    return lambda r: r.ytd_counters.get(name, 0)


def _ytd_rate(name: str) -> Getter:
    return lambda r: DASH if r.ytd[name] is None else round(float(r.ytd[name] or 0), 4)


# (本期 / 本年累计, column header, value, is a rate)
COLUMNS: list[tuple[str, str, Getter, bool]] = [
    ("本期", "排查数", _n("registered"), False),
    ("本期", "受理数", _n("accepted"), False),
    ("本期", "化解数", _n("resolved"), False),
    ("本期", "化解率", _rate("resolution_rate"), True),
    ("本期", "村级化解", _n("resolved_village"), False),
    ("本期", "乡镇级化解", _n("resolved_township"), False),
    ("本期", "县级化解", _n("resolved_county"), False),
    ("本期", "上报县以上", _n("escalated_beyond"), False),
    ("本期", "到期数", _n("due"), False),
    ("本期", "按期办结数", _n("on_time"), False),
    ("本期", "按期办结率", _rate("on_time_rate"), True),
    ("本期", "超期数", _n("overdue"), False),
    ("本期", "回访数", _n("followed_up"), False),
    ("本期", "满意数", _n("satisfied"), False),
    ("本期", "满意率", _rate("satisfaction_rate"), True),
    ("本期", "民转刑风险", _n("violence_risk"), False),
    ("本期", "防止民转刑", _n("violence_resolved"), False),
    ("本年累计", "排查数", _ytd_n("registered"), False),
    ("本年累计", "化解数", _ytd_n("resolved"), False),
    ("本年累计", "化解率", _ytd_rate("resolution_rate"), True),
]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(1, 1, safe_cell(text)).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30


def _cell(
    ws: Worksheet, row: int, col: int, value: Any, rate: bool = False, bold: bool = False
) -> None:
    cell = ws.cell(row, col, safe_cell(value))
    cell.border = BOX
    cell.alignment = CENTER
    if rate and isinstance(value, float):
        cell.number_format = "0.0%"
    if bold:
        cell.font = BOLD


def _headers(ws: Worksheet, first: str) -> None:
    _cell(ws, 2, 1, first, bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    groups: dict[str, list[int]] = {}
    for i, (group, head, _, _) in enumerate(COLUMNS, 2):
        groups.setdefault(group, []).append(i)
        _cell(ws, 3, i, head, bold=True)
    for group, cols in groups.items():
        _cell(ws, 2, cols[0], group, bold=True)
        ws.merge_cells(start_row=2, start_column=cols[0], end_row=2, end_column=cols[-1])
    ws.column_dimensions["A"].width = 22
    for i in range(2, len(COLUMNS) + 2):
        ws.column_dimensions[get_column_letter(i)].width = 10
    ws.freeze_panes = "B4"


def _table(ws: Worksheet, title: str, first: str, rows: list[Row]) -> None:
    _title(ws, title, len(COLUMNS) + 1)
    _headers(ws, first)
    for r_index, row in enumerate(rows, 4):
        _cell(ws, r_index, 1, row.name, bold=row.subtotal)
        for c_index, (_, _, get, rate) in enumerate(COLUMNS, 2):
            _cell(ws, r_index, c_index, get(row), rate, bold=row.subtotal)


def _category_sheet(ws: Worksheet, title: str, cats: list[CategoryRow]) -> None:
    heads = ["类别", "排查数", "化解数", *(LEVEL_NAMES[lv] + "化解" for lv in LEVELS), "化解率"]
    _title(ws, title, len(heads))
    for i, h in enumerate(heads, 1):
        _cell(ws, 2, i, h, bold=True)
    total: dict[str, int] = {}
    for r_index, cat in enumerate(cats, 3):
        for k, v in cat.counters.items():
            total[k] = total.get(k, 0) + v
        _category_row(ws, r_index, cat.name, cat.counters, False)
    _category_row(ws, len(cats) + 3, "合计", total, True)
    ws.column_dimensions["A"].width = 16


def _category_row(ws: Worksheet, r: int, name: str, c: dict[str, int], bold: bool) -> None:
    reg, res = c.get("registered", 0), c.get("resolved", 0)
    values: list[Any] = [
        name,
        reg,
        res,
        *(c.get(f"resolved_{lv}", 0) for lv in LEVELS),
        round(res / reg, 4) if reg else DASH,
    ]
    for i, v in enumerate(values, 1):
        _cell(ws, r, i, v, rate=(i == len(values)), bold=bold)


def render_xlsx(data: ReportData) -> bytes:
    j, p = data.jurisdiction, data.period
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    base = f"{j.name}矛盾纠纷排查化解情况统计表（{p.title_zh}）"
    first = "乡镇（街道）" if j.level == "county" else "单位"
    _table(ws, base, first, data.rows)
    if data.villages:
        _table(wb.create_sheet("村（社区）"), base, "村（社区）", data.villages)
    _category_sheet(
        wb.create_sheet("类别×层级"),
        f"{j.name}矛盾纠纷分类分级化解情况（{p.title_zh}）",
        data.categories,
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
