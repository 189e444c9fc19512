"""GB/T 9704-2012《党政机关公文格式》 for the Word report: page, grid, styles, page numbers,
and the signature block (落款) placed once the text is known.

Clauses (numbers as in the standard):
- 5.2.1 A4; 天头 (top) 37 mm, 订口 (left) 28 mm, 版心 156 mm × 225 mm — so bottom 35 mm and
  right 26 mm.
- 5.2.2 公文各要素一般用 3号仿宋; 5.2.3 一般每面排 22 行，每行排 28 个字，并撑满版心.
- 7.3.1 标题 2号小标宋，居中; 7.3.2 主送机关 标题下空一行，居左顶格，后标全角冒号;
  7.3.3 正文 3号仿宋，每个自然段左空二字; 结构层次 "一、" 黑体, "（一）" 楷体, "1." "（1）" 仿宋.
- 7.3.4 附件说明 正文下空一行左空二字 "附件：名称" (no punctuation after the name).
- 7.3.5.2 不加盖印章: 正文（或附件说明）下空一行右空二字编排发文机关署名，下一行编排成文
  日期，首字比署名首字右移二字；成文日期长于署名时，成文日期右空二字，相应增加署名右空字数.
- 7.5 页码 4号半角宋体阿拉伯数字，版心下边缘之下，数字左右各放一条一字线，一字线上距版心
  下边缘 7 mm；单页码居右空一字，双页码居左空一字.
"""

from __future__ import annotations

import math
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

TOP_MM, LEFT_MM, HEART_W_MM, HEART_H_MM = 37, 28, 156, 225  # 5.2.1
BOTTOM_MM, RIGHT_MM = 297 - TOP_MM - HEART_H_MM, 210 - LEFT_MM - HEART_W_MM  # 35, 26
LINES, CHARS = 22, 28  # 5.2.3
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
# One grid line: 225 mm / 22 in twips (1/1440 inch), rounded down so that 22 lines fit.
LINE_PITCH = int(HEART_H_MM / 25.4 * 1440 / LINES)  # 579
CHAR_PITCH_PT = HEART_W_MM / 25.4 * 72 / CHARS  # 15.79 pt: 28 characters fill 156 mm
# 28 characters of 16 pt are 158 mm, 2 mm wider than the version heart. Word's own character
# grid (w:docGrid type linesAndChars, charSpace -848) squeezes each cell, but LibreOffice,
# which makes the PDF, gives a character wider than its cell two cells (14 a line). So the
# grid is a line grid and the 28 characters come from condensed spacing (w:spacing, in
# twentieths of a point, rounded down): 16 − 0.25 = 15.75 pt a character, 28 in 441 pt.
CONDENSE = math.floor((CHAR_PITCH_PT - BODY_PT) * 20)  # -5
# Elements that follow w:spacing in w:rPr (ECMA-376 17.3.2.28, CT_RPr sequence).
AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
# Elements that follow w:autoSpaceDN in w:pPr (ECMA-376 17.3.1.26, CT_PPr sequence).
AFTER_AUTOSPACE = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, NUMBER_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
HEADING_FONTS = {1: H1_FONT, 2: H2_FONT, 3: BODY_FONT, 4: BODY_FONT}  # 7.3.3
TITLE_STYLE, RECIPIENT_STYLE = "公文标题", "主送机关"
SIGNATURE_STYLE, DATE_STYLE = "发文机关署名", "成文日期"


def chars(n: float) -> Twips:
    """n characters of 3号 text on the 28-character grid."""
    return Twips(round(n * CHAR_PITCH_PT * 20))


def set_font(target: Any, name: str, size: float, bold: bool = False) -> None:
    """Font of a style or run, East Asian face included. python-docx's `font.name` sets only
    the Latin faces (w:ascii, w:hAnsi); w:eastAsia has no API, so it is set on w:rFonts, and
    the theme attributes that would override the names (heading styles carry them) go."""
    target.font.name = name
    target.font.size = Pt(size)
    target.font.bold = bold
    target.font.italic = False
    target.font.color.rgb = RGBColor(0, 0, 0)  # 5.2.4: black
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _grid(section: Any) -> None:
    """The 22-line grid (5.2.3). python-docx has no API for w:docGrid, so the element of
    w:sectPr is set directly."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.pop(qn("w:charSpace"), None)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _condense(style: ParagraphStyle) -> None:
    """28 characters a line (5.2.3): python-docx has no API for character spacing
    (w:rPr/w:spacing), so the element is added to the style's run properties."""
    r_pr = style.element.get_or_add_rPr()
    spacing = r_pr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        r_pr.insert_element_before(spacing, *AFTER_SPACING)  # schema order (Word checks it)
    spacing.set(qn("w:val"), str(CONDENSE))


