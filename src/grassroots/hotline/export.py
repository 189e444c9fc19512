"""The replies back to the 12345 platform (办结反馈), in the import's formats (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.models import Case
from grassroots.hotline.models import HotlineOrder
from grassroots.hotline.schemas import REPLY_FIELDS
from grassroots.office.spreadsheet import safe_row

RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
RESULTS = {
    "resolved": "已办结",
    "closed": "已办结（已回访）",
    "rejected": "不予受理",
    "terminated": "调解终止",
}


def _time(moment: datetime | None) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def reply(order: HotlineOrder, case: Case) -> dict[str, str]:
    """One 办结反馈: result (state in words and the handler's outcome text), time, rating."""
    result = "退单" if case.outcome == "returned" else RESULTS.get(case.state, case.state)
    if case.outcome_note:
        result = f"{result}：{case.outcome_note}"
    if case.id != order.case_id:  # the order's case was merged into this one
        result = f"{result}（与同一事项的案件 {case.code} 合并办理）"
    return {
        "工单编号": order.order_no, "案件编号": case.code,
        "办结时间": _time(case.resolved_at or case.closed_at), "办理结果": result,
        "群众评价": RATINGS.get(case.satisfaction or "", ""),
        "要求反馈时间": _day(order.feedback_due_on),
    }  # fmt: skip


def write_replies(rows: list[dict[str, str]], kind: str) -> str:
    if kind == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPLY_FIELDS)
    for row in rows:
        writer.writerow(safe_row(row[f] for f in REPLY_FIELDS))  # no formula reaches a sheet
    return buffer.getvalue()
