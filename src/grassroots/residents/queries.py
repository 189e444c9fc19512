"""Reads of the residents' channel: the report behind a receipt code, its progress in
plain words, and the staff's view of whether a case came from a resident."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases.models import Case, CaseEvent
from grassroots.errors import Problem
from grassroots.leads.sealing import receipt_hash
from grassroots.residents import labels as words
from grassroots.residents.models import PublicRating, PublicReport
from grassroots.residents.schemas import ProgressOut, Step

RECEIPT_USAGE = "resident-receipt"
RESIDENT_USER = "residents"  # the service account the channel registers and reopens as
RATED_STATES = frozenset({"resolved", "closed"})
ENDINGS = ("reject", "terminate")
Gettext = Callable[[str], str]


def report_by_receipt(session: Session, code: str) -> tuple[PublicReport, Case]:
    """The report and its case; 404 for a code no report has (nothing else is told)."""
    report = session.scalar(
        select(PublicReport).where(PublicReport.receipt_hash == receipt_hash(code, RECEIPT_USAGE))
    )
    if report is None:
        raise Problem(404, "not_found", "查询码无效 / unknown receipt code")
    return report, session.get_one(Case, report.case_id)


def current_rating(session: Session, report: PublicReport, case: Case) -> PublicRating | None:
    """The rating of the case's latest resolution (its round: the reopen count)."""
    return session.scalar(
        select(PublicRating).where(
            PublicRating.report_id == report.id, PublicRating.round == case.reopen_count
        )
    )


def reopen_until(case: Case, window_days: int) -> date | None:
    """The last day 不满意 reopens the case: window_days after its resolution."""
    if case.state not in RATED_STATES or case.resolved_at is None or window_days <= 0:
        return None
    return local_date(case.resolved_at) + timedelta(days=window_days)


def public_state(case: Case) -> str:
    return "spam" if case.spam else case.state


def _steps(session: Session, case: Case, _: Gettext) -> list[Step]:
    events = session.execute(
        select(CaseEvent.to_state, CaseEvent.at).where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.id)
    ).all()  # fmt: skip
    steps: list[Step] = []
    for state, at in events:
        shown = "spam" if case.spam and state == "rejected" else state
        if not steps or steps[-1].state != shown:
            steps.append(Step(state=shown, label=_(words.STATE_WORDS.get(shown, shown)),
                              on=local_date(at)))  # fmt: skip
    return steps


def _channel(session: Session, case: Case, _: Gettext) -> str:
    """The legal channel the resident was pointed to by a rejection or a termination."""
    details = session.scalar(
        select(CaseEvent.details).where(CaseEvent.case_id == case.id,
                                        CaseEvent.action.in_(ENDINGS))
        .order_by(CaseEvent.id.desc()).limit(1)
    ) or {}  # fmt: skip
    codes = details.get("routes_told") or [details.get("channel")]
    named = [_(words.CHANNEL_WORDS[c]) for c in codes if c in words.CHANNEL_WORDS]
    return "、".join(named) or _(words.DEFAULT_ROUTES)


def outcome_words(session: Session, case: Case, _: Gettext) -> str:
    state = public_state(case)
    text = _(words.OUTCOME_WORDS.get(state, words.OUTCOME_WORDS["in_progress"]))
    if state in ("rejected", "terminated"):
        return text % {"channel": _channel(session, case, _)}
    return text


def progress(session: Session, report: PublicReport, case: Case, window_days: int,
             today: date, _: Gettext) -> ProgressOut:  # fmt: skip
    """What a resident sees: never a staff name, another party or an internal note."""
    rated = current_rating(session, report, case)
    state = public_state(case)
    until = reopen_until(case, window_days)
    return ProgressOut(
        state=state, state_label=_(words.STATE_WORDS.get(state, state)), level=case.level,
        level_label=_(words.LEVEL_WORDS.get(case.level, case.level)), holder=case.holder.name,
        registered_on=local_date(case.registered_at), accept_due=case.accept_due,
        resolve_due=case.resolve_due, outcome=outcome_words(session, case, _),
        steps=_steps(session, case, _),
        may_rate=state in RATED_STATES and rated is None,
        rating=rated.rating if rated else None,  # type: ignore[arg-type]
        reopen_until=until if until is not None and today <= until else None,
    )  # fmt: skip


def resident_account(session: Session) -> User | None:
    return session.scalar(select(User).where(User.username == RESIDENT_USER))
