"""Builds the default Word template 《矛盾纠纷排查化解工作情况报告》 laid out to GB/T 9704-2012.

Run `python -m grassroots.reports.office.template_builder` to regenerate
src/grassroots/reports/templates/default_report.docx (committed as package data). Users may
open that file in Word, edit wording and layout, keep the {{ placeholders }} they want
(docs/reports.md lists them) and upload it as their own template.

The layout (page, 22 × 28 grid, styles, odd/even page numbers, 落款) is in
grassroots.reports.office.gbt9704, with the clauses it follows. Headings are Word's Heading 1/2
styles, so Word's navigation pane lists them and they keep with the next paragraph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from grassroots.reports.office import gbt9704 as gb

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "templates" / "default_report.docx"

AUTHOR_MARK = "【请在此填写{what}（由起草人撰写）】"
# 7.3.1: 标题回行时词意完整 — two lines, broken between 发文机关+期间 and 事由+文种.
TITLE = ("{{ author_unit }}关于{{ period_title }}", "矛盾纠纷排查化解工作情况的报告")


def _para(doc: Any, text: str, style: str = "Normal", highlight: bool = False) -> Paragraph:
    p: Paragraph = doc.add_paragraph(style=style)
    run = p.add_run(text)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _blank(doc: Any) -> None:
    """An empty grid line (空一行)."""
    _para(doc, "").paragraph_format.first_line_indent = Pt(0)


def _picture(doc: Any, text: str) -> None:
    """A chart: centred, single spacing (an exact 28.95 pt line would clip the picture)."""
    p = _para(doc, text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _summary_table(doc: Any) -> None:
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
            p = cell.paragraphs[0]
            gb.set_font(p.add_run(text), gb.BODY_FONT, 12)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


SECTIONS: list[tuple[str, list[str]]] = [
    (
        "一、总体情况",
        [
            "{{ period_title }}{{ period_note }}，{{ jurisdiction_name }}共排查矛盾纠纷"
            "{{ disputes_registered }}件、受理群众诉求{{ requests_registered }}件，合计"
            "{{ registered }}件，{{ registered_change }}；受理{{ accepted }}件；"
            "化解{{ resolved }}件，{{ resolved_change }}；化解率{{ resolution_rate }}，"
            "{{ resolution_rate_change }}。已化解纠纷平均办理时长"
            "{{ avg_duration }}个工作日。{{ comparison_note }}",
            "截至{{ as_of }}，本期登记的案件中在办{{ pending }}件；调解终止{{ terminated }}件"
            "（均已告知当事人可通过仲裁、行政、司法等途径维护权利，其中在办理期限内终止"
            "{{ terminated_in_time }}件）；不予受理、导入其他途径{{ rejected }}件；办结"
            "{{ concluded }}件（口径：{{ concluded_definition }}）。矛盾纠纷化解"
            "{{ disputes_resolved }}件，群众诉求办理完成{{ requests_resolved }}件。化解案件"
            "涉及金额{{ agreement_amount }}元；群体性纠纷（涉及{{ mass_min_people }}人以上）"
            "{{ mass_disputes }}件。按来源分：{{ sources_text }}。",
            "分类型看：{{ kinds_text }}。12345工单中，{{ orders_text }}。"
            "各{{ child_level_name }}情况见下表。",
        ],
    ),
    (
        "二、分类分析",
        [
            "从纠纷类型看，{{ top_categories_text }}{{ categories_by_kind_text }}。",
            "{{ chart_categories }}",
        ],
    ),
    (
        "三、分级化解",
        [
            "（一）村级化解（小事不出村）",
            "村（社区）一级化解{{ resolved_village }}件，占化解总数的{{ village_share }}。"
            "就地化解率{{ local_resolution_rate }}（口径：{{ local_resolution_definition }}）。",
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
            "截至{{ overdue_as_of }}，超过办理期限尚未办结的纠纷{{ overdue }}件"
            "{{ overdue_today_note }}。",
        ],
    ),
    (
        "五、回访与满意度",
        [
            "对已化解、调解终止和不予受理的案件回访{{ followed_up }}件，"
            "当事人满意（含基本满意）{{ satisfied }}件，满意率{{ satisfaction_rate }}。"
            "其中{{ satisfaction_by_outcome_text }}。"
            "群众通过查询码自行评价{{ resident_rated }}件，满意（含基本满意）"
            "{{ resident_satisfied }}件，群众评价满意率{{ resident_satisfaction_rate }}。",
        ],
    ),
    (
        "六、防止民转刑",
        [
            "排查出有民转刑风险的纠纷{{ violence_risk }}件，已化解{{ violence_prevented }}件，"
            "化解率{{ violence_prevented_rate }}。",
        ],
    ),
    ("七、线索核查", ["{{ leads_text }}"]),
    ("八、矛盾联调", ["{{ joint_text }}", "{{ border_text }}"]),
]


def _sections(doc: Any) -> None:
    for heading, paragraphs in SECTIONS:
        _para(doc, heading, "Heading 1")
        for text in paragraphs:
            if "chart_" in text:
                _picture(doc, text)
            else:
                _para(doc, text, "Heading 2" if text.startswith("（") else "Normal")
        if heading.startswith("一、"):
            _summary_table(doc)
    _para(doc, "九、存在的问题", "Heading 1")
    _para(doc, AUTHOR_MARK.format(what="存在的问题"), highlight=True)
    _para(doc, "十、下一步工作", "Heading 1")
    _para(doc, AUTHOR_MARK.format(what="下一步工作打算"), highlight=True)


def build(path: Path = TEMPLATE_PATH) -> Path:
    doc = Document()
    gb.page_setup(doc)
    gb.styles(doc)
    title = _para(doc, TITLE[0], gb.TITLE_STYLE)  # 7.3.1
    title.runs[0].add_break()
    title.add_run(TITLE[1])
    _blank(doc)
    _para(doc, "{{ recipient }}：", gb.RECIPIENT_STYLE)  # 7.3.2
    _para(
        doc,
        "{{ period_title }}，{{ jurisdiction_name }}坚持和发展新时代“枫桥经验”，"
        "扎实开展矛盾纠纷排查化解工作。现将有关情况报告如下。",
    )
    for text in ("{%p if charts_note %}", "{{ charts_note }}", "{%p endif %}"):
        _para(doc, text)
    _sections(doc)
    _blank(doc)
    _para(doc, "附件：{{ attachment_title }}")  # 7.3.4
    _blank(doc)
    _para(doc, "{{ author_unit }}", gb.SIGNATURE_STYLE)  # 7.3.5.2
    _para(doc, "{{ generated_date }}", gb.DATE_STYLE)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
