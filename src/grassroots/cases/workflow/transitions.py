"""The workflow: ONE table of every case action, and who may act on which case.

A row says from which states an action starts, the state it leads to (None: the state
stays), which roles may do it, what it requires (its input model in schemas.py) and which
relation to the case the actor needs (see RELATIONS). Everything else — the API's list of
allowed next actions, the refusals, the timeline replay — is derived from this table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import object_session

from grassroots.accounts.models import Role, User
from grassroots.cases import schemas as s
from grassroots.cases.models import Case, CaseLink, CaseState
from grassroots.cases.workflow import order_rules, performance
from grassroots.dictionary.models import RESIDENT_SOURCE
from grassroots.errors import Problem
from grassroots.scope import in_subtree

R, A, P, V, S = (
    CaseState.registered,
    CaseState.accepted,
    CaseState.in_progress,
    CaseState.resolved,
    CaseState.suspended,
)
STATE_LABELS: dict[str, str] = {
    "registered": "已登记",
    "accepted": "已受理",
    "in_progress": "办理中",
    "suspended": "已中止",
    "resolved": "已化解",
    "closed": "已结案",
    "rejected": "不予受理",
    "terminated": "调解终止",
}

CENTRE = frozenset({Role.centre_staff, Role.leader})
HANDLERS = CENTRE | {Role.mediator, Role.unit_handler}
WORKERS = frozenset({Role.mediator, Role.unit_handler, Role.centre_staff})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]  # empty: the action creates the case
    target: str | None  # None: the state stays
    roles: frozenset[Role]
    needs: str  # the relation kind, a key of RELATIONS
    params: type[s.ActionInput]

    @property
    def requires(self) -> list[str]:
        return [n for n, f in self.params.model_fields.items() if f.is_required()]


def _t(
    action: str,
    label: str,
    sources: Iterable[str],
    target: str | None,
    roles: Iterable[Role],
    needs: str,
    params: type[s.ActionInput],
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), needs, params)


TABLE: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("register", "登记", [], R, {Role.grid_worker, Role.mediator, Role.centre_staff},
           "create", s.NewCase),
        _t("accept", "受理", [R], A, CENTRE, "manage", s.Accept),
        _t("reject", "不予受理", [R], CaseState.rejected, CENTRE, "manage", s.Reject),
        _t("assign", "分流派遣", [A, P], P, CENTRE, "manage", s.Assign),
        _t("reassign", "改派", [P], P, CENTRE, "manage", s.Reassign),
        _t("return_order", "退单", [R, A, P], CaseState.rejected, CENTRE | {Role.unit_handler},
           "handle", s.ReturnOrder),
        _t("share", "联调共享", [R, A, P, S], None, CENTRE, "manage", s.Share),
        _t("record_session", "调解记录", [P], None, WORKERS, "work", s.RecordSession),
        _t("record_agreement", "调解协议书", [P], None, WORKERS, "work", s.RecordAgreement),
        _t("city_reply", "记录市级答复", [A, P], P, CENTRE, "relay", s.CityReply),
        _t("resolve", "化解办结", [P], V, HANDLERS, "settle", s.Resolve),
        _t("terminate", "调解终止", [P], CaseState.terminated, HANDLERS, "settle",
           s.Terminate),
        _t("escalate", "上报", [A, P], A, CENTRE | {Role.system}, "manage", s.Escalate),
        _t("refer_down", "交办下派", [A, P], A, CENTRE, "manage", s.ReferDown),
        _t("extend", "延期", [A, P], None, CENTRE, "manage", s.Extend),
        _t("suspend", "中止", [P], S, HANDLERS, "handle", s.Suspend),
        _t("resume", "恢复", [S], P, HANDLERS, "handle", s.Resume),
        _t("follow_up", "回访", [V, CaseState.terminated, CaseState.rejected], None,
           CENTRE | {Role.grid_worker, Role.mediator},
           "follow_up", s.FollowUp),
        _t("pursue_performance", "未履行处置", [V], None, CENTRE | {Role.mediator}, "settle",
           s.PursuePerformance),
        _t("close", "结案", [V], CaseState.closed, CENTRE, "conclude", s.Close),
        # The system role: a resident's 不满意 within the window (grassroots.residents).
        _t("reopen", "返工", [V, CaseState.closed], P, CENTRE | {Role.system}, "conclude",
           s.Reopen),
        _t("mark_spam", "标记无效信息", [R, A, P, S], CaseState.rejected, CENTRE, "manage",
           s.MarkSpam),
        _t("unshare", "取消联调", [R, A, P, S], None, CENTRE, "manage", s.Unshare),
        _t("link", "关联案件", [R, A, P, S, V], None, CENTRE, "manage", s.Link),
        _t("unlink", "取消关联", [R, A, P, S, V], None, CENTRE, "manage", s.Unlink),
        _t("merge", "合并重复件", [R, A, P, S], CaseState.closed, CENTRE, "manage", s.Merge),
    )
}  # fmt: skip

# Relations an actor may have to a case (computed by relations_of), and which of them each
# kind of action accepts. "holder": centre staff or leader whose jurisdiction is the case's
# holder or an ancestor of it; "unit": a handler of the unit the case is routed to;
# "assignee": the assigned mediator; "lead"/"co": the case is shared with the actor's
# jurisdiction or unit as lead (主办) or co-handler (协办); "local": the case lies in the
# actor's jurisdiction (grid workers follow up where they patrol); "relay": centre staff or
# leader of the case's own county while the case is held at city level (矛盾上交) — in a
# county deployment there is no city staff, so the county centre records the city's reply
# (city_reply) and carries the case to its end (resolve / terminate, follow-up, close,
# reopen after an unsatisfied follow-up), but does not route it (assign, share, escalate,
# refer down, extend, suspend stay with the holder).
RELATIONS: dict[str, frozenset[str]] = {
    "create": frozenset({"local"}),
    "manage": frozenset({"holder", "lead"}),
    "handle": frozenset({"holder", "lead", "unit", "assignee"}),
    "work": frozenset({"holder", "lead", "co", "unit", "assignee"}),
    "follow_up": frozenset({"holder", "lead", "unit", "assignee", "local", "relay"}),
    "relay": frozenset({"holder", "lead", "relay"}),
    "settle": frozenset({"holder", "lead", "unit", "assignee", "relay"}),
    "conclude": frozenset({"holder", "lead", "relay"}),
}
CITY = "city"


def relations_of(case: Case, user: User) -> set[str]:
    rel: set[str] = set()
    if user.role in CENTRE and in_subtree(user, case.holder.code):
        rel.add("holder")
    if in_subtree(user, case.grid_code or case.village_code or case.township_code):
        rel.add("local")
    if case.level == CITY and user.role in CENTRE and in_subtree(user, case.county_code):
        rel.add("relay")
    if user.unit_id is not None and case.unit_id == user.unit_id:
        rel.add("unit")
    if case.assignee_id is not None and case.assignee_id == user.id:
        rel.add("assignee")
    for share in case.shares:
        by_unit = share.unit_id is not None and share.unit_id == user.unit_id
        by_place = share.jurisdiction is not None and in_subtree(user, share.jurisdiction.code)
        if by_unit or (by_place and user.role in CENTRE):
            rel.add(share.role)
    return rel


def transition(action: str) -> Transition:
    found = TABLE.get(action)
    if found is None:
        raise Problem(
            422,
            "unknown_action",
            f"没有「{action}」这一操作 / no such action; known: {', '.join(TABLE)}",
        )
    return found


def refusal(case: Case, user: User, t: Transition) -> Problem | None:
    """Why `user` may not do `t` on `case` now, or None. The one place acting rules live."""
    if case.state not in t.sources:
        state = STATE_LABELS.get(case.state, case.state)
        return Problem(
            409,
            "transition_not_allowed",
            f"案件处于「{state}」状态，不能{t.label} / cannot {t.action} a case in state "
            f"{case.state}",
        )
    if user.role not in t.roles:
        return Problem(
            403, "role_not_allowed", f"您的岗位不能{t.label} / your role may not {t.action}"
        )
    if user.role != Role.system and not (relations_of(case, user) & RELATIONS[t.needs]):
        return Problem(
            403,
            "not_case_handler",
            f"您不是本案当前的承办方，不能{t.label} / you do not handle this case at its "
            "current level",
        )
    guard = GUARDS.get(t.action)
    return guard(case) if guard else None


def _no_higher_level(case: Case) -> Problem | None:
    if case.level == CITY or case.holder.parent_id is None:
        return Problem(409, "no_higher_level", "已是最高层级，不能再上报 / no higher level")
    return None


def _no_lower_level(case: Case) -> Problem | None:
    if case.level == "village":
        return Problem(409, "no_lower_level", "已是最低层级，不能再下派 / no lower level")
    return None


def _no_follow_up(case: Case) -> Problem | None:
    # follow_up sets the satisfaction; resolve after a reopen finds it cleared.
    if case.satisfaction is None:
        return Problem(
            422,
            "follow_up_required",
            "结案前须先回访当事人 / a follow-up must be recorded before closing",
        )
    return performance.close_problem(case)


def _no_share(case: Case) -> Problem | None:
    if not case.shares:
        return Problem(409, "not_shared", "本案没有联调单位 / the case is not shared with anyone")
    return None


def _no_link(case: Case) -> Problem | None:
    session = object_session(case)
    if session is None:  # a case not loaded from the database has no links
        return None
    either = or_(CaseLink.case_id == case.id, CaseLink.other_id == case.id)
    if session.scalar(select(CaseLink.id).where(either).limit(1)) is None:
        message = "本案没有关联事件 / the case has no linked case"
        return Problem(
            409, "not_linked", message, errors=[{"field": "other_code", "message": message}]
        )
    return None


def _merged(case: Case) -> Problem | None:
    if case.outcome == "merged":  # its matter carries on in the primary case
        return Problem(
            409, "merged", "本案已并入其他案件，不能返工 / a merged case cannot be reopened"
        )
    return None


def _not_at_city(case: Case) -> Problem | None:
    if case.level != CITY:
        return Problem(
            409,
            "not_at_city_level",
            "案件不在市级，无需记录市级答复 / the case is not held at city level",
        )
    return None


# Conditions on the case itself that some rows add to their from-states.
def _not_resident_report(case: Case) -> Problem | None:
    if case.source_code != RESIDENT_SOURCE:
        return Problem(
            409, "not_resident_report",
            "只有群众自报的案件可标记为无效信息 / only a resident's own report can be marked "
            "as spam",
        )  # fmt: skip
    return None


def _no_follow_up_of(case: Case) -> Problem | None:
    """Neither a report marked as spam nor a returned 12345 order is followed up."""
    if case.spam:
        return Problem(409, "spam", "无效信息不回访 / a report marked as spam is not followed up")
    return order_rules.returned_problem(case)


GUARDS = {
    "mark_spam": _not_resident_report,
    "escalate": _no_higher_level,
    "refer_down": _no_lower_level,
    "close": _no_follow_up,
    "pursue_performance": performance.not_performed_problem,
    "unshare": _no_share,
    "unlink": _no_link,
    "city_reply": _not_at_city,
    "reassign": order_rules.reassign_problem,
    "return_order": order_rules.not_an_order,
    "follow_up": _no_follow_up_of,
    "reopen": _merged,
}


def allowed_actions(case: Case, user: User) -> list[Transition]:
    return [t for t in TABLE.values() if t.sources and refusal(case, user, t) is None]


class EventLike(Protocol):
    action: str
    from_state: str | None
    to_state: str


# Timeline entries outside the table that keep the state but are a version step of the
# case: an edit of its details (cases.editing), deadlines recomputed after a calendar
# change (cases.deadlines.recompute).
VERSIONED_NOTES = frozenset({"edit", "recompute"})


@dataclass(frozen=True)
class Replayed:
    state: str
    steps: int


def replay(events: Sequence[EventLike]) -> Replayed:
    """Re-run a timeline through the table: every step must be a row of it, starting from
    the state the previous step left; other events (notes such as the sweep's 督办, edits)
    must leave the state as it was. `steps` counts the transitions and the edits, which is
    the case's version.
    Raises ValueError at the first event that does not fit."""
    state: str | None = None
    steps = 0
    for i, event in enumerate(events):
        t = TABLE.get(event.action)
        if t is None:  # a note on the timeline (e.g. the sweep's 督办): changes nothing
            if state is None or event.from_state != state or event.to_state != state:
                raise ValueError(f"step {i}: note {event.action} changed the state")
            steps += event.action in VERSIONED_NOTES
            continue
        steps += 1
        legal_from = state in t.sources if t.sources else state is None
        if event.from_state != state or not legal_from:
            raise ValueError(f"step {i}: {event.action} from {event.from_state}, state {state}")
        expected = t.target or state
        if event.to_state != expected:
            raise ValueError(f"step {i}: {event.action} led to {event.to_state}, not {expected}")
        state = event.to_state
    if state is None:
        raise ValueError("empty timeline")
    return Replayed(state=state, steps=steps)
