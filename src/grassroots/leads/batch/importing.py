"""Reading a batch of leads handed down as a spreadsheet (xlsx): one lead per row, headers in
the first row (Chinese or the API's field names). Reads only; every row is checked and every
error reported with its row number, so that the import is all or nothing
(actions.do_import)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy.orm import Session

from grassroots.dictionary.queries import lead_categories
from grassroots.leads.schemas import NewLead

HEADERS = {
    "标题": "title", "反映内容": "content", "内容": "content", "地点": "place",
    "发生时间": "occurred_on", "区划代码": "jurisdiction_code", "类别": "category_code",
    "核查期限": "due_on", "来文单位": "issuing_body", "文号": "document_number",
    "批次": "batch", "涉及人员": "persons", "接收日期": "received_on",
}  # fmt: skip
FIELDS = set(NewLead.model_fields) - {"informant_name", "informant_contact", "anonymous"}
MAX_ROWS = 5000


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of the first sheet as field → text (empty rows skipped)."""
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [HEADERS.get(_cell(h), _cell(h)) for h in next(rows, ())]
    unknown = [h for h in header if h and h not in FIELDS]
    if unknown:
        raise ValueError(f"未知的列 / unknown columns: {', '.join(unknown)}")
    out = []
    for values in rows:
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h and _cell(v) != ""}
        if row:
            out.append(row)
        if len(out) > MAX_ROWS:
            raise ValueError(f"一次最多导入 {MAX_ROWS} 行 / at most {MAX_ROWS} rows")
    return out


def parse(
    session: Session, rows: list[dict[str, Any]], defaults: dict[str, str]
) -> tuple[list[NewLead], list[str]]:
    """(leads, errors): each row with the batch's defaults (source, issuing body, document
    number, batch) under it, and categories given by name or code."""
    names = {c.name: c.code for c in lead_categories(session)}
    leads, errors = [], []
    for number, row in enumerate(rows, start=2):  # row 1 holds the headers
        data = defaults | row
        data["category_code"] = names.get(
            data.get("category_code", ""), data.get("category_code", "other")
        )
        try:
            leads.append(NewLead.model_validate(data))
        except ValidationError as exc:
            for e in exc.errors():
                field = ".".join(str(p) for p in e["loc"]) or "-"
                errors.append(f"第 {number} 行 / row {number}: {field}: {e['msg']}")
    return leads, errors
