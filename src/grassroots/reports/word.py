"""Word reports: a docxtpl template (the default or the user's own) filled with figures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from grassroots.errors import Problem
from grassroots.reports.context import PLACEHOLDERS, chart_pngs, figures
from grassroots.reports.data import ReportData

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "default_report.docx"


def _load(source: bytes | Path) -> DocxTemplate:
    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        return DocxTemplate(stream)
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise Problem(
            422, "bad_template", "模板不是有效的 Word (.docx) 文件 / not a .docx file"
        ) from exc


def check_template(source: bytes | Path) -> set[str]:
    """The placeholders the template uses; a clear error naming any unknown one."""
    tpl = _load(source)
    try:
        used = set(tpl.get_undeclared_template_variables())
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Problem(
            422, "bad_template", "模板不是有效的 Word (.docx) 文件 / not a .docx file"
        ) from exc
    except TemplateError as exc:
        raise Problem(422, "bad_template", f"模板语法错误 / template syntax error: {exc}") from exc
    unknown = sorted(used - PLACEHOLDERS.keys())
    if unknown:
        names = "、".join(unknown)
        raise Problem(
            422,
            "unknown_placeholder",
            f"模板中有未知的占位符：{names}（可用占位符见 docs/reports.md） / "
            f"unknown placeholder(s) in the template: {', '.join(unknown)}",
            errors=[
                {"field": "template", "message": n, "type": "unknown_placeholder"} for n in unknown
            ],
        )
    return used


def render_docx(data: ReportData, template: bytes | None = None) -> bytes:
    source: bytes | Path = template if template is not None else DEFAULT_TEMPLATE
    check_template(source)
    tpl = _load(source)
    context: dict[str, Any] = figures(data)
    for name, png in chart_pngs(data).items():
        context[name] = InlineImage(tpl, io.BytesIO(png), width=Mm(150)) if png else ""
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
