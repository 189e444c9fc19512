"""Read a ledger file into rows of cell values: XLSX / XLS with python-calamine (fast, any
size), CSV as UTF-8 (with or without Excel's BOM) or GB18030 (what Excel saves in China)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

KINDS = ("xlsx", "xls", "csv")


class UnreadableFile(ValueError):
    """The file cannot be read as a ledger (the reason in Chinese)."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]


def kind_of(filename: str) -> str:
    kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind not in KINDS:
        raise UnreadableFile("只能导入 .xlsx、.xls 或 .csv 文件")
    return kind


def _csv(data: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(r) for r in csv.reader(io.StringIO(decoded, newline=""))]
    raise UnreadableFile("CSV 文件编码无法识别（请存为 UTF-8 或 GB18030）")


def sheet_names(data: bytes, kind: str) -> list[str]:
    if kind == "csv":
        return ["CSV"]
    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except (CalamineError, ValueError) as exc:
        raise UnreadableFile("无法读取该 Excel 文件（文件损坏或不是 Excel 格式）") from exc


def read_sheet(data: bytes, kind: str, sheet: str | None = None) -> Sheet:
    """The named sheet (default: the first) as rows of values: str, float, int, bool,
    date / datetime, or None for an empty cell."""
    if kind == "csv":
        return Sheet("CSV", _csv(data))
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        name = sheet or names[0]
        if name not in names:
            raise UnreadableFile(f"没有名为“{name}”的工作表（有：{'、'.join(names)}）")
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise UnreadableFile("无法读取该 Excel 文件（文件损坏或不是 Excel 格式）") from exc
    return Sheet(name, [[None if v == "" else v for v in row] for row in rows])
