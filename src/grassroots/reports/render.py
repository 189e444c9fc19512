"""One report in the formats asked for: docx, xlsx, pdf (from the docx), html."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from grassroots.calendar.today import china_today
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.office.pdf import docx_to_pdf
from grassroots.reports.content.data import gather
from grassroots.reports.office.excel import render_xlsx
from grassroots.reports.office.word import render_docx
from grassroots.stats.periods import Period

FORMATS = ("docx", "xlsx", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def parse_formats(text: str | list[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else text
    wanted = [f.strip().lower() for f in items if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise Problem(
            422,
            "bad_format",
            f"不支持的格式 {', '.join(bad) or '（空）'}（可选 docx、xlsx、pdf）"
            f" / unsupported format",
        )
    return list(dict.fromkeys(wanted))


def file_name(j: Jurisdiction, period: Period, fmt: str) -> str:
    kind = "统计表" if fmt == "xlsx" else "工作情况报告"
    return f"{j.name}{period.title_zh}矛盾纠纷排查化解{kind}.{fmt}"


def render(
    session: Session,
    j: Jurisdiction,
    period: Period,
    formats: list[str],
    template: bytes | None = None,
    today: date | None = None,
) -> dict[str, bytes]:
    data = gather(session, j, period, today or china_today())
    out: dict[str, bytes] = {}
    if "docx" in formats or "pdf" in formats:
        docx = render_docx(data, template)
        if "docx" in formats:
            out["docx"] = docx
        if "pdf" in formats:
            out["pdf"] = docx_to_pdf(docx)
    if "xlsx" in formats:
        out["xlsx"] = render_xlsx(data)
    return out
