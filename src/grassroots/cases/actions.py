"""Every case action in one place: the do_* of each row of the transition table, and
run_action, which runs one by its name (the one transitions endpoint, the action forms,
the demo history and the tests use it).

The do_* live in the child packages that own them (workflow: the ordinary transitions and
routing; links: links between cases; intake: registration); this module is the import path
other domains use for any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.editing.actions import do_edit_case
from grassroots.cases.intake.actions import do_register
from grassroots.cases.links.actions import do_link_cases, do_merge_cases, do_unlink_cases
from grassroots.cases.models import Case
from grassroots.cases.workflow.actions import (
    do_accept,
    do_mark_spam,
    do_record_agreement,
    do_record_session,
    do_reject,
    do_resolve,
    do_terminate,
)
from grassroots.cases.workflow.city import do_city_reply
from grassroots.cases.workflow.closing import (
    do_close,
    do_extend,
    do_follow_up,
    do_pursue_performance,
    do_reopen,
    do_resume,
    do_suspend,
)
from grassroots.cases.workflow.orders import do_reassign, do_return_order
from grassroots.cases.workflow.routing import (
    do_assign,
    do_escalate,
    do_refer_down,
    do_share,
    do_unshare,
)
from grassroots.cases.workflow.transitions import TABLE

__all__ = [
    "DO",
    "do_accept",
    "do_assign",
    "do_city_reply",
    "do_close",
    "do_edit_case",
    "do_escalate",
    "do_extend",
    "do_follow_up",
    "do_link_cases",
    "do_mark_spam",
    "do_merge_cases",
    "do_pursue_performance",
    "do_reassign",
    "do_record_agreement",
    "do_record_session",
    "do_refer_down",
    "do_register",
    "do_reject",
    "do_reopen",
    "do_resolve",
    "do_resume",
    "do_return_order",
    "do_share",
    "do_suspend",
    "do_terminate",
    "do_unlink_cases",
    "do_unshare",
    "run_action",
]  # fmt: skip

DO: dict[str, Callable[..., Case]] = {
    "accept": do_accept,
    "reject": do_reject,
    "record_session": do_record_session,
    "record_agreement": do_record_agreement,
    "resolve": do_resolve,
    "terminate": do_terminate,
    "assign": do_assign,
    "reassign": do_reassign,
    "return_order": do_return_order,
    "share": do_share,
    "escalate": do_escalate,
    "city_reply": do_city_reply,
    "refer_down": do_refer_down,
    "extend": do_extend,
    "suspend": do_suspend,
    "resume": do_resume,
    "follow_up": do_follow_up,
    "pursue_performance": do_pursue_performance,
    "close": do_close,
    "reopen": do_reopen,
    "mark_spam": do_mark_spam,
    "unshare": do_unshare,
    "link": do_link_cases,
    "unlink": do_unlink_cases,
    "merge": do_merge_cases,
}
assert set(DO) == {a for a, t in TABLE.items() if t.sources}, "every table row has its do_*"


def run_action(
    session: Session, code: str, action: str, params: Any, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """Run the do_* of `action` with its already-validated input model."""
    return DO[action](
        session, code, params, actor=actor, expected_version=expected_version, now=now
    )
