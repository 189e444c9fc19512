"""The annotated copy of a refused sheet (.xlsx): the sheet as read, each cell in error
filled red with the reason as a comment, and a last column 错误说明 listing the row's
errors — the file to correct and import again."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from grassroots.ledgers.schemas import RowError
from grassroots.ledgers.sheets.reading import Sheet
from grassroots.office.spreadsheet import safe_cell

RED = PatternFill("solid", fgColor="FFC7CE")
COLUMN = "错误说明"


def _cell(value: object) -> object:
    if isinstance(value, str | int | float | date | datetime) or value is None:
        return safe_cell(value)
    return str(value)


def annotated(sheet: Sheet, errors: list[RowError], header_names: dict[str, int]) -> bytes:
    """`header_names`: the header text of each mapped column → its column index."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.name[:31] or "台账"
    width = max((len(r) for r in sheet.rows), default=0)
    for row in sheet.rows:
        ws.append([_cell(v) for v in row])
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for error in errors:
        by_row[error.row].append(error)
    ws.cell(row=1, column=width + 1, value=COLUMN).font = Font(bold=True, color="9C0006")
    for number, row_errors in by_row.items():
        ws.cell(row=number, column=width + 1, value="；".join(e.line() for e in row_errors))
        for error in row_errors:
            column = header_names.get(error.column)
            if column is not None:
                cell = ws.cell(row=number, column=column + 1)
                cell.fill = RED
                cell.comment = Comment(error.reason, "grassroots")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
