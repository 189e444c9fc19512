"""Reads of a case's links (both directions) and shares, for the API and the detail page.

A linked case the reader may not see is shown by its code only (no title, no state): the
link is a fact about the case the reader does see, the other case's contents are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case, CaseEvent, CaseLink, CaseShare
from grassroots.cases.queries import case_scope


@dataclass(frozen=True)
class LinkView:
    code: str  # the other case
    kind: str  # related / duplicate
    # "related"; "duplicate_of": this case is a duplicate of the other (the original);
    # "original_of": the other case is a duplicate of this one.
    direction: str
    owner_code: str  # the case on which the link is removed ("unlink" acts there)
    owner_version: int | None  # None when the owner is out of the reader's scope
    visible: bool
    title: str | None
    state: str | None


@dataclass(frozen=True)
class ShareView:
    jurisdiction_code: str | None
    jurisdiction_name: str | None
    unit_code: str | None
    unit_name: str | None
    role: str


def _direction(link: CaseLink, case_id: int) -> str:
    if link.kind != "duplicate":
        return "related"
    return "duplicate_of" if link.case_id == case_id else "original_of"


def case_links(session: Session, user: User, case: Case) -> list[LinkView]:
    """The links of `case`, oldest first, the other cases masked beyond `user`'s scope."""
    links = list(
        session.scalars(
            select(CaseLink)
            .where(or_(CaseLink.case_id == case.id, CaseLink.other_id == case.id))
            .order_by(CaseLink.id)
        )
    )
    ids = {lk.other_id if lk.case_id == case.id else lk.case_id for lk in links}
    others = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    visible = set(session.scalars(select(Case.id).where(Case.id.in_(ids), case_scope(user))))
    views = []
    for lk in links:
        other = others[lk.other_id if lk.case_id == case.id else lk.case_id]
        seen = other.id in visible
        owner = case if lk.kind != "duplicate" or lk.case_id == case.id else other
        views.append(
            LinkView(
                code=other.code, kind=lk.kind, direction=_direction(lk, case.id),
                owner_code=owner.code,
                owner_version=owner.version if owner is case or seen else None,
                visible=seen, title=other.title if seen else None,
                state=other.state if seen else None,
            )
        )  # fmt: skip
    return views


def case_shares(session: Session, case: Case) -> list[ShareView]:
    shares = session.scalars(
        select(CaseShare).where(CaseShare.case_id == case.id).order_by(CaseShare.id)
    )
    return [
        ShareView(
            jurisdiction_code=sh.jurisdiction.code if sh.jurisdiction else None,
            jurisdiction_name=sh.jurisdiction.name if sh.jurisdiction else None,
            unit_code=sh.unit.code if sh.unit else None,
            unit_name=sh.unit.name if sh.unit else None,
            role=sh.role,
        )
        for sh in shares
    ]


@dataclass(frozen=True)
class MergedTimeline:
    code: str
    title: str
    events: list[CaseEvent]


def merged_timelines(session: Session, user: User, case: Case) -> list[MergedTimeline]:
    """The timelines of the repeat registrations merged into `case` (合并重复件) that the
    reader may see, oldest merge first: the primary's page shows them under its own."""
    merged = session.scalars(
        select(Case)
        .where(Case.duplicate_of_id == case.id, Case.outcome == "merged", case_scope(user))
        .order_by(Case.closed_at, Case.id)
    )
    return [
        MergedTimeline(
            code=m.code,
            title=m.title,
            events=list(
                session.scalars(
                    select(CaseEvent).where(CaseEvent.case_id == m.id).order_by(CaseEvent.id)
                )
            ),
        )
        for m in merged
    ]
