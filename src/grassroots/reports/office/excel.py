"""Excel: 矛盾纠纷排查化解情况统计表 — per child jurisdiction (then 其中 矛盾纠纷 / 群众诉求), per
village, category × level, by kind (分类型), 12345 退单/改派.

The workbook is the report's 附件 (GB/T 9704-2012 7.3.7): each sheet opens with "附件" in
黑体 at the top left, the title centred on the third line, then 填报单位 and 填报日期; 填报人
and 审核人 sign under the table. Printed landscape on A4 (clause 8, 横排表格), one page wide,
the title and header rows repeated on every page (print titles).

Values, not formulas (readers and tests see the figures without a spreadsheet engine); rates
are numbers formatted as percentages, "—" where the denominator is zero. Every cell goes
through grassroots.office.spreadsheet.safe_cell: names typed by people (categories, jurisdictions,
units) never become formulas.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.leads.reporting.figures import Figure, FiguresOut
from grassroots.office.spreadsheet import safe_cell
from grassroots.reports.content.data import (
    KIND_NAMES,
    KINDS,
    LEVEL_NAMES,
    LEVELS,
    ReportData,
    Row,
)
from grassroots.reports.content.formatting import DASH, chinese_date

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
    ("本期", "按期办结数", _n("on_time_concluded"), False),
    ("本期", "按期办结率", _rate("on_time_rate"), True),
    ("本期", "超期数", _n("overdue"), False),
    ("本期", "回访数", _n("followed_up"), False),
    ("本期", "满意数", _n("satisfied"), False),
    ("本期", "满意率", _rate("satisfaction_rate"), True),
    ("本期", "民转刑风险", _n("violence_risk"), False),
    ("本期", "防止民转刑", _n("violence_resolved"), False),
    # 群众评价 (grassroots.residents): the residents' own ratings, a source of its own
    ("本期", "群众自评数", _n("resident_rated"), False),
    ("本期", "群众评价满意数", _n("resident_satisfied"), False),
    ("本期", "群众评价满意率", _rate("resident_satisfaction_rate"), True),
    ("本年累计", "排查数", _ytd_n("registered"), False),
    ("本年累计", "化解数", _ytd_n("resolved"), False),
    ("本年累计", "化解率", _ytd_rate("resolution_rate"), True),
]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


HEAD_ROWS = 4  # 附件, (blank), title, 填报单位/填报日期
MM = 1 / 25.4  # openpyxl page margins are in inches


def attachment_title(data: ReportData) -> str:
    """The name in the report's 附件说明 and on the sheet (no punctuation after it, 7.3.4)."""
    return f"{data.jurisdiction.name}矛盾纠纷排查化解情况统计表（{data.period.title_zh}）"


def _head(ws: Worksheet, data: ReportData, text: str, width: int) -> None:
    ws.cell(1, 1, "附件").font = Font(name="黑体", size=16)
    ws.cell(3, 1, safe_cell(text)).font = Font(name="方正小标宋简体", size=18)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.cell(3, 1).alignment = CENTER
    ws.row_dimensions[3].height = 30
    today = data.dashboard.today
    ws.cell(4, 1, safe_cell(f"填报单位：{data.jurisdiction.name}综治中心"))
    dated = ws.cell(4, width, f"填报日期：{chinese_date(today.year, today.month, today.day)}")
    dated.alignment = Alignment(horizontal="right")


def _sign(ws: Worksheet, row: int, width: int) -> None:
    """填报人 and 审核人 are signed by hand on the printed sheet."""
    ws.cell(row + 1, 1, "填报人：")
    ws.cell(row + 1, max(2, width // 2), "审核人：")


def _print_setup(ws: Worksheet, header_last_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=20 * MM, right=20 * MM, top=25 * MM, bottom=25 * MM, header=10 * MM, footer=10 * MM
    )


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
    top = HEAD_ROWS + 1
    _cell(ws, top, 1, first, bold=True)
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    groups: dict[str, list[int]] = {}
    for i, (group, head, _, _) in enumerate(COLUMNS, 2):
        groups.setdefault(group, []).append(i)
        _cell(ws, top + 1, i, head, bold=True)
    for group, cols in groups.items():
        _cell(ws, top, cols[0], group, bold=True)
        ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])
    ws.column_dimensions["A"].width = 22
    for i in range(2, len(COLUMNS) + 2):
        ws.column_dimensions[get_column_letter(i)].width = 10
    ws.freeze_panes = f"B{HEAD_ROWS + 3}"


def _table(ws: Worksheet, data: ReportData, first: str, rows: list[Row]) -> None:
    _head(ws, data, attachment_title(data), len(COLUMNS) + 1)
    _headers(ws, first)
    for r_index, row in enumerate(rows, HEAD_ROWS + 3):
        _cell(ws, r_index, 1, row.name, bold=row.subtotal)
        for c_index, (_, _, get, rate) in enumerate(COLUMNS, 2):
            _cell(ws, r_index, c_index, get(row), rate, bold=row.subtotal)
    _sign(ws, HEAD_ROWS + 3 + len(rows), len(COLUMNS) + 1)
    _print_setup(ws, HEAD_ROWS + 2)


