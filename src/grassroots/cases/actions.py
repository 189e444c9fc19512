"""The case actions: one do_* per row of the transition table (grassroots.cases.actions is
the import path the other domains use for every do_*).

All run through action_engine._act (one transaction, version check, table check, one
CaseEvent + one audit row). The routing and after-care actions live in actions_routing.py
and actions_closing.py, links between cases in links_actions.py, registration in
registration.py; they are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import clockwork as clk
from grassroots.cases import schemas as s
from grassroots.cases.action_engine import Change, Ctx, _act
from grassroots.cases.actions_closing import (
    do_close,
    do_extend,
    do_follow_up,
    do_reopen,
    do_resume,
    do_suspend,
)
from grassroots.cases.actions_routing import (
    do_assign,
    do_escalate,
    do_refer_down,
    do_share,
    do_unshare,
)
from grassroots.cases.links_actions import do_link_cases, do_unlink_cases
from grassroots.cases.models import Case
from grassroots.cases.registration import do_register

__all__ = [
    "do_accept", "do_assign", "do_close", "do_escalate", "do_extend", "do_follow_up",
    "do_link_cases", "do_record_agreement", "do_record_session", "do_refer_down",
    "do_register", "do_reject", "do_reopen", "do_resolve", "do_resume", "do_share",
    "do_suspend", "do_terminate", "do_unlink_cases", "do_unshare",
]  # fmt: skip


# --- the changes, one per action -------------------------------------------------------


def _accept(case: Case, ctx: Ctx) -> None:
    case.accepted_at = ctx.moment
    clk.start_resolve_clock(ctx.session, ctx.cal, case, ctx.today)


def _reject(params: s.Reject) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
        case.outcome = "rejected"
        case.outcome_note = params.reason
        clk.stop_clock(case)

    return change


def _resolve(params: s.Resolve) -> Change:
    def change(case: Case, ctx: Ctx) -> None:
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
        clk.stop_clock(case)

    return change


def _nothing(case: Case, ctx: Ctx) -> None:
    return None


def do_accept(
    session: Session, code: str, params: s.Accept | None = None, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """受理: the centre takes the case on; the time to resolve at this level starts."""
    p = params or s.Accept()
    return _act(session, code, "accept", p, _accept, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_reject(
    session: Session, code: str, params: s.Reject, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """不予受理, naming the legal channel the party was pointed to."""
    return _act(session, code, "reject", params, _reject(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_session(
    session: Session, code: str, params: s.RecordSession, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解记录: one mediation session, kept in the timeline."""
    return _act(session, code, "record_session", params, _nothing, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_record_agreement(
    session: Session, code: str, params: s.RecordAgreement, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解协议书: agreed terms, manner and deadline of performance."""
    return _act(session, code, "record_agreement", params, _nothing, actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_resolve(
    session: Session, code: str, params: s.Resolve, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """化解: outcome "resolved" at the current level; the follow-up clock starts."""
    return _act(session, code, "resolve", params, _resolve(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_terminate(
    session: Session, code: str, params: s.Terminate, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """调解终止: mediation failed; records the legal routes the parties were told."""
    return _act(session, code, "terminate", params, _terminate(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip
