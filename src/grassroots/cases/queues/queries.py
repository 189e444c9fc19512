"""The queues (工作队列): one saved filter per kind of work waiting for a person, each built on
the case scope (cases.queries.case_scope, the one access rule), sorted by due date.

Who must accept a registered case: the centre staff and leaders (受理员/领导) posted at the
case's holder — or, when nobody who may accept is posted there (the demo's villages have no
受理员), at the nearest node above it that has such a person. So a township's 待受理 holds
its own cases and those of its villages without a clerk, and no case waits for nobody
(tests/demo/test_queues_history.py replays the demo history to prove it). The same rule
("covered places") gives the centre its cases to route, to follow up and to close — and a
case given to a unit that has nobody active in it, which the centre must give to someone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from grassroots.accounts.models import Role, User
from grassroots.cases.models import OPEN_STATES, Case, CaseShare
from grassroots.cases.queries import case_scope, located_in
from grassroots.geo.models import Jurisdiction, Level, code_prefix
from grassroots.i18n import N_
from grassroots.scope import subtree_condition

CENTRE_ROLES = (Role.centre_staff.value, Role.leader.value)
LIVE_STATES = (*sorted(OPEN_STATES), "resolved")  # not yet closed, rejected or terminated
Condition = Callable[["Viewer", date], ColumnElement[bool]]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Viewer:
    """The user and the places whose centre work falls to them (computed once per request)."""

    user: User
    covered: ColumnElement[bool]  # SQL: the case's holder is one of the user's covered places
    # What every queue condition of this viewer is built from: the user's id, role, post and
    # unit, and the prefixes excluded from the covered places. Equal keys, equal SQL.
    key: tuple[object, ...]


class Built(Generic[K, V]):
    """SQL conditions built once per key and reused (building one cost more than running
    it); the key must hold everything the build reads. Bounded: emptied when full."""

    def __init__(self, limit: int) -> None:
        self.limit, self.store = limit, dict[K, V]()

    def get(self, key: K, build: Callable[[], V]) -> V:
        found = self.store.get(key)
        if found is None:
            found = build()
            if len(self.store) >= self.limit:
                self.store.clear()
            self.store[key] = found
        return found


def clerk_posts(session: Session, prefixes: set[str]) -> list[tuple[int, str, str]]:
    """(id, level, code) of the nodes under `prefixes` where someone who may accept is
    posted."""
    rows = session.execute(
        select(Jurisdiction.id, Jurisdiction.level, Jurisdiction.code)
        .join(User, User.jurisdiction_id == Jurisdiction.id)
        .where(User.is_active, User.role.in_(CENTRE_ROLES))
        .where(or_(*(Jurisdiction.code.startswith(p, autoescape=True) for p in sorted(prefixes))))
        .distinct()
    )
    return [(i, level, code) for i, level, code in rows]


def clerk_prefixes_below(post: Jurisdiction, clerks: list[tuple[int, str, str]]) -> list[str]:
    """Code prefixes of the nodes strictly below `post` where someone who may accept is
    posted (`clerks`: clerk_posts): their subtrees are theirs, not the post's."""
    return sorted({
        code_prefix(Level(level), code) for i, level, code in clerks
        if i != post.id and code.startswith(post.prefix)
    })  # fmt: skip


# The covered places by (post, clerks below it): the same for everyone posted there.
_COVERED: Built[tuple[int, tuple[str, ...]], ColumnElement[bool]] = Built(1024)


def _covered(user: User, post: Jurisdiction, clerks_below: tuple[str, ...]) -> ColumnElement[bool]:
    """SQL on Case: held at a node the user answers for as centre staff (see the module
    docstring), or — for the county's centre — held at city level (矛盾上交, relayed)."""

    def build() -> ColumnElement[bool]:
        below = [~Jurisdiction.code.startswith(p, autoescape=True) for p in clerks_below]
        places = select(Jurisdiction.id).where(subtree_condition(user, Jurisdiction.code), *below)
        relayed = and_(Case.level == Level.city.value, Case.county_code.startswith(post.prefix))
        return or_(Case.holder_jurisdiction_id.in_(places), relayed)

    return _COVERED.get((post.id, clerks_below), build)


def viewer(session: Session, user: User) -> Viewer:
    return viewers(session, [user])[0]


def viewers(session: Session, users: Sequence[User]) -> list[Viewer]:
    """viewer() of each user, with one read of where the clerks below their posts are. The
    covered places depend only on the role and the post (and the clerks below it)."""
    posts = {u.jurisdiction.prefix for u in users if u.role in CENTRE_ROLES and u.jurisdiction}
    clerks = clerk_posts(session, posts) if posts else []
    out = []
    for user in users:
        post = user.jurisdiction
        found: ColumnElement[bool] = false()
        below: tuple[str, ...] = ()
        if user.role in CENTRE_ROLES and post is not None:
            below = tuple(clerk_prefixes_below(post, clerks))
            found = _covered(user, post, below)
        key = (user.id, user.role, user.jurisdiction_id, user.unit_id, below)
        out.append(Viewer(user, found, key))
    return out


