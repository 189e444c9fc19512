"""The rules of people's mediation that the case actions enforce (issue 15, items 11 and 13).

Sources (docs/cases.md quotes them):
- 《中华人民共和国人民调解法》(2010) art. 28: an agreement is written (调解协议书) or, where
  the parties think it unnecessary, oral — then the mediator records its content.
- 《人民调解工作若干规定》(司法部令第75号, 2002) art. 35: the agreement states the parties'
  responsibilities (双方当事人的权利义务) and the manner, place and time limit of performance
  (履行协议的方式、地点、期限) — the fields RecordAgreement requires.
- 若干规定 art. 40 and local practice: an extension of the mediation term needs the parties'
  consent; how often and how long is capped by the deployment
  (GRASSROOTS_EXTENSION_MAX_COUNT, default 1; GRASSROOTS_EXTENSION_MAX_DAYS, default 30).
- A mediation session (调解记录) is a record of what happened: it cannot be dated later
  than the day it is recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case, CaseEvent
from grassroots.config import get_settings
from grassroots.errors import Problem

# The resolution methods that claim an agreement, and the form of agreement each needs.
AGREEMENT_METHODS = {"mediation_agreement": "written", "oral_agreement": "oral"}
# What every recorded agreement must state (若干规定 art. 35).
AGREEMENT_FIELDS = (
    "terms",
    "responsibilities",
    "performance_manner",
    "performance_place",
    "performance_deadline",
)


def _field_problem(status: int, code: str, field: str, message: str) -> Problem:
    return Problem(status, code, message, errors=[{"field": field, "message": message}])


def latest_agreement(session: Session, case: Case) -> dict[str, Any] | None:
    """The details of the case's latest recorded agreement (record_agreement), or None."""
    found = session.scalar(
        select(CaseEvent.details)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "record_agreement")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return dict(found) if found is not None else None


def agreement_problem(session: Session, case: Case, method: str) -> Problem | None:
    """Why a resolution by `method` cannot stand, or None: a method claiming an agreement
    needs a recorded agreement of that form (written or oral, art. 28) that states every
    part art. 35 asks for."""
    form = AGREEMENT_METHODS.get(method)
    if form is None:
        return None
    agreement = latest_agreement(session, case)
    if agreement is None:
        return _field_problem(
            422, "agreement_required", "method",
            "以调解协议化解须先记录调解协议（书面协议或调解员记录的口头协议）"
            " / resolving by agreement needs a recorded agreement first",
        )  # fmt: skip
    missing = [f for f in AGREEMENT_FIELDS if not str(agreement.get(f) or "").strip()]
    if missing:
        return _field_problem(
            422, "agreement_incomplete", "method",
            "调解协议缺少双方责任或履行方式、地点、期限，请重新记录调解协议 / the agreement "
            f"lacks {', '.join(missing)}: record it again",
        )  # fmt: skip
    if agreement.get("form", "written") != form:
        return _field_problem(
            422, "agreement_form_mismatch", "method",
            "化解方式与所记录的协议形式（书面/口头）不符 / the method does not match the "
            "form (written/oral) of the recorded agreement",
        )  # fmt: skip
    return None


def session_date_problem(held_on: date, today: date) -> Problem | None:
    """A mediation session dated after today is refused."""
    if held_on > today:
        return _field_problem(
            422, "session_in_future", "held_on",
            "调解日期不能晚于今天 / a mediation session cannot be dated in the future",
        )  # fmt: skip
    return None


def extensions_at_level(session: Session, case: Case) -> int:
    """How many extensions the case has had at its current level."""
    count = session.scalar(
        select(func.count(CaseEvent.id)).where(
            CaseEvent.case_id == case.id,
            CaseEvent.action == "extend",
            CaseEvent.level == case.level,
        )
    )
    return int(count or 0)


def extension_problem(session: Session, case: Case, days: int, consent: bool) -> Problem | None:
    """Why this extension is refused, or None: consent, the cap on days and on count."""
    settings = get_settings()
    if not consent:
        return _field_problem(
            422, "consent_required", "parties_consent",
            "延期须经双方当事人同意并记录 / an extension needs the parties' recorded consent",
        )  # fmt: skip
    if days > settings.extension_max_days:
        return _field_problem(
            422, "extension_too_long", "days",
            f"延期不得超过 {settings.extension_max_days} 个工作日 / an extension may not "
            f"exceed {settings.extension_max_days} working days",
        )  # fmt: skip
    if extensions_at_level(session, case) >= settings.extension_max_count:
        return _field_problem(
            409, "extension_limit", "days",
            f"本层级已延期 {settings.extension_max_count} 次，不能再延期 / the case has had "
            f"the {settings.extension_max_count} extension(s) allowed at this level",
        )  # fmt: skip
    return None
