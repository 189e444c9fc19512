"""Builds the default Word template 《矛盾纠纷排查化解工作情况报告》 laid out to GB/T 9704.

Run `python -m grassroots.reports.office.template_builder` to regenerate
src/grassroots/reports/templates/default_report.docx (committed as package data). Users may
open that file in Word, edit wording and layout, keep the {{ placeholders }} they want
(docs/reports.md lists them) and upload it as their own template.

GB/T 9704-2012: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号
小标宋 (22 pt); body 3号仿宋 (16 pt), 22 lines of 28 pt; first-level headings "一、" 黑体,
second-level "（一）" 楷体; page numbers 4号 "— 1 —" at the foot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "templates" / "default_report.docx"

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
AUTHOR_MARK = "【请在此填写{what}（由起草人撰写）】"


def _font(run_or_style, name: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run_or_style.font.name = name
    run_or_style.font.size = Pt(size)
    run_or_style.font.bold = bold
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(
    doc: Any,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH | None = None,
    highlight: bool = False,
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()
    fmt = p.paragraph_format
    if "chart_" not in text:  # exact 28 pt lines would clip a picture to one line
        fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    _font(run, font, size)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _page_number(section) -> None:  # type: ignore[no-untyped-def]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), "宋体", 14)


def _page_setup(doc) -> None:  # type: ignore[no-untyped-def]
    s = doc.sections[0]
    s.start_type = WD_SECTION.NEW_PAGE
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)
    s.left_margin, s.right_margin = Mm(28), Mm(26)
    s.footer_distance = Mm(28) - Mm(7)
    _font(doc.styles["Normal"], BODY_FONT, 16)
    _page_number(s)


def _summary_table(doc) -> None:  # type: ignore[no-untyped-def]
    heads = ["单位", "排查数", "化解数", "化解率", "就地化解率", "超期数"]
    cells = [
        "{{ r.name }}",
        "{{ r.registered }}",
        "{{ r.resolved }}",
        "{{ r.resolution_rate }}",
        "{{ r.local_resolution_rate }}",
        "{{ r.overdue }}",
    ]
    table = doc.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    rows = [heads, ["{%tr for r in rows %}"] + [""] * 5, cells, ["{%tr endfor %}"] + [""] * 5]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            run = cell.paragraphs[0].add_run(text)
            _font(run, BODY_FONT, 12)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


SECTIONS: list[tuple[str, list[str]]] = [
    (
        "一、总体情况",
        [
            "{{ period_title }}，{{ jurisdiction_name }}共排查矛盾纠纷{{ registered }}件，同比"
            "{{ registered_yoy }}，环比{{ registered_mom }}；受理{{ accepted }}件；"
            "化解{{ resolved }}件，"
            "同比{{ resolved_yoy }}，环比{{ resolved_mom }}；化解率{{ resolution_rate }}，同比"
            "{{ resolution_rate_yoy }}，环比{{ resolution_rate_mom }}。已化解纠纷平均办理时长"
            "{{ avg_duration }}个工作日。各{{ child_level_name }}情况见下表。",
        ],
    ),
    (
        "二、分类分析",
        [
            "从纠纷类型看，{{ top_categories_text }}",
            "{{ chart_categories }}",
        ],
    ),
    (
        "三、分级化解",
        [
            "（一）村级化解（小事不出村）",
            "村（社区）一级化解{{ resolved_village }}件，占化解总数的{{ village_share }}，"
            "即就地化解率{{ local_resolution_rate }}。",
            "（二）乡镇级化解（大事不出乡）",
            "乡镇（街道）一级化解{{ resolved_township }}件，占化解总数的{{ township_share }}。",
            "（三）县级化解（难事不出县）",
            "县一级化解{{ resolved_county }}件，占化解总数的{{ county_share }}；上报至县以上"
            "{{ escalated_beyond }}件，占排查总数的{{ beyond_county_share }}（矛盾上交）。",
            "{{ chart_levels }}",
        ],
    ),
    (
        "四、按期办结与超期",
        [
            "本期办理期限届满的纠纷{{ due }}件，按期办结{{ on_time }}件，"
            "按期办结率{{ on_time_rate }}。"
            "截至{{ as_of }}，超过办理期限尚未办结的纠纷{{ overdue }}件。",
        ],
    ),
    (
        "五、回访与满意度",
        [
            "对已化解纠纷回访{{ followed_up }}件，当事人满意（含基本满意）{{ satisfied }}件，"
            "满意率{{ satisfaction_rate }}。",
        ],
    ),
    (
        "六、防止民转刑",
        [
            "排查出有民转刑风险的纠纷{{ violence_risk }}件，已化解{{ violence_prevented }}件，"
            "化解率{{ violence_prevented_rate }}。",
        ],
    ),
]


def build(path: Path = TEMPLATE_PATH) -> Path:
    doc = Document()
    _page_setup(doc)
    _para(
        doc,
        "{{ jurisdiction_name }}{{ period_title }}",
        TITLE_FONT,
        22,
        False,
        WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, "矛盾纠纷排查化解工作情况报告", TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "", indent=False)
    _para(
        doc,
        "{{ period_title }}，{{ jurisdiction_name }}坚持和发展新时代“枫桥经验”，"
        "扎实开展矛盾纠纷排查化解工作。现将有关情况报告如下。",
    )
    _para(doc, "{{ charts_note }}")
    for heading, paragraphs in SECTIONS:
        _para(doc, heading, H1_FONT, 16)
        for text in paragraphs:
            if "chart_" in text:
                _para(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
                continue
            font = H2_FONT if text.startswith("（") else BODY_FONT
            _para(doc, text, font, 16)
        if heading.startswith("一、"):
            _summary_table(doc)
    _para(doc, "七、存在的问题", H1_FONT, 16)
    _para(doc, AUTHOR_MARK.format(what="存在的问题"), highlight=True)
    _para(doc, "八、下一步工作", H1_FONT, 16)
    _para(doc, AUTHOR_MARK.format(what="下一步工作打算"), highlight=True)
    _para(doc, "", indent=False)
    _para(doc, "{{ author_unit }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ generated_date }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
