"""Word reports: a docxtpl template (the default or the user's own) filled with figures.

Every template, the default included, is rendered in template_rules.ReportEnvironment: each
part is checked against the allow-list before it is compiled and runs in Jinja's sandbox. A
template refused there (even one stored before the allow-list existed) is a 422 naming the
expression, never code run on the server.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError

from grassroots.errors import Problem
from grassroots.reports.content.context import (
    CHART_PLACEHOLDERS,
    LIST_FIELDS,
    PLACEHOLDERS,
    chart_pngs,
    figures,
)
from grassroots.reports.content.data import ReportData
from grassroots.reports.office.gbt9704 import place_signature
from grassroots.reports.office.template_rules import ReportEnvironment

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "default_report.docx"
NOT_DOCX = "模板不是有效的 Word (.docx) 文件 / not a .docx file"


def _load(source: bytes | Path) -> DocxTemplate:
    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        return DocxTemplate(stream)
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise Problem(422, "bad_template", NOT_DOCX) from exc


def _fill(tpl: DocxTemplate, context: dict[str, Any]) -> None:
    """Render every part of `tpl` in the report environment; template errors become 422s."""
    try:
        tpl.render(context, jinja_env=ReportEnvironment(), autoescape=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Problem(422, "bad_template", NOT_DOCX) from exc
    except SecurityError as exc:
        raise Problem(
            422, "expression_not_allowed", f"模板中有不允许的操作 / not allowed: {exc}"
        ) from exc
    except TemplateSyntaxError as exc:
        raise Problem(422, "bad_template", f"模板语法错误 / template syntax error: {exc}") from exc
    except (TemplateError, TypeError) as exc:  # a filter given a value it cannot take
        message = f"模板无法填充 / template cannot be filled: {exc}"
        raise Problem(422, "bad_template", message) from exc


def sample_context() -> dict[str, Any]:
    """Every placeholder with its documented example; each list with one item."""
    context: dict[str, Any] = {name: example for name, (_, example) in PLACEHOLDERS.items()}
    for name, fields in LIST_FIELDS.items():
        context[name] = [{f: f for f in sorted(fields)}]
    context.update(dict.fromkeys(CHART_PLACEHOLDERS, ""))
    return context


def check_template(source: bytes | Path) -> None:
    """Refuse (422, naming it) a template that is not .docx, has a syntax error, an unknown
    placeholder or anything outside the allow-list: a trial fill with the examples, which
    compiles exactly the parts a real report compiles."""
    _fill(_load(source), sample_context())


def render_docx(data: ReportData, template: bytes | None = None) -> bytes:
    source: bytes | Path = template if template is not None else DEFAULT_TEMPLATE
    tpl = _load(source)
    context: dict[str, Any] = figures(data)
    for name, png in chart_pngs(data).items():
        context[name] = InlineImage(tpl, io.BytesIO(png), width=Mm(150)) if png else ""
    _fill(tpl, context)
    place_signature(tpl.docx)  # 落款 indents depend on the filled text (GB/T 9704 7.3.5.2)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
