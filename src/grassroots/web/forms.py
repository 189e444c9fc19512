"""HTML forms → the same Pydantic inputs the API validates, errors back next to each field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from grassroots.errors import Problem
from grassroots.i18n import N_

# Pydantic error type → msgid shown under the field.
ERROR_MESSAGES: dict[str, str] = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("This text is too long."),
    "string_pattern_mismatch": N_("The format is not valid."),
    "greater_than_equal": N_("The value is out of range."),
    "less_than_equal": N_("The value is out of range."),
    "greater_than": N_("The value is out of range."),
    "less_than": N_("The value is out of range."),
    "float_parsing": N_("Enter a number."),
    "int_parsing": N_("Enter a whole number."),
    "decimal_parsing": N_("Enter a number."),
    "decimal_max_places": N_("At most two decimal places."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_parsing": N_("Enter a date."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "too_short": N_("Choose at least one."),
    "bool_parsing": N_("Choose yes or no."),
}
FieldName = Callable[[tuple[Any, ...]], str]


async def form_fields(request: Request) -> dict[str, Any]:
    """The submitted form as a dict; repeated names (checkbox groups) become lists."""
    form = await request.form()
    out: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 else (values[0] if values else "")
    return out


def field_errors(
    exc: ValidationError, t: Callable[[str], str], name: FieldName, default: str
) -> dict[str, str]:
    """field name → translated message; model-level errors go to `default`."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        field = name(loc) if loc else default
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = t(ERROR_MESSAGES.get(err["type"], N_("The value is not valid.")))
        errors.setdefault(field, message)
    return errors


def problem_errors(problem: Problem, default: str, aliases: dict[str, str]) -> dict[str, str]:
    """A Problem from an action, placed under the fields it names (or `default`)."""
    if not problem.errors:
        return {default: problem.message}
    return {
        aliases.get(str(e.get("field", "")), str(e.get("field") or default)): str(
            e.get("message", problem.message)
        )
        for e in problem.errors
    }


def blank_to_none(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Empty form inputs mean "not given" for optional fields."""
    return {k: (None if k in names and v == "" else v) for k, v in data.items()}
