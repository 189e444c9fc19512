"""The 核查情况报告: the reply to the issuing body as a Word document (A4, GB/T 9704 fonts:
title 2号小标宋, body 3号仿宋, headings 黑体). Built from the lead's API shape; it names
neither the people in the lead nor the informant."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from grassroots.leads.responses import LeadOut

FINDING_TEXT = {"substantiated": "属实", "partly": "部分属实", "unfounded": "不属实",
                "unverifiable": "无法核实"}  # fmt: skip
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"


def _run(paragraph: Any, text: str, font: str, size: float) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size = "Times New Roman", Pt(size)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(doc: Any, text: str, font: str = BODY_FONT, size: float = 16, **how: Any) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    if how.get("indent", True):
        p.paragraph_format.first_line_indent = Pt(32)
    if "align" in how:
        p.alignment = how["align"]
    _run(p, text, font, size)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_reply_docx(lead: LeadOut, centre: str, today: date) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    body = _sections(lead)
    _para(doc, "关于线索核查情况的报告", TITLE_FONT, 22, indent=False,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    _para(doc, f"{lead.issuing_body or '领导'}：", indent=False)
    for heading, text in body:
        if heading:
            _para(doc, heading, HEADING_FONT)
        _para(doc, text)
    _para(doc, centre, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(today), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _sections(lead: LeadOut) -> list[tuple[str, str]]:
    document = f"《{lead.document_number}》" if lead.document_number else ""
    finding = FINDING_TEXT.get(lead.finding or "", "尚无结论")
    handled = f"已转为矛盾纠纷案件办理（案件编号 {lead.case_code}）。" if lead.case_code else ""
    return [
        ("", f"{cn_date(lead.received_on)}收到{document}转来的“{lead.title}”线索"
             f"（编号 {lead.code}），现将核查情况报告如下："),
        ("一、反映的主要问题", lead.content or ""),
        ("二、核查情况", f"经核查，反映的问题{finding}。核查于"
                       f"{cn_date(lead.verified_on) if lead.verified_on else '—'}完成。"),
        ("三、处理情况", f"{lead.actions_taken or ''}{handled}"),
    ]  # fmt: skip
