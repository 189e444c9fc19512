"""The produced report follows GB/T 9704-2012: page and grid (5.2), title, 主送机关, headings
as Word heading styles, 附件说明, 落款 (7.3), page numbers odd/even (7.5); the Excel workbook
is the 附件 (7.3.7, clause 8); the PDF embeds open CJK serif and kai faces."""

from __future__ import annotations

import copy
import html
import io
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.office.pdf import docx_to_pdf
from grassroots.reports.office.gbt9704 import CHAR_PITCH_PT, width
from grassroots.reports.office.word import DEFAULT_TEMPLATE
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.reports.conftest import TODAY
from tests.stats import history as h

pytestmark = pytest.mark.slow  # the module renders the documents once, in a few seconds

COUNTY = "990101000000"


@pytest.fixture(scope="module")
def files(engine: Engine) -> Iterator[dict[str, bytes]]:
    """One county report (docx, xlsx) from a real case history, rolled back afterwards."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    try:
        with factory() as session:
            start = datetime(2026, 7, 2, tzinfo=UTC)
            h.build_history(session, 30, seed=97, first=start, days=80)
            yield _render(session)
    finally:
        outer.rollback()
        connection.close()


def _render(session: Session) -> dict[str, bytes]:
    j = current_jurisdiction(session, COUNTY)
    assert j is not None
    return render(session, j, parse_period("2026-Q3"), ["docx", "xlsx", "pdf"], today=TODAY)


def _doc(files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(files["docx"]))


def _mm(length: int | None) -> float:
    assert length is not None
    return round(length / Mm(1), 1)


def test_a4_margins_and_22_lines_of_28_characters(files: dict[str, bytes]) -> None:
    """5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 5.2.3: 22 lines × 28 characters."""
    doc = _doc(files)
    s = doc.sections[0]
    assert (_mm(s.page_width), _mm(s.page_height)) == (210.0, 297.0)
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert tuple(_mm(m) for m in margins) == (37.0, 35.0, 28.0, 26.0)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid is not None and grid.get(qn("w:type")) in ("lines", "linesAndChars")
    pitch = int(grid.get(qn("w:linePitch")))
    heart = Mm(225) / Mm(1) / 25.4 * 1440  # twips
    assert 22 * pitch <= heart < 23 * pitch and 22 * (pitch + 1) > heart
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing == pitch * 635  # exact, one grid line
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    spacing = normal.element.rPr.find(qn("w:spacing"))
    advance = 16 + int(spacing.get(qn("w:val"))) / 20 if spacing is not None else 16
    assert 28 * advance <= 156 / 25.4 * 72 < 29 * advance  # 28 characters a line, not 27


def test_headings_are_word_heading_styles_in_the_standard_faces(files: dict[str, bytes]) -> None:
    """7.3.3: "一、" 黑体, "（一）" 楷体; Word's navigation pane lists Heading 1/2."""
    doc = _doc(files)
    firsts = [p for p in doc.paragraphs if p.text[:2] in {f"{n}、" for n in "一二三四五六七八"}]
    seconds = [p for p in doc.paragraphs if p.text.startswith(("（一）", "（二）", "（三）"))]
    assert len(firsts) == 8 and len(seconds) == 3
    assert {p.style.name for p in firsts} == {"Heading 1"}
    assert {p.style.name for p in seconds} == {"Heading 2"}
    for name, face in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        style = doc.styles[name]
        fonts = style.element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == face
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme face would override it
        assert style.font.size == Pt(16) and style.font.bold is False
        assert str(style.font.color.rgb) == "000000"
        assert style.paragraph_format.keep_with_next is True
        indent = style.paragraph_format.first_line_indent
        assert indent is not None and abs(indent - Pt(2 * CHAR_PITCH_PT)) < Pt(0.1)  # 左空二字


def test_title_recipient_attachment_note_and_signature(files: dict[str, bytes]) -> None:
    doc = _doc(files)
    paragraphs = doc.paragraphs
    title = paragraphs[0]
    assert title.style.name == "公文标题"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text.startswith("示范县综治中心关于2026年第三季度")  # 发文机关 in the title
    assert title.runs[0].font.size is None and title.style.font.size == Pt(22)
    assert paragraphs[1].text == ""  # 7.3.2: 标题下空一行
    recipient = paragraphs[2]
    assert recipient.text.endswith("综治中心：")  # 全角冒号
    assert recipient.style.paragraph_format.first_line_indent == 0  # 居左顶格
    texts = [p.text for p in paragraphs]
    note = texts.index("附件：示范县矛盾纠纷排查化解情况统计表（2026年第三季度）")  # 7.3.4
    assert texts[note - 1] == ""
    sig, dated = paragraphs[note + 2], paragraphs[note + 3]  # 7.3.5.2: 下空一行
    assert texts[note + 1] == "" and sig.text == "示范县综治中心"
    assert dated.text == "2026年10月15日"
    assert sig.alignment in (None, WD_ALIGN_PARAGRAPH.RIGHT)
    assert sig.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    pitch = Pt(CHAR_PITCH_PT)
    sig_right = sig.paragraph_format.right_indent / pitch
    date_right = dated.paragraph_format.right_indent / pitch
    # the date's first character two characters right of the signature's, both ≥ 2 in
    assert round((sig_right + width(sig.text)) - (date_right + width(dated.text)), 2) == 2
    assert round(min(sig_right, date_right), 2) == 2


