"""Who is told about an event on a case: the people who have the case in one of their work
queues (cases.queues, the same rules 我的待办 uses) right after the event, always within
their case scope (cases.queries.case_scope, built on grassroots.scope).

Candidates are the active staff posted on the case's paths (where it is held and located,
the places it is shared with, and the nodes above them), in its unit or a shared unit, its
assignee and its registrar; one query then asks, per candidate, whether the case is in the
named queues and in scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.cases.models import Case
from grassroots.cases.queries import case_scope
from grassroots.cases.queues.queries import CENTRE_ROLES, WORK, Built, Viewer, viewers
from grassroots.geo.models import Jurisdiction

CASE_ROLES = tuple(r.value for r in (
    Role.grid_worker, Role.mediator, Role.centre_staff, Role.unit_handler, Role.leader,
))  # fmt: skip


def _with_ancestors(nodes: Iterable[Jurisdiction | None]) -> set[int]:
    ids: set[int] = set()
    for node in nodes:
        while node is not None and node.id not in ids:
            ids.add(node.id)
            node = node.parent
    return ids


def _located_at(session: Session, case: Case) -> Sequence[Jurisdiction]:
    codes = [c for c in (case.county_code, case.township_code, case.village_code,
                         case.grid_code) if c]  # fmt: skip
    return session.scalars(
        select(Jurisdiction).where(Jurisdiction.code.in_(codes), Jurisdiction.valid_to.is_(None))
    ).all()


def candidates(session: Session, case: Case) -> Sequence[User]:
    """Active staff who might have the case in a queue (a superset; see the module doc)."""
    shares = list(case.shares)
    places = _with_ancestors([case.holder, *[s.jurisdiction for s in shares],
                              *_located_at(session, case)])  # fmt: skip
    units = {u for u in [case.unit_id, *[s.unit_id for s in shares]] if u is not None}
    people = {p for p in (case.assignee_id, case.registered_by_id) if p is not None}
    return session.scalars(
        select(User)
        .where(User.is_active, User.role.in_(CASE_ROLES))
        .where(or_(User.jurisdiction_id.in_(places), User.unit_id.in_(units), User.id.in_(people)))
        .order_by(User.id)
    ).all()


# A person's conditions by (Viewer.key, queues): a case's candidates are mostly the same
# staff from one event to the next. The key holds everything the conditions are built
# from, so a changed post, unit or clerk below makes a new entry.
_HOLDS: Built[tuple[object, ...], ColumnElement[int]] = Built(4096)


def _holds(v: Viewer, queues: Sequence[str]) -> ColumnElement[int]:
    """SQL: 1 when the viewer sees the case and has it in one of `queues`, else 0."""

    def build() -> ColumnElement[int]:
        scope = case_scope(v.user)
        work = or_(*(WORK[name](v) for name in queues)) if queues else scope
        return func.count(Case.id).filter(and_(scope, work))

    return _HOLDS.get((v.key, tuple(queues)), build)


def holding(
    session: Session, case: Case, users: Sequence[User], queues: Sequence[str]
) -> list[User]:
    """Those of `users` who see the case and have it in one of `queues` (names of
    cases.queues.queries.WORK; an empty tuple: seeing it is enough)."""
    if not users:
        return []
    columns = [_holds(v, queues).label(f"u{i}") for i, v in enumerate(viewers(session, users))]
    row = session.execute(select(*columns).where(Case.id == case.id)).one()
    return [u for i, u in enumerate(users) if row[i]]


def queue_holders(session: Session, case: Case, queues: Sequence[str]) -> list[User]:
    return holding(session, case, candidates(session, case), queues)


def supervisors(session: Session, holders: Sequence[User]) -> list[User]:
    """The centre staff and leaders one level above those who must act (上级督办): for each
    holder's post, the nearest node above it where someone who may accept is posted. Empty
    when the holders sit at the top or nobody is posted above them."""
    posts = {u.jurisdiction for u in holders if u.role in CENTRE_ROLES and u.jurisdiction}
    above: set[int] = set()
    for post in posts:
        node = post.parent
        while node is not None and not _clerks_at(session, node):
            node = node.parent
        if node is not None:
            above.add(node.id)
    if not above:
        return []
    return list(session.scalars(
        select(User).where(User.is_active, User.role.in_(CENTRE_ROLES),
                           User.jurisdiction_id.in_(above)).order_by(User.id)
    ))  # fmt: skip


def _clerks_at(session: Session, node: Jurisdiction) -> bool:
    posted = (User.is_active, User.role.in_(CENTRE_ROLES), User.jurisdiction_id == node.id)
    return session.scalar(select(User.id).where(*posted).limit(1)) is not None


def mentioned(session: Session, case: Case, usernames: set[str]) -> list[User]:
    """The active staff named in a note who may see the case (others are not told)."""
    if not usernames:
        return []
    users = session.scalars(
        select(User)
        .where(User.username.in_(sorted(usernames)), User.is_active, User.role.in_(CASE_ROLES))
        .order_by(User.id)
    ).all()
    return holding(session, case, users, ())
