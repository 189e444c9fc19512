"""Who may edit a case, and where it may be moved to (docs/cases.md, 修改案件信息).

- While the case is open (registered, accepted, in progress, suspended): whoever registered
  it, the centre holding it (staff and leaders of the holder or above), the unit it is
  routed to, its assigned mediator, a lead (主办) jurisdiction of a joint case.
- Resolved (awaiting follow-up): the holding centre (as for closing) and leaders.
- Closed, rejected, terminated: only a leader in whose jurisdiction the case lies (the
  reason, required of every edit, is kept in the timeline and the audit log).

Moving the location: the new grid must lie inside the editor's own jurisdiction (an editor
without a post, a unit handler: inside the jurisdiction holding the case).
"""

from __future__ import annotations

from grassroots.accounts.models import Role, User
from grassroots.cases.models import OPEN_STATES, Case, CaseState
from grassroots.cases.workflow.transitions import relations_of
from grassroots.errors import Problem
from grassroots.scope import in_subtree, within

OPEN_EDITORS = frozenset({"holder", "lead", "unit", "assignee"})
RESOLVED_EDITORS = frozenset({"holder", "lead", "relay"})
LEADER_RELATIONS = frozenset({"holder", "local", "lead", "relay"})
EDITING_ROLES = frozenset(
    {Role.grid_worker, Role.mediator, Role.centre_staff, Role.unit_handler, Role.leader}
)


def may_edit(case: Case, user: User) -> bool:
    return edit_refusal(case, user) is None


def edit_refusal(case: Case, user: User) -> Problem | None:
    """Why `user` may not edit `case` now, or None."""
    if user.role not in EDITING_ROLES:
        return Problem(
            403, "role_not_allowed", "您的岗位不能修改案件 / your role may not edit cases"
        )
    relations = relations_of(case, user)
    if user.role == Role.leader and relations & LEADER_RELATIONS:
        return None
    if case.state in OPEN_STATES:
        if case.registered_by_id == user.id or relations & OPEN_EDITORS:
            return None
    elif case.state == CaseState.resolved:
        if relations & RESOLVED_EDITORS:
            return None
    else:
        return Problem(
            403,
            "case_closed",
            "案件已办结，只有领导可以修改 / only a leader may edit a concluded case",
        )
    return Problem(
        403,
        "not_case_editor",
        "您不是本案的登记人或承办方，不能修改 / you neither registered nor handle this case",
    )


def may_move_to(case: Case, user: User, grid_code: str) -> bool:
    """The new grid lies in the editor's jurisdiction (no post: in the holder's)."""
    if user.jurisdiction is not None:
        return in_subtree(user, grid_code)
    return within(case.holder.prefix, grid_code)
