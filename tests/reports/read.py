"""Reading generated files back: all docx text, xlsx rows by their first cell."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from openpyxl import load_workbook

BAD_TEXT = ("XX", "{{", "}}", "{%", "%}", "None", "nan", "NaN")


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(content: bytes) -> dict[str, list[str]]:
    doc = Document(io.BytesIO(content))
    return {row.cells[0].text: [c.text for c in row.cells[1:]] for row in doc.tables[0].rows}


def sheets(content: bytes) -> dict[str, dict[str, list[Any]]]:
    wb = load_workbook(io.BytesIO(content))
    out: dict[str, dict[str, list[Any]]] = {}
    for ws in wb.worksheets:
        rows: dict[str, list[Any]] = {}
        for row in ws.iter_rows(min_row=1, values_only=True):
            if row and isinstance(row[0], str):
                rows[row[0]] = list(row[1:])
        out[ws.title] = rows
    return out


def all_cells(content: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(content))
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]


def one(pattern: str, text: str) -> str:
    found = re.findall(pattern, text)
    assert len(found) >= 1, f"{pattern!r} not in report"
    return found[0]  # type: ignore[no-any-return]
