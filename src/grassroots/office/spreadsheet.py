"""Cells of the spreadsheets the system writes (CSV and Excel): text is never read as a formula.

A title such as `=HYPERLINK("http://…","点此")` or `@SUM(…)` would run as a formula in the
spreadsheet program of whoever opens the export. The OWASP rule for CSV injection: a text
cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in
front (Excel shows the text as typed; the quote is visible only when editing the cell).
Numbers, dates and empty cells are left as they are. Every CSV and .xlsx writer passes each
cell through `safe_cell` (docs/cases.md, docs/reports.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = TypeVar("Value")


def safe_cell(value: Value) -> Value | str:
    """`value` for a spreadsheet cell: text that a spreadsheet would read as a formula gets
    a leading `'`; anything else (numbers, dates, None, other text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through `safe_cell`."""
    return [safe_cell(v) for v in values]
