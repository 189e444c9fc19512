"""The 人民调解台账 as inspectors ask for it (.xlsx): one row per dispute a committee accepted
in a period, in the ledger's columns. Parties' names are masked (张*) unless the reader may
reveal them and gave a reason; the file reads back with `grassroots ledger import` (the
columns are the import's own names)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from grassroots.calendar.today import local_date
from grassroots.cases.models import PartyRole
from grassroots.crypto import keyring
from grassroots.ledgers.queries import LedgerLine
from grassroots.ledgers.words import OUTCOME_LABELS, PERFORMANCE_LABELS, SATISFACTION_LABELS
from grassroots.office.spreadsheet import safe_row

COLUMNS = (
    "序号",
    "受理日期",
    "当事人",
    "对方当事人",
    "村（社区）",
    "纠纷类型",
    "纠纷简要情况",
    "调解员",
    "调解结果",
    "结案日期",
    "协议履行情况",
    "回访情况",
    "卷宗号",
)
WIDTHS = (6, 12, 16, 16, 14, 12, 40, 10, 12, 12, 14, 20, 22)


def mask_name(name: str) -> str:
    """张三 → 张*: the family name's first character stays."""
    return name[:1] + "*" * (len(name) - 1)


def _names(line: LedgerLine, role: str, reveal: bool) -> str:
    names = [p.name for p in line.parties if (p.role == PartyRole.applicant) == (role == "a")]
    return "、".join(n if reveal else mask_name(n) for n in names)


def _outcome(line: LedgerLine) -> str:
    if line.ledger is not None and line.ledger.outcome_text:
        return line.ledger.outcome_text
    return OUTCOME_LABELS.get(line.case.outcome or "open", "调解中")


def _follow_up(line: LedgerLine, reveal: bool) -> str:
    ledger = line.ledger
    if reveal and ledger is not None and ledger.follow_up_enc is not None:
        return keyring().decrypt("ledger.follow_up", ledger.follow_up_enc)
    return SATISFACTION_LABELS.get(line.case.satisfaction or "", "")


def _ended(line: LedgerLine) -> date | None:
    moment = line.case.resolved_at or line.case.closed_at
    return local_date(moment) if moment else None


def row_of(n: int, line: LedgerLine, category: str, reveal: bool) -> list[object]:
    case, ledger = line.case, line.ledger
    performance = (ledger.performance_text if ledger else "") or PERFORMANCE_LABELS.get(
        case.performance or "", ""
    )
    return [
        n,
        local_date(case.registered_at),
        _names(line, "a", reveal),
        _names(line, "r", reveal),
        line.village,
        category,
        case.description,
        line.mediator,
        _outcome(line),
        _ended(line),
        performance,
        _follow_up(line, reveal),
        (ledger.file_no if ledger else "") or case.code,
    ]


def ledger_workbook(
    title: str, lines: list[LedgerLine], categories: dict[str, str], reveal: bool
) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "人民调解台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.append(list(COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for n, line in enumerate(lines, 1):
        ws.append(safe_row(row_of(n, line, categories.get(line.case.category_code, ""), reveal)))
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=3, min_col=10, max_col=10):
        row[0].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
