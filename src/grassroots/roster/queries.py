"""Reads of the township roster (队伍建设): who may see it (township and county staff with
roster.manage — never grid workers, never the public), the workers of a township with their
grids today, masked phone, trainings and workload: open cases assigned to them and rounds they
recorded this month. Listed by grid and name, never ordered by workload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import OPEN_STATES, Case
from grassroots.crypto import keyring, mask_phone
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.geo.posts.models import GridPost
from grassroots.geo.posts.queries import SERVING_ROLES, serving_on
from grassroots.roster.models import TrainingEntry, WorkerContact
from grassroots.rounds.models import PatrolRound
from grassroots.scope import current_jurisdiction, in_subtree

# Posts that manage a township's workers: the township itself and the levels above it.
MANAGING_LEVELS = frozenset({Level.township, Level.county, Level.city, Level.province})


def manages_people(actor: User) -> bool:
    post = actor.jurisdiction
    return post is not None and Level(post.level) in MANAGING_LEVELS


def access_township(session: Session, actor: User, code: str) -> Jurisdiction:
    """A current township in the actor's subtree, the actor posted at township level or
    above; 404 alike otherwise."""
    node = current_jurisdiction(session, code)
    if (
        node is None or node.level != Level.township
        or not manages_people(actor) or not in_subtree(actor, node.code)
    ):  # fmt: skip
        raise Problem(404, "township_not_found", f"乡镇 {code} 不存在 / no such township")
    return node


def access_worker(session: Session, actor: User, username: str) -> User:
    """A staff member who may serve grids, posted inside the actor's subtree; 404 alike."""
    user = session.scalar(select(User).where(User.username == username))
    if (
        user is None or user.role not in SERVING_ROLES or not manages_people(actor)
        or user.jurisdiction is None or not in_subtree(actor, user.jurisdiction.code)
    ):  # fmt: skip
        raise Problem(404, "worker_not_found", "人员不存在 / no such worker")
    return user


@dataclass(frozen=True)
class RosterEntry:
    user: User
    grids: list[GridPost]
    phone_masked: str | None
    trainings: list[TrainingEntry]
    open_cases: int
    rounds_this_month: int


def _workers(session: Session, township: Jurisdiction, day: date) -> list[User]:
    """Grid workers posted in the township, and anyone serving one of its grids that day."""
    serving = select(GridPost.user_id).join(Jurisdiction, Jurisdiction.id == GridPost.grid_id)
    serving = serving.where(serving_on(day), Jurisdiction.code.startswith(township.prefix))
    posted = select(Jurisdiction.id).where(Jurisdiction.code.startswith(township.prefix))
    stmt = select(User).where(
        User.is_active,
        or_(User.id.in_(serving), (User.role == "grid_worker") & User.jurisdiction_id.in_(posted)),
    )
    return list(session.scalars(stmt))


Counts = dict[int, int]


def _counts(session: Session, ids: list[int], first: date, after: date) -> tuple[Counts, Counts]:
    """Open cases assigned to each user now; rounds each recorded in [first, after)."""
    open_stmt = (
        select(Case.assignee_id, func.count())
        .where(Case.assignee_id.in_(ids), Case.state.in_(sorted(OPEN_STATES)))
        .group_by(Case.assignee_id)
    )
    rounds_stmt = (
        select(PatrolRound.recorded_by_id, func.count())
        .where(
            PatrolRound.recorded_by_id.in_(ids),
            PatrolRound.held_on >= first,
            PatrolRound.held_on < after,
        )
        .group_by(PatrolRound.recorded_by_id)
    )
    open_cases = {int(k): int(n) for k, n in session.execute(open_stmt) if k is not None}
    return open_cases, {int(k): int(n) for k, n in session.execute(rounds_stmt)}


def masked_phone(session: Session, user_id: int) -> str | None:
    row = session.get(WorkerContact, user_id)
    return mask_phone(keyring().decrypt("phone", row.phone_enc)) if row is not None else None


def clear_phone(session: Session, user_id: int) -> str | None:
    row = session.get(WorkerContact, user_id)
    return keyring().decrypt("phone", row.phone_enc) if row is not None else None


def _grids_of(session: Session, ids: list[int], day: date) -> dict[int, list[GridPost]]:
    posts = session.scalars(select(GridPost).where(GridPost.user_id.in_(ids), serving_on(day)))
    out: dict[int, list[GridPost]] = {}
    for p in sorted(posts, key=lambda p: p.grid.code):
        out.setdefault(p.user_id, []).append(p)
    return out


def _trainings_of(session: Session, ids: list[int]) -> dict[int, list[TrainingEntry]]:
    stmt = (
        select(TrainingEntry)
        .where(TrainingEntry.user_id.in_(ids))
        .order_by(TrainingEntry.held_on.desc(), TrainingEntry.id)
    )
    out: dict[int, list[TrainingEntry]] = {}
    for t in session.scalars(stmt):
        out.setdefault(t.user_id, []).append(t)
    return out


def _order(e: RosterEntry) -> tuple[str, str]:
    return (e.grids[0].grid.code if e.grids else "~", e.user.username)


def roster(session: Session, township: Jurisdiction, day: date) -> list[RosterEntry]:
    """The township's workers on `day`, by their first grid then name (not by workload)."""
    users = _workers(session, township, day)
    ids = [u.id for u in users]
    first = day.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    open_cases, rounds = _counts(session, ids, first, after)
    grids, trainings = _grids_of(session, ids, day), _trainings_of(session, ids)
    entries = [
        RosterEntry(u, grids.get(u.id, []), masked_phone(session, u.id),
                    trainings.get(u.id, []), open_cases.get(u.id, 0), rounds.get(u.id, 0))
        for u in users
    ]  # fmt: skip
    return sorted(entries, key=_order)