def _shared(v: Viewer) -> ColumnElement[bool]:
    user, conditions = v.user, []
    if user.unit_id is not None:
        conditions.append(CaseShare.unit_id == user.unit_id)
    if user.role in CENTRE_ROLES and user.jurisdiction is not None:
        places = select(Jurisdiction.id).where(subtree_condition(user, Jurisdiction.code))
        conditions.append(CaseShare.jurisdiction_id.in_(places))
    if not conditions:
        return false()
    return Case.id.in_(select(CaseShare.case_id).where(or_(*conditions)))


def _open() -> ColumnElement[bool]:
    return Case.state.in_(sorted(OPEN_STATES))


def _unit_waiting(v: Viewer) -> ColumnElement[bool]:
    if v.user.unit_id is None:
        return false()
    return and_(Case.unit_id == v.user.unit_id, Case.assignee_id.is_(None), _open())


def _unstaffed_unit() -> ColumnElement[bool]:
    """Open, given to a unit but to nobody in it, and nobody active belongs to that unit: its
    centre must assign someone, or the case would wait for nobody."""
    staffed = select(User.unit_id).where(User.is_active, User.unit_id.is_not(None))
    return and_(
        _open(), Case.unit_id.is_not(None), Case.assignee_id.is_(None), Case.unit_id.not_in(staffed)
    )


def _follow_up(v: Viewer) -> ColumnElement[bool]:
    user = v.user
    who = [Case.assignee_id == user.id, Case.registered_by_id == user.id, v.covered]
    if user.role == Role.grid_worker and user.jurisdiction is not None:
        j = user.jurisdiction
        who.append(located_in(j.level, j.code, j.prefix))  # 网格员 follow up where they patrol
    return and_(Case.state == "resolved", Case.satisfaction.is_(None), or_(*who))


def _to_close(v: Viewer) -> ColumnElement[bool]:
    return and_(Case.state == "resolved", Case.satisfaction.is_not(None), v.covered)


WORK: dict[str, Callable[[Viewer], ColumnElement[bool]]] = {
    "to_accept": lambda v: and_(Case.state == "registered", v.covered),
    "escalated": lambda v: and_(Case.state == "accepted", Case.escalation_count > 0, v.covered),
    "to_assign": lambda v: and_(or_(Case.state == "accepted", _unstaffed_unit()), v.covered),
    "shared": lambda v: and_(_open(), _shared(v)),
    "assigned": lambda v: and_(_open(), Case.assignee_id == v.user.id),
    "unit": _unit_waiting,
    "to_follow_up": _follow_up,
    "to_close": _to_close,
}


def my_work(v: Viewer) -> ColumnElement[bool]:
    """Every case waiting for this person: the union of the work queues."""
    return or_(*(condition(v) for condition in WORK.values()))


def _due_soon(v: Viewer, today: date) -> ColumnElement[bool]:
    return and_(my_work(v), Case.clock_due_on >= today, Case.clock_yellow_on <= today)


def _on_any_day(work: Callable[[Viewer], ColumnElement[bool]]) -> Condition:
    return lambda v, today: work(v)


QUEUES: dict[str, Condition] = {
    **{name: _on_any_day(f) for name, f in WORK.items()},
    "due_soon": _due_soon,
    "overdue": lambda v, today: and_(my_work(v), Case.clock_due_on < today),
    "registered_by_me": lambda v, today: and_(
        Case.registered_by_id == v.user.id, Case.state.in_(LIVE_STATES)
    ),
}
# The order and the names people read (工作台 cards, the API's labels).
LABELS: dict[str, str] = {
    "to_accept": N_("To accept"),
    "escalated": N_("Escalated to me"),
    "to_assign": N_("To route"),
    "shared": N_("Shared with me"),
    "assigned": N_("Assigned to me"),
    "unit": N_("For my unit"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "to_follow_up": N_("To follow up"),
    "to_close": N_("To close"),
    "registered_by_me": N_("Registered by me"),
}


def queue_condition(v: Viewer, name: str, today: date) -> ColumnElement[bool]:
    """The queue's filter and the case scope (KeyError for an unknown queue)."""
    return and_(case_scope(v.user), QUEUES[name](v, today))


def by_due_date() -> tuple[ColumnElement[bool], ...]:
    """Soonest due first; cases without a running clock last; then the oldest case."""
    return (Case.clock_due_on.is_(None), Case.clock_due_on, Case.id)  # type: ignore[return-value]


def queue_counts(session: Session, v: Viewer, today: date) -> dict[str, int]:
    """name → number of cases in it, for every queue, in one query."""
    columns = [func.count(Case.id).filter(QUEUES[n](v, today)).label(n) for n in LABELS]
    row = session.execute(select(*columns).where(case_scope(v.user))).one()
    return {n: int(row._mapping[n]) for n in LABELS}


def queue_cases(
    session: Session, v: Viewer, name: str, today: date, *, offset: int = 0, limit: int = 50
) -> Sequence[Case]:
    stmt = (
        select(Case)
        .where(queue_condition(v, name, today))
        .order_by(*by_due_date())
        .offset(offset)
        .limit(limit)
        .options(selectinload(Case.holder), selectinload(Case.unit))
    )
    return session.scalars(stmt).all()
