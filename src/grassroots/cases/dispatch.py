"""Action name → its do_* function, for the one transitions endpoint and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import (
    actions,
    actions_city,
    actions_closing,
    actions_routing,
    links_actions,
)
from grassroots.cases.models import Case
from grassroots.cases.transitions import TABLE

DO: dict[str, Callable[..., Case]] = {
    "accept": actions.do_accept,
    "reject": actions.do_reject,
    "record_session": actions.do_record_session,
    "record_agreement": actions.do_record_agreement,
    "resolve": actions.do_resolve,
    "terminate": actions.do_terminate,
    "assign": actions_routing.do_assign,
    "share": actions_routing.do_share,
    "escalate": actions_routing.do_escalate,
    "city_reply": actions_city.do_city_reply,
    "refer_down": actions_routing.do_refer_down,
    "extend": actions_closing.do_extend,
    "suspend": actions_closing.do_suspend,
    "resume": actions_closing.do_resume,
    "follow_up": actions_closing.do_follow_up,
    "close": actions_closing.do_close,
    "reopen": actions_closing.do_reopen,
    "unshare": actions_routing.do_unshare,
    "link": links_actions.do_link_cases,
    "unlink": links_actions.do_unlink_cases,
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
