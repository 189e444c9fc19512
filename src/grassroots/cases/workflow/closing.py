"""Clock and after-care actions: extend, suspend, resume, follow_up, pursue_performance
(workflow/performance.py), close, reopen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.models import Case
from grassroots.cases.workflow import mediation, performance
from grassroots.cases.workflow.engine import Change, Ctx, act


def _extend(params: s.Extend) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        problem = mediation.extension_problem(
            ctx.session, case, params.days, params.parties_consent
        )
        if problem is not None:
            raise problem
        before = case.resolve_due
        clk.extend_resolve_clock(ctx.cal, case, params.days)
        return {"resolve_due_before": str(before), "resolve_due": str(case.resolve_due)}

    return change


def _suspend(case: Case, ctx: Ctx) -> None:
    case.suspended_at = ctx.moment
    clk.pause_clock(case)


def _resume(case: Case, ctx: Ctx) -> dict[str, Any]:
    paused = clk.resume_resolve_clock(ctx.cal, case, ctx.today)
    case.suspended_at = None
    return {"paused_working_days": paused, "resolve_due": str(case.resolve_due)}


def _follow_up(params: s.FollowUp) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.satisfaction = params.satisfaction.value
        if case.performance != params.performance or params.performance == "performed":
            case.performance_route = None  # a new finding asks for its own route
        case.performance = params.performance
        clk.stop_clock(case)

    return change


def _close(case: Case, ctx: Ctx) -> dict[str, Any] | None:
    case.closed_at = ctx.moment
    clk.stop_clock(case)
    outcome = performance.closing_outcome(case)
    if outcome == case.outcome:
        return None
    case.outcome = outcome
    return {"outcome": outcome, "route": case.performance_route}


def _reopen(case: Case, ctx: Ctx) -> dict[str, Any]:
    previous = {"outcome": case.outcome, "resolved_level": case.resolved_level}
    case.outcome = None
    case.outcome_note = ""
    case.resolved_at = case.resolved_level = case.closed_at = case.satisfaction = None
    case.performance = case.performance_route = None
    case.reopen_count += 1
    clk.start_resolve_clock(ctx.session, ctx.cal, case, ctx.today)
    return {"previous": previous}


def _pursue(params: s.PursuePerformance) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        if params.route == "judicial_confirmation":
            problem = performance.judicial_problem(ctx.session, case, params.applied_on, ctx.today)
            if problem is not None:
                raise problem
        case.performance_route = params.route
        details: dict[str, Any] = {"route": params.route}
        if params.applied_on is not None and params.route == "judicial_confirmation":
            details["applied_on"] = params.applied_on.isoformat()
        return details

    return change


def do_pursue_performance(
    session: Session, code: str, params: s.PursuePerformance, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """未履行处置: the route taken when the follow-up found the agreement not performed."""
    return act(session, code, "pursue_performance", params, _pursue(params), actor=actor,
               expected_version=expected_version, now=now)  # fmt: skip


def do_extend(
    session: Session, code: str, params: s.Extend, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """延期: an approved extension, with the parties' consent and within the deployment's
    cap (mediation.extension_problem), moves the resolve deadline by working days."""
    return act(session, code, "extend", params, _extend(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_suspend(
    session: Session, code: str, params: s.Suspend, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """中止: the clock stops until resume."""
    return act(session, code, "suspend", params, _suspend, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_resume(
    session: Session, code: str, params: s.Resume | None = None, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """恢复: the deadline moves by the working days the case was suspended."""
    return act(session, code, "resume", params or s.Resume(), _resume, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_follow_up(
    session: Session, code: str, params: s.FollowUp, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """回访: performance of the agreement, satisfaction, remaining risk."""
    return act(session, code, "follow_up", params, _follow_up(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_close(
    session: Session, code: str, params: s.Close | None = None, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """结案, once a follow-up has been recorded since the case was resolved."""
    return act(session, code, "close", params or s.Close(), _close, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_reopen(
    session: Session, code: str, params: s.Reopen, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """返工: the check failed or the resident is unsatisfied; back to in progress."""
    return act(session, code, "reopen", params, _reopen, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