def _category_sheet(ws: Worksheet, data: ReportData, title: str) -> None:
    heads = ["类别", "排查数", "化解数", *(LEVEL_NAMES[lv] + "化解" for lv in LEVELS), "化解率"]
    _head(ws, data, title, len(heads))
    top = HEAD_ROWS + 1
    for i, h in enumerate(heads, 1):
        _cell(ws, top, i, h, bold=True)
    total: dict[str, int] = {}
    for r_index, cat in enumerate(data.categories, top + 1):
        for k, v in cat.counters.items():
            total[k] = total.get(k, 0) + v
        _category_row(ws, r_index, cat.name, cat.counters, False)
    last = top + 1 + len(data.categories)
    _category_row(ws, last, "合计", total, True)
    ws.column_dimensions["A"].width = 16
    _sign(ws, last + 1, len(heads))
    _print_setup(ws, top)


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


KIND_HEADS = ("类型", "类别", "排查数", "化解数", "化解率", "到期数", "按期办结数", "按期办结率",
              "回访数", "满意数", "满意率")  # fmt: skip


def _kind_values(kind: str, name: str, c: dict[str, int]) -> list[Any]:
    def rate(n: int, d: int) -> Any:
        return round(n / d, 4) if d else DASH

    reg, res, due, met = (c.get(k, 0) for k in ("registered", "resolved", "due",
                                                   "on_time_concluded"))  # fmt: skip
    asked, ok = c.get("followed_up", 0), c.get("satisfied", 0)
    return [kind, name, reg, res, rate(res, reg), due, met, rate(met, due), asked, ok,
            rate(ok, asked)]  # fmt: skip


def _kind_sheet(ws: Worksheet, data: ReportData) -> None:
    """矛盾纠纷 and 群众诉求 apart (issue 15 item 4): each kind's categories, its 小计 (the
    kind's own rates), then 合计; docs/metrics.md."""
    title = f"{data.jurisdiction.name}矛盾纠纷与群众诉求分类情况（{data.period.title_zh}）"
    _head(ws, data, title, len(KIND_HEADS))
    top = HEAD_ROWS + 1
    for i, h in enumerate(KIND_HEADS, 1):
        _cell(ws, top, i, h, bold=True)
    r = top + 1
    for kind, row in zip(KINDS, data.kinds, strict=True):
        name = KIND_NAMES[kind]
        for cat in data.categories_by_kind.get(kind, []):
            _values_row(ws, r, _kind_values(name, cat.name, cat.counters), False)
            r += 1
        _values_row(ws, r, _kind_values(name, "小计", row.counters), True)
        r += 1
    _values_row(ws, r, _kind_values("合计", "", data.rows[-1].counters), True)
    ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 14
    _sign(ws, r + 1, len(KIND_HEADS))
    _print_setup(ws, top)


def _values_row(ws: Worksheet, r: int, values: list[Any], bold: bool) -> None:
    for i, v in enumerate(values, 1):
        _cell(ws, r, i, v, rate=isinstance(v, float), bold=bold)


ORDER_LINES = (("returned", "退单（件）"), ("reassigned", "改派（次）"),
               ("reassigned_orders", "其中改派涉及工单（件）"))  # fmt: skip


def _order_sheet(ws: Worksheet, data: ReportData) -> None:
    """12345 工单的退单与改派, counted by the day taken (docs/metrics.md)."""
    _head(ws, data, f"{data.jurisdiction.name}12345工单退单改派情况（{data.period.title_zh}）", 2)
    top = HEAD_ROWS + 1
    _values_row(ws, top, ["项目", "本期"], True)
    for r, (key, name) in enumerate(ORDER_LINES, top + 1):
        _values_row(ws, r, [name, data.orders.get(key, 0)], False)
    ws.column_dimensions["A"].width = 26
    _sign(ws, top + 1 + len(ORDER_LINES), 2)
    _print_setup(ws, top)


GRID_HEADS = (
    ("registered", "排查数"), ("found_by_patrol", "主动发现"), ("resolved", "化解数"),
    ("resolved_in_grid", "网格（村）内化解"), ("overdue", "超期数"), ("rounds", "排查次数"),
    ("matters", "排查发现事项"),
)  # fmt: skip


