"""人民调解协议书 as a Word document laid out after the official-document conventions.

GB/T 9704-2012 style: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title
2号 小标宋 (22 pt) centred; body 3号 仿宋 (16 pt) on fixed 28 pt lines; page numbers
"— 1 —" at the foot. The fonts are named as the convention wants (方正小标宋简体,
仿宋_GB2312, as the report template does); Word and LibreOffice substitute an installed
CJK font where they are missing. The document is always Chinese: it is the legal text the
parties sign (《中华人民共和国人民调解法》第二十八条、第二十九条、第三十一条).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

TITLE_FONT, BODY_FONT, HEADING_FONT, FOOTER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, LINE_PT = 22, 16, 28

ARTICLE_29 = (
    "本协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起"
    "生效（《中华人民共和国人民调解法》第二十九条）。本协议书一式{copies}份，当事人各执一份，"
    "人民调解委员会留存一份。"
)
ARTICLE_31 = (
    "依照《中华人民共和国人民调解法》第三十一条的规定，经人民调解委员会调解达成的调解协议，"
    "具有法律约束力，当事人应当按照约定履行。人民调解委员会应当对调解协议的履行情况进行监督，"
    "督促当事人履行约定的义务。"
)
ARTICLE_33 = (
    "双方当事人同意自本协议生效之日起三十日内共同向人民法院申请司法确认"
    "（《中华人民共和国人民调解法》第三十三条）。"
)


@dataclass(frozen=True)
class AgreementParty:
    role: str  # 申请人 / 被申请人 / 第三人
    name: str  # in full, or masked for a user who may not reveal
    id_number: str = ""
    address: str = ""


@dataclass(frozen=True)
class AgreementContent:
    committee: str
    code: str
    facts: str
    terms: str
    performance_manner: str
    performance_deadline: str
    mediator: str
    signed_on: date
    judicial_confirmation: bool = False
    responsibilities: str = ""  # 双方责任 (若干规定 art. 35); older records may lack it
    performance_place: str = ""
    parties: list[AgreementParty] = field(default_factory=list)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = LATIN_FONT, Pt(size), bold
    r_pr = run.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc: Any, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT,
          indent: bool = True, align: Any = None) -> Paragraph:  # fmt: skip
    p: Paragraph = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing, fmt.space_before, fmt.space_after = Pt(LINE_PT), Pt(0), Pt(0)
    if indent:
        fmt.first_line_indent = Pt(2 * BODY_PT)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size)
    return p


def _labelled(doc: Any, label: str, text: str) -> None:
    """A 黑体 label then the body text on the same paragraph (the usual form layout)."""
    p = _para(doc)
    _font(p.add_run(label), HEADING_FONT, BODY_PT)
    _font(p.add_run(text), BODY_FONT, BODY_PT)


def _page_number(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), FOOTER_FONT, 14)
    run = p.add_run()
    _font(run, FOOTER_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        el = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            el.set(qn("w:fldCharType"), kind)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), FOOTER_FONT, 14)


def _page_setup(doc: Any) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)
    s.left_margin, s.right_margin = Mm(28), Mm(26)
    s.footer_distance = Mm(21)
    _font(doc.styles["Normal"], BODY_FONT, BODY_PT)
    _page_number(s)


def _heading(doc: Any, content: AgreementContent) -> None:
    _para(doc, "人民调解协议书", font=TITLE_FONT, size=TITLE_PT, indent=False,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    _para(doc, indent=False)
    _para(doc, f"编号：{content.code}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, f"调解组织：{content.committee}", indent=False)


def _parties(doc: Any, parties: list[AgreementParty]) -> None:
    _para(doc, "当事人基本情况：", font=HEADING_FONT, indent=False)
    for p in parties:
        extra = "".join(
            f"，{label}{value}"
            for label, value in (("公民身份号码", p.id_number), ("住址", p.address))
            if value
        )
        _para(doc, f"{p.role}：{p.name}{extra}。")


def _body(doc: Any, content: AgreementContent) -> None:
    _labelled(doc, "纠纷主要事实、争议事项：", content.facts)
    _labelled(doc, "经调解，当事人自愿达成如下协议：", content.terms)
    if content.responsibilities:
        _labelled(doc, "双方当事人的责任：", content.responsibilities)
    place = f"；履行地点：{content.performance_place}" if content.performance_place else ""
    _labelled(doc, "履行方式、地点、时限：", f"{content.performance_manner}{place}；"
              f"于{content.performance_deadline}前履行完毕。")  # fmt: skip
    if content.judicial_confirmation:
        _para(doc, ARTICLE_33)
    _para(doc, ARTICLE_31)
    _para(doc, ARTICLE_29.format(copies=len(content.parties) + 1))


def _signatures(doc: Any, content: AgreementContent) -> None:
    _para(doc, indent=False)
    table = doc.add_table(rows=0, cols=2)
    lines = [[f"{p.role}（签名或按指印）：", ""] for p in content.parties] or [["", ""]]
    lines[0][1] = f"人民调解员（签名）：{content.mediator}"
    for left, right in lines:
        cells = table.add_row().cells
        for cell, text in zip(cells, (left, right), strict=True):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = Pt(LINE_PT * 2)  # room to sign
            _font(p.add_run(text), BODY_FONT, BODY_PT)
    _para(doc, indent=False)
    to_right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, f"{content.committee}（印章）", indent=False, align=to_right)
    _para(doc, chinese_date(content.signed_on), indent=False, align=to_right)


def build_agreement_docx(content: AgreementContent) -> bytes:
    doc = Document()
    _page_setup(doc)
    doc.core_properties.title = f"人民调解协议书 {content.code}"
    doc.core_properties.author = content.committee
    _heading(doc, content)
    _parties(doc, content.parties)
    _body(doc, content)
    _signatures(doc, content)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
