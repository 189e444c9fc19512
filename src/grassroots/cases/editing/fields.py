"""Applying an edit's fields to the loaded case: each change as {field, old, new}.

Values of the case itself are recorded as they are (codes, a place, a risk level); the
location's point and the parties' personal values are handled by place.py and parties.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from grassroots.cases.editing.schemas import CaseEdit
from grassroots.cases.models import Case
from grassroots.dictionary.models import Category
from grassroots.errors import Problem

Changes = list[dict[str, Any]]
PLAIN_FIELDS = ("kind", "address", "risk_level", "violence_risk")


def field_problem(field: str, code: str, message: str) -> Problem:
    return Problem(422, code, message, errors=[{"field": field, "message": message}])


def set_value(case: Case, field: str, new: Any, changes: Changes) -> None:
    """Set `field` if `new` differs from the case's value, recording the change."""
    old = getattr(case, field)
    if new is None or new == old:
        return
    setattr(case, field, new)
    changes.append({"field": field, "old": old, "new": new})


def apply_fields(session: Session, case: Case, data: CaseEdit, changes: Changes) -> None:
    """Category (must exist and be active), kind, address, risk level, 民转刑 flag."""
    if data.category_code is not None and data.category_code != case.category_code:
        category = session.get(Category, data.category_code)
        if category is None or not category.active:
            message = "未知的纠纷类别 / unknown category"
            raise field_problem("category_code", "validation_failed", message)
        set_value(case, "category_code", data.category_code, changes)
    for field in PLAIN_FIELDS:
        new = getattr(data, field)
        set_value(case, field, new.value if field == "kind" and new is not None else new, changes)