def test_page_numbers_outer_side_on_odd_and_even_pages(files: dict[str, bytes]) -> None:
    """7.5: "— N —" 4号宋体; odd pages right, one character in; even pages left."""
    doc = _doc(files)
    assert doc.settings.odd_and_even_pages_header_footer is True
    s = doc.sections[0]
    for footer, align, side in (
        (s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert getattr(p.paragraph_format, side) == Pt(14)
        assert "PAGE" in footer._element.xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        fonts = {(r.font.name, r.font.size) for r in p.runs}
        assert fonts == {("宋体", Pt(14))}
    # the dashes 7 mm below the version heart (35 mm from the page foot): 28 mm up
    dash_line = s.footer_distance + Pt(14) // 2
    assert abs(dash_line - Mm(28)) < Mm(0.5)


def test_excel_is_the_attachment_printed_landscape_with_titles(files: dict[str, bytes]) -> None:
    book = load_workbook(io.BytesIO(files["xlsx"]))
    title = "示范县矛盾纠纷排查化解情况统计表（2026年第三季度）"
    for ws in book.worksheets:
        assert ws["A1"].value == "附件" and ws["A1"].font.name == "黑体"  # 7.3.7
        assert ws["A2"].value is None and ws["A3"].value.startswith("示范县")
        cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert "填报单位：示范县综治中心" in cells
        assert "填报日期：2026年10月15日" in cells
        assert "填报人：" in cells and "审核人：" in cells
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.print_title_rows is not None and ws.print_title_rows.startswith("$1:$")
    assert book["统计表"]["A3"].value == title
    assert book["统计表"].print_title_rows == "$1:$6"  # title, 填报单位 and both header rows


# --- the PDF ---------------------------------------------------------------------------------

Line = tuple[float, float, float, str]  # xMin, yMin, xMax, text
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _pages(pdf: bytes) -> list[list[Line]]:
    """Text lines of each page (pdftotext -bbox-layout), top to bottom."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = []
    for page in out.split("<page ")[1:]:
        lines = []
        for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            words = "".join(html.unescape(w) for w in re.findall(r">([^<]+)</word>", body))
            lines.append((float(box["xMin"]), float(box["yMin"]), float(box["xMax"]), words))
        pages.append(sorted(lines, key=lambda x: x[1]))
    return pages


def test_pdf_embeds_open_serif_and_kai_faces(files: dict[str, bytes], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """仿宋 → Noto Serif CJK, 楷体 (二级标题) → AR PL UKai, 黑体 → Noto Sans CJK; embedded."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(files["pdf"])
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    names = {row[0].split("+")[-1] for row in rows}
    assert any(n.startswith("NotoSerifCJK") for n in names), names
    assert any("UKai" in n for n in names), names
    assert not any("WenQuanYi" in n for n in names), names
    assert all(row[-5] == "yes" for row in rows), listing.stdout  # the "emb" column


def test_pdf_page_numbers_on_the_outer_side_and_no_heading_ends_a_page(
    files: dict[str, bytes],
) -> None:
    pages = _pages(files["pdf"])
    assert len(pages) >= 2
    middle = 595.3 / 2
    for number, lines in enumerate(pages, 1):
        footer = lines[-1]
        assert footer[3] == f"—{number}—"
        assert (footer[0] > middle) if number % 2 else (footer[2] < middle)
        if number < len(pages):
            assert not HEADING.match(lines[-2][3]), f"page {number} ends with {lines[-2][3]}"


def _probe(wide: bool) -> bytes:
    """The default template's page: a 56-character paragraph set flush left (`wide`), one-line
    paragraphs up to line 21, then a copy of the template's first-level heading and a line."""
    doc = Document(str(DEFAULT_TEMPLATE))
    body = doc.element.body
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))._p
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if wide:
        doc.add_paragraph("中" * 56).paragraph_format.first_line_indent = Pt(0)
    for n in range(3 if wide else 1, 22):
        doc.add_paragraph(f"第{n}行")
    copied = copy.deepcopy(heading)
    body.insert(len(body) - 1, copied)
    for t in copied.iter(qn("w:t")):
        t.text = ""
    next(copied.iter(qn("w:t"))).text = "一、标题"
    doc.add_paragraph("正文第一行")
    out = io.BytesIO()
    doc.save(out)
    return docx_to_pdf(out.getvalue())


def _body(lines: list[Line]) -> list[Line]:
    return [x for x in lines if not x[3].startswith("—")]


def test_pdf_28_characters_a_line_and_22_lines_a_page() -> None:
    first = _body(_pages(_probe(wide=True))[0])
    assert first[0][3] == "中" * 28 and first[1][3] == "中" * 28  # 28 a line, not 27
    assert first[20][3] == "第21行"
    step = (first[20][1] - first[0][1]) / 20
    assert abs(step * 22 - 225 / 25.4 * 72) < 3  # 22 lines fill the 225 mm version heart


def test_pdf_heading_on_the_last_line_moves_to_the_next_page_with_its_text() -> None:
    """No orphan heading: on line 22 (the last) it would end page 1; it keeps with next."""
    first, second = (_body(p) for p in _pages(_probe(wide=False))[:2])
    assert first[-1][3] == "第21行" and len(first) == 21
    assert second[0][3] == "一、标题" and second[1][3] == "正文第一行"
