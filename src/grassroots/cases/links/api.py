"""GET /cases/{code}/links: a case's links (both directions) and its shares (联调).

Links and shares are made and removed by actions of the transition table, like every other
change of a case: POST /cases/{code}/actions/link | unlink | share | unshare with
expected_version (see docs/cases.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from grassroots.accounts.models import User
from grassroots.cases import queries as q
from grassroots.cases.links.queries import LinkView, case_links, case_shares
from grassroots.cases.workflow.transitions import STATE_LABELS
from grassroots.deps import DbSession, requires

router = APIRouter(tags=["cases"])

Reader = Annotated[User, requires("case.read")]


class LinkOut(BaseModel):
    code: str
    kind: str  # related / duplicate
    direction: str  # related / duplicate_of / original_of
    owner_code: str  # unlink acts on this case
    visible: bool  # False: the linked case is beyond your scope, shown by its code only
    title: str | None
    state: str | None
    state_label: str | None


class ShareOut(BaseModel):
    jurisdiction_code: str | None
    jurisdiction_name: str | None
    unit_code: str | None
    unit_name: str | None
    role: str  # lead 主办 / co 协办


class CaseLinksOut(BaseModel):
    code: str
    duplicate_of: str | None
    links: list[LinkOut]
    shares: list[ShareOut]


def _link_out(lk: LinkView) -> LinkOut:
    label = STATE_LABELS[lk.state] if lk.state else None
    return LinkOut(
        code=lk.code, kind=lk.kind, direction=lk.direction, owner_code=lk.owner_code,
        visible=lk.visible, title=lk.title, state=lk.state, state_label=label,
    )  # fmt: skip


@router.get("/cases/{code}/links", response_model=CaseLinksOut)
def get_links(code: str, session: DbSession, user: Reader) -> CaseLinksOut:
    """关联案件与联调: the case's links, both directions, and whom it is shared with."""
    case = q.access_case(session, user, code)
    links = case_links(session, user, case)
    return CaseLinksOut(
        code=case.code,
        duplicate_of=next((lk.code for lk in links if lk.direction == "duplicate_of"), None),
        links=[_link_out(lk) for lk in links],
        shares=[ShareOut(**vars(sh)) for sh in case_shares(session, case)],
    )
