"""The minutes (会议纪要) of a 边界联席会议 as a Word document: A4 with the GB/T 9704 page
(天头 37 mm, 订口 28 mm), title 2号小标宋, body 3号仿宋, headings 黑体, as the leads' reply
and the work report are. Built from the meeting's API shape (access_meeting first)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from grassroots.border.meetings.schemas import MeetingOut
from grassroots.leads.reporting.reply import cn_date

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
NUMERALS = "一二三四五六七八九十"


def _para(doc: Any, text: str, font: str = BODY_FONT, size: float = 16, **how: Any) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    if how.get("indent", True):
        p.paragraph_format.first_line_indent = Pt(32)
    if "align" in how:
        p.alignment = how["align"]
    run = p.add_run(text)
    run.font.name, run.font.size = "Times New Roman", Pt(size)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def participants(m: MeetingOut) -> str:
    outside = [f"{o.name}（{o.code}）" if o.code else o.name for o in m.outside]
    return "、".join([j.name for j in m.jurisdictions] + outside)


def _decision(i: int, d: Any) -> str:
    due = f"，{cn_date(d.due_on)}前完成" if d.due_on else ""
    state = "已完成" if d.done else "未完成"
    return f"{i}. {d.text}（责任单位：{d.owner}{due}；{state}）"


def sections(m: MeetingOut) -> list[tuple[str, list[str]]]:
    parts: list[tuple[str, list[str]]] = [("会议议题", m.topics.splitlines())]
    if m.notes:
        parts.append(("会议情况", m.notes.splitlines()))
    if m.cases:
        parts.append(("研究的联调案件", [f"{c.code} {c.title}" for c in m.cases]))
    decided = [_decision(i, d) for i, d in enumerate(m.decisions, start=1)]
    parts.append(("议定事项", decided or ["无。"]))
    return [(f"{NUMERALS[i]}、{h}", lines) for i, (h, lines) in enumerate(parts)]


def build_minutes_docx(m: MeetingOut) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _para(doc, "边界联席会议纪要", TITLE_FONT, 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"时间：{cn_date(m.held_on)}", indent=False)
    _para(doc, f"地点：{m.place}", indent=False)
    _para(doc, f"参会单位：{participants(m)}", indent=False)
    for heading, lines in sections(m):
        _para(doc, heading, HEADING_FONT)
        for line in lines:
            if line.strip():
                _para(doc, line.strip())
    _para(doc, cn_date(m.held_on), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