def page_setup(doc: Any) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    s.left_margin, s.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    s.gutter = Mm(0)
    _grid(s)
    page_numbers(doc)


def _no_autospace(style: ParagraphStyle) -> None:
    """No extra space between Chinese and Latin text or numerals (Word's 调整中文与西文/数字
    间距): numerals stay half-width (7.3.5, 7.5) and lines keep their 28 characters. No
    python-docx API, so w:autoSpaceDE/DN are added in schema order."""
    p_pr = style.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDN", "w:autoSpaceDE"):
        if p_pr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            after = ("w:autoSpaceDN", *AFTER_AUTOSPACE) if tag == "w:autoSpaceDE" else ()
            p_pr.insert_element_before(el, *(after or AFTER_AUTOSPACE))


def _paragraph_style(style: ParagraphStyle, font: str, size: float, indent: float) -> None:
    set_font(style, font, size)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = chars(indent)
    fmt.widow_control = True
    if size == BODY_PT:
        _condense(style)


def _custom(doc: Any, name: str) -> ParagraphStyle:
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]  # type: ignore[no-any-return]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    return style  # type: ignore[no-any-return]


def styles(doc: Any) -> None:
    """Normal = body (7.3.3); Heading 1–4 = the four levels, kept with the next paragraph so
    no heading ends a page (and Word's navigation pane lists them); title, 主送机关, 署名, 日期."""
    normal = doc.styles["Normal"]
    _paragraph_style(normal, BODY_FONT, BODY_PT, 2)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _no_autospace(normal)
    for level, font in HEADING_FONTS.items():
        heading = doc.styles[f"Heading {level}"]
        _paragraph_style(heading, font, BODY_PT, 2)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
    title = _custom(doc, TITLE_STYLE)
    _paragraph_style(title, TITLE_FONT, TITLE_PT, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)  # 2号 lines; the title is not on the grid
    title.paragraph_format.keep_with_next = True
    _paragraph_style(_custom(doc, RECIPIENT_STYLE), BODY_FONT, BODY_PT, 0)  # 7.3.2: 顶格
    for name in (SIGNATURE_STYLE, DATE_STYLE):
        style = _custom(doc, name)
        _paragraph_style(style, BODY_FONT, BODY_PT, 0)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        style.paragraph_format.keep_with_next = name == SIGNATURE_STYLE
        style.paragraph_format.right_indent = chars(2)  # until place_signature() knows the text


def _page_field(paragraph: Paragraph) -> None:
    """ "— N —": python-docx has no API for fields, so PAGE is a w:fldSimple."""
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        set_font(r, NUMBER_FONT, PAGE_NUMBER_PT)


def page_numbers(doc: Any) -> None:
    """7.5: odd pages right, one character in; even pages left, one character in. The line
    of the dashes (mid-height of a 4号 line) lies 7 mm below the version heart."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    line = Pt(PAGE_NUMBER_PT)
    section.footer_distance = Emu(Mm(BOTTOM_MM - 7) + line // 2 - line)
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.line_spacing, fmt.first_line_indent = line, Pt(0)
        fmt.right_indent = Pt(PAGE_NUMBER_PT) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
        fmt.left_indent = Pt(PAGE_NUMBER_PT) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
        _page_field(p)


def width(text: str) -> float:
    """Width in characters: Arabic numerals and Latin letters are half-width (半角)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text.strip())


def signature_indents(signature: str, dated: str) -> tuple[float, float]:
    """Right indents (characters) of 署名 and 成文日期 by 7.3.5.2: the signature two in from
    the right, the date starting two characters right of the signature's first character;
    when that would leave the date less than two from the edge, the date is two in and the
    signature moves left by as much."""
    sig, date = width(signature), width(dated)
    sig_right = 2 + max(0.0, date + 2 - sig)
    return sig_right, sig_right + sig - 2 - date


def place_signature(doc: Any) -> None:
    """Indent the 发文机关署名 and 成文日期 paragraphs (found by style) for their filled text."""
    found = {SIGNATURE_STYLE: None, DATE_STYLE: None}
    for p in doc.paragraphs:
        if p.style is not None and p.style.name in found:
            found[p.style.name] = p
    sig, dated = found[SIGNATURE_STYLE], found[DATE_STYLE]
    if sig is None or dated is None:
        return  # a user's template without the two styles keeps its own layout
    sig_right, date_right = signature_indents(sig.text, dated.text)
    sig.paragraph_format.right_indent = chars(sig_right)
    dated.paragraph_format.right_indent = chars(date_right)
