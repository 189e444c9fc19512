"""The ordinary case actions: accept, reject, record a session or an agreement, resolve,
terminate. Routing lives in routing.py, the clock and after-care in closing.py, the city's
reply in city.py; grassroots.cases.actions gathers every do_* for the other domains.

All run through engine.act (one transaction, version check, table check, one CaseEvent +
one audit row).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.models import Case
from grassroots.cases.workflow import mediation
from grassroots.cases.workflow.engine import Change, Ctx, act

# --- the changes, one per action -------------------------------------------------------


def _accept(case: Case, ctx: Ctx) -> None:
    case.accepted_at = ctx.moment
    clk.start_resolve_clock(ctx.session, ctx.cal, case, ctx.today)


def _reject(params: s.Reject) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "rejected"
        case.outcome_note = params.reason
        case.closed_at = ctx.moment  # an ending: the moment counts (stats_figures)
        clk.stop_clock(case)

    return change


def _mark_spam(params: s.MarkSpam) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.spam = True  # out of every figure (grassroots.cases.tallies.contribution)
        case.outcome = "spam"
        case.outcome_note = params.reason
        case.closed_at = ctx.moment
        clk.stop_clock(case)

    return change


def _resolve(params: s.Resolve) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        problem = mediation.agreement_problem(ctx.session, case, params.method)
        if problem is not None:
            raise problem
        case.outcome = "resolved"
        case.outcome_note = params.outcome_note
        case.resolved_at = ctx.moment
        case.resolved_level = case.level
        clk.start_follow_up_clock(ctx.session, ctx.cal, case, ctx.today)

    return change


def _terminate(params: s.Terminate) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "terminated"
        case.outcome_note = params.reason
        case.closed_at = ctx.moment  # 调解终止 in time counts as 办结 (stats_figures)
        clk.stop_clock(case)

    return change


def _nothing(case: Case, ctx: Ctx) -> None:
    return None


def _record_session(params: s.RecordSession) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        problem = mediation.session_date_problem(params.held_on, ctx.today)
        if problem is not None:
            raise problem

    return change


def do_accept(
    session: Session, code: str, params: s.Accept | None = None, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """受理: the centre takes the case on; the time to resolve at this level starts."""
    p = params or s.Accept()
    return act(session, code, "accept", p, _accept, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_reject(
    session: Session, code: str, params: s.Reject, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """不予受理, naming the legal channel the party was pointed to."""
    return act(session, code, "reject", params, _reject(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_mark_spam(
    session: Session, code: str, params: s.MarkSpam, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """标记无效信息: a resident's report that is no report leaves the queues and every
    figure; the event and its audit row keep who marked it and why."""
    return act(session, code, "mark_spam", params, _mark_spam(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_session(
    session: Session, code: str, params: s.RecordSession, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解记录: one mediation session, kept in the timeline."""
    return act(session, code, "record_session", params, _record_session(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_agreement(
    session: Session, code: str, params: s.RecordAgreement, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解协议: written or oral (recorded by the mediator); terms, the parties'
    responsibilities, manner, place and time limit of performance."""
    return act(session, code, "record_agreement", params, _nothing, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_resolve(
    session: Session, code: str, params: s.Resolve, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """化解: outcome "resolved" at the current level; the follow-up clock starts."""
    return act(session, code, "resolve", params, _resolve(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_terminate(
    session: Session, code: str, params: s.Terminate, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解终止: mediation failed; records the legal routes the parties were told."""
    return act(session, code, "terminate", params, _terminate(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
