"""The edit page's form: its choices, and the submitted form read as a CaseEdit body.

Blank inputs leave a value as it is; inputs equal to the case's value are no change. The
party inputs start empty (names and contact data are never put in a page in clear)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.geo.models import Jurisdiction, Level

CASE_FIELDS = ("category_code", "kind", "grid_code", "address", "risk_level")


def grid_choices(session: Session, case: Case, user: User) -> list[tuple[str, str]]:
    """The current grids a case may be moved to by `user` (rules.may_move_to)."""
    prefix = user.jurisdiction.prefix if user.jurisdiction is not None else case.holder.prefix
    rows = session.execute(
        select(Jurisdiction.code, Jurisdiction.name)
        .where(
            Jurisdiction.level == Level.grid,
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.code.startswith(prefix),
        )
        .order_by(Jurisdiction.code)
    )
    return [(code, f"{name}（{code}）") for code, name in rows]


def _given(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def edit_body(case: Case, form: dict[str, Any]) -> dict[str, Any]:
    """The CaseEdit body of a submitted edit form (only what differs from the case)."""
    body: dict[str, Any] = {"reason": _given(form, "reason")}
    for name in CASE_FIELDS:
        value = _given(form, name)
        if value and value != (getattr(case, name) or ""):
            body[name] = value
    if not _given(form, "address") and case.address and "address" in form:
        body["address"] = ""
    violence = bool(_given(form, "violence_risk"))
    if violence != case.violence_risk:
        body["violence_risk"] = violence
    if _given(form, "lat") or _given(form, "lng"):
        body["lat"], body["lng"] = _given(form, "lat") or None, _given(form, "lng") or None
    body["party_changes"] = _party_changes(case, form)
    added = {k: _given(form, f"new_party_{k}") for k in ("role", "name", "phone", "id_number")}
    if added["name"]:
        body["add_parties"] = [{k: v for k, v in added.items() if v}]
    return body


def _party_changes(case: Case, form: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for party in case.parties:
        fix = {k: _given(form, f"party_{party.id}_{k}") for k in ("name", "phone", "id_number")}
        fix = {k: v for k, v in fix.items() if v}
        if fix:
            out.append({"id": party.id, **fix})
    return out
