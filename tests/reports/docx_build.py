"""Word templates built in the tests: paragraphs holding Jinja text, optionally a header,
a document title (a core property docxtpl also renders) and a table with a row loop."""

from __future__ import annotations

import io

from docx import Document


def docx_with(
    *paragraphs: str,
    header: str | None = None,
    title: str | None = None,
    table: list[list[str]] | None = None,
) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if title is not None:
        doc.core_properties.title = title
    if table is not None:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "模板"):  # type: ignore[no-untyped-def]
    """POST /api/v1/reports/templates (multipart: file, name)."""
    files = {"file": ("mine.docx", content, "application/octet-stream")}
    return client.post("/api/v1/reports/templates", files=files, data={"name": name})
