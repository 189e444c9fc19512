"""The form of each case action, derived from its input model (grassroots.cases.schemas),
so that a page asks for exactly what the API requires; and the form's answers back to it."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from grassroots.cases.labels import FIELD_LABELS, OPTION_LABELS

LONG_TEXT = {
    "summary",
    "terms",
    "reason",
    "outcome_note",
    "performance_manner",
    "note",
    "reply",
    "responsibilities",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # msgid
    widget: str  # text / textarea / date / number / checkbox / select / checkboxes
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, msgid or name)
    # True: the options' texts are msgids (an enum's labels); False: names from the data
    # (units, mediators), shown as they are, never through gettext.
    translate_options: bool = True


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is a list) of X, X | None, list[X]."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0])
    if origin is list:
        return typing.get_args(annotation)[0], True
    return annotation, False


def _choices(inner: Any) -> list[tuple[str, str]]:
    if isinstance(inner, type) and issubclass(inner, Enum):
        values = [str(m.value) for m in inner]
    elif typing.get_origin(inner) is typing.Literal:
        values = [str(v) for v in typing.get_args(inner)]
    else:
        return []
    return [(v, OPTION_LABELS.get(v, v)) for v in values]


def spec_of(name: str, info: FieldInfo, options: dict[str, list[tuple[str, str]]]) -> FieldSpec:
    inner, many = _unwrap(info.annotation)
    label, required = FIELD_LABELS.get(name, name), info.is_required()
    named, choices = options.get(name), _choices(inner)
    if named or choices:
        widget = "checkboxes" if many else "select"
        return FieldSpec(name, label, widget, required, named or choices, not named)
    widget = {date: "date", bool: "checkbox", int: "number"}.get(inner, "text")
    if widget == "text" and name in LONG_TEXT:
        widget = "textarea"
    return FieldSpec(name, label, widget, required)


def form_of(
    model: type[BaseModel], options: dict[str, list[tuple[str, str]]] | None = None
) -> list[FieldSpec]:
    """The fields of an action's input, required first, the free note last."""
    specs = [spec_of(n, f, options or {}) for n, f in model.model_fields.items()]
    return sorted(specs, key=lambda s: (s.name == "note", not s.required))


def answers(model: type[BaseModel], form: dict[str, Any]) -> dict[str, Any]:
    """The submitted form as the model's input: lists split, checkboxes as booleans,
    empty optional fields left out (the model's default applies)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner, many = _unwrap(info.annotation)
        raw = form.get(name, "")
        if inner is bool:
            out[name] = bool(raw)
        elif many:
            if _choices(inner):  # a group of checkboxes: one value per ticked box
                items = raw if isinstance(raw, list) else [raw]
            else:  # free text: "张三，李四"
                items = re.split(r"[,，、;；\s]+", raw)
            if [i for i in items if i] or info.is_required():
                out[name] = [i.strip() for i in items if i.strip()]
        elif raw != "" or info.is_required():
            out[name] = raw
    return out