def _grid_sheet(ws: Worksheet, data: ReportData) -> None:
    """A village's figures per grid (docs/metrics.md, 网格统计); 超期数 as of the report day."""
    heads = ["网格", *(h for _, h in GRID_HEADS)]
    _head(ws, data, f"{data.jurisdiction.name}各网格情况（{data.period.title_zh}）", len(heads))
    top = HEAD_ROWS + 1
    for i, h in enumerate(heads, 1):
        _cell(ws, top, i, h, bold=True)
    for r, row in enumerate(data.grids, top + 1):
        for i, v in enumerate([row.name, *(row.figures[k] for k, _ in GRID_HEADS)], 1):
            _cell(ws, r, i, v)
    last = top + 1 + len(data.grids)
    totals = [sum(row.figures[k] for row in data.grids) for k, _ in GRID_HEADS]
    for i, v in enumerate(["合计", *totals], 1):
        _cell(ws, last, i, v, bold=True)
    ws.column_dimensions["A"].width = 22
    _sign(ws, last + 1, len(heads))
    _print_setup(ws, top)


LEAD_HEADS = ("线索数", "已核查", "核查中", "超期", "属实（含部分属实）", "转为案件", "已反馈",
              "清零率", "是否清零")  # fmt: skip


def _lead_row(ws: Worksheet, r: int, name: str, f: Figure, bold: bool) -> None:
    """One issuing body's (or the total's) figures; 清零率 floored to 0.1 % (100 % only
    when cleared), 超期 only on the total (today's count, not kept per issuing body)."""
    rate = math.floor(1000 * f.replied / f.received) / 1000 if f.received else DASH
    values = [name, f.received, f.verified, f.verifying, f.overdue if bold else "—",
              f.substantiated + f.partly, f.to_case, f.replied]  # fmt: skip
    for i, v in enumerate(values, 1):
        _cell(ws, r, i, v, bold=bold)
    _cell(ws, r, len(values) + 1, rate, rate=True, bold=bold)
    _cell(ws, r, len(values) + 2, "是" if f.cleared_to_zero else "否", bold=bold)


def _lead_sheet(ws: Worksheet, data: ReportData, leads: FiguresOut) -> None:
    """线索核查与清零 per issuing body (leads received in the period), then 合计."""
    heads = ["来文单位", *LEAD_HEADS]
    _head(ws, data, f"{data.jurisdiction.name}线索核查清零情况（{data.period.title_zh}）",
          len(heads))  # fmt: skip
    top = HEAD_ROWS + 1
    for i, h in enumerate(heads, 1):
        _cell(ws, top, i, h, bold=True)
    bodies = [g for g in leads.by_issuing_body if g.figure.received]
    for r, g in enumerate(bodies, top + 1):
        _lead_row(ws, r, g.key, g.figure, False)
    last = top + 1 + len(bodies)
    _lead_row(ws, last, "合计（含举报、主动排查发现）", leads.overall, True)
    ws.column_dimensions["A"].width = 30
    _sign(ws, last + 1, len(heads))
    _print_setup(ws, top)


def _joint_lines(data: ReportData) -> list[tuple[str, int]]:
    """联调 (docs/metrics.md, 联调 and 边界): joint cases and border work of the period."""
    j, b = data.joint, data.border
    return [
        ("主办联调案件（件）", j.led if j else 0),
        ("其中化解（件）", j.led_resolved if j else 0),
        ("参与联调数（件）", j.joined if j else 0),
        ("联调化解数（件）", j.joined_resolved if j else 0),
        ("召开边界联席会议（次）", b.meetings if b else 0),
        ("防范化解边界不稳定隐患问题（起）", b.hazards_settled if b else 0),
        ("期末在册边界隐患（起）", b.hazards_open if b else 0),
    ]


def _joint_sheet(ws: Worksheet, data: ReportData) -> None:
    _head(ws, data, f"{data.jurisdiction.name}矛盾联调情况（{data.period.title_zh}）", 2)
    top = HEAD_ROWS + 1
    _values_row(ws, top, ["项目", "本期"], True)
    lines = _joint_lines(data)
    for r, (name, value) in enumerate(lines, top + 1):
        _values_row(ws, r, [name, value], False)
    ws.column_dimensions["A"].width = 34
    _sign(ws, top + 1 + len(lines), 2)
    _print_setup(ws, top)


def render_xlsx(data: ReportData) -> bytes:
    j, p = data.jurisdiction, data.period
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    first = "乡镇（街道）" if j.level == "county" else "单位"
    _table(ws, data, first, [*data.rows, *data.kinds])  # 合计, then 其中 disputes / requests
    if data.villages:
        _table(wb.create_sheet("村（社区）"), data, "村（社区）", data.villages)
    _category_sheet(
        wb.create_sheet("类别×层级"), data, f"{j.name}矛盾纠纷分类分级化解情况（{p.title_zh}）"
    )
    _kind_sheet(wb.create_sheet("分类型"), data)
    _order_sheet(wb.create_sheet("12345工单"), data)
    if data.grids:
        _grid_sheet(wb.create_sheet("网格"), data)
    if data.leads is not None:
        _lead_sheet(wb.create_sheet("线索"), data, data.leads)
    _joint_sheet(wb.create_sheet("联调"), data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
