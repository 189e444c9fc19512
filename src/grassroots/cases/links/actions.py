"""Links between cases (DESIGN §4: duplicate_of, related): do_link_cases, do_unlink_cases.

Both are rows of the transition table ("link", "unlink"), run through workflow.engine.act on
the case named in the request: version check, state/role/relation check, one timeline event
and one audit row, one version step. The actor must also manage the other case (centre
staff or leader holding it, or its lead centre). The other case gets a note on its timeline
("linked" / "unlinked": its state and version stay, like the sweep's 督办) and an audit row,
in the same transaction.

Rules (docs/cases.md):
- at most one link between two cases (related or duplicate), never a case to itself;
- "duplicate": this case is a duplicate (重复登记) of the other, the original; kept on
  Case.duplicate_of_id as well. An original is never itself a duplicate and a duplicate has
  no duplicates of its own: chains are one step long, so there are no cycles;
- a duplicate mark is removed on the duplicate (the case that carries it);
- a case outside the actor's scope is refused exactly like a code that does not exist.
Both cases' rows are locked in id order (PostgreSQL; SQLite has one writer), so that two
links made at the same moment cannot build a chain or a cycle between them.

do_merge_cases (合并重复件, issue 18): the duplicate is closed with outcome "merged" and
carries on as the primary. In one transaction: the duplicate link (made if missing), the
duplicate's parties copied onto the primary unless already there (same ID number or phone
by blind index, else the same name), a "merged_in" note on the primary's timeline pointing
to the duplicate (whose own timeline stays whole and is shown on the primary's page), an
audit row on each case. A merged case counts in no figure (tallies.contribution: the matter
is counted once, on the primary). Not reversible: see docs/cases.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.models import OPEN_STATES, Case, CaseEvent, CaseLink, Party
from grassroots.cases.queries import access_case
from grassroots.cases.workflow.engine import Change, Ctx, act
from grassroots.cases.workflow.transitions import RELATIONS, relations_of
from grassroots.errors import Problem

NOTE_ACTION = {"link": "linked", "unlink": "unlinked", "merge": "merged_in"}  # on the other
MERGED = "merged"  # the outcome of a case merged into another


def _refused(status: int, code: str, message: str, field: str = "other_code") -> Problem:
    return Problem(status, code, message, errors=[{"field": field, "message": message}])


def _lock(session: Session, *ids: int) -> None:
    """Lock both cases' rows in id order (FOR UPDATE is not rendered on SQLite)."""
    session.execute(select(Case.id).where(Case.id.in_(ids)).order_by(Case.id).with_for_update())


def _other(ctx: Ctx, case: Case, other_code: str) -> Case:
    """The other case, if the actor sees and manages it; locked with this one and current."""
    if other_code == case.code:
        raise _refused(422, "self_link", "不能关联本案自身 / a case cannot be linked to itself")
    try:
        other = access_case(ctx.session, ctx.actor, other_code)
    except Problem as exc:  # missing or out of scope: the same answer
        message = f"案件 {other_code} 不存在 / case {other_code} not found"
        raise _refused(422, "invalid_target", message) from exc
    if not relations_of(other, ctx.actor) & RELATIONS["manage"]:
        message = f"您不是案件 {other_code} 的承办方 / you do not handle case {other_code}"
        raise _refused(403, "not_case_handler", message)
    _lock(ctx.session, case.id, other.id)
    ctx.session.refresh(other)  # what was committed before the lock was taken
    return other


def link_between(session: Session, a: int, b: int) -> CaseLink | None:
    """The link between two cases, whichever way it was made."""
    return session.scalar(
        select(CaseLink).where(
            or_(
                and_(CaseLink.case_id == a, CaseLink.other_id == b),
                and_(CaseLink.case_id == b, CaseLink.other_id == a),
            )
        )
    )


def _code_of(session: Session, case_id: int) -> str:
    code = session.scalar(select(Case.code).where(Case.id == case_id))
    assert code is not None
    return code


def _check_duplicate(session: Session, case: Case, other: Case, field: str = "other_code") -> None:
    """This case may become a duplicate of `other`: chains stay one step long."""
    if case.duplicate_of_id is not None:
        root = _code_of(session, case.duplicate_of_id)
        message = f"本案已是 {root} 的重复件，请先取消 / this case is already a duplicate of {root}"
        raise _refused(409, "already_duplicate", message, field)
    if other.duplicate_of_id is not None:
        root = _code_of(session, other.duplicate_of_id)
        message = (
            f"案件 {other.code} 本身是 {root} 的重复件，请关联原案件 {root} / {other.code} is "
            f"itself a duplicate of {root}: link to the original {root}"
        )
        raise _refused(409, "duplicate_of_duplicate", message, field)
    copies = list(session.scalars(select(Case.code).where(Case.duplicate_of_id == case.id)))
    if copies:
        names = "、".join(sorted(copies))
        message = (
            f"本案是 {names} 的原案件，不能再标记为重复件 / this case is the original of "
            f"{names}: it cannot be a duplicate"
        )
        raise _refused(409, "has_duplicates", message, field)


def _note(ctx: Ctx, other: Case, action: str, case: Case, kind: str, note: str) -> None:
    """The other case's timeline note and audit row: state and version stay."""
    details = {"other_code": case.code, "kind": kind}
    ctx.session.add(
        CaseEvent(
            case_id=other.id, action=action, actor_id=ctx.actor.id, at=ctx.moment,
            from_state=other.state, to_state=other.state, level=other.level,
            holder_jurisdiction_id=other.holder_jurisdiction_id, unit_id=other.unit_id,
            note=note, details=details,
        )
    )  # fmt: skip
    record_audit(ctx.session, actor=ctx.actor, action=f"case.{action}", object_type="case",
                 object_id=other.code, details=details)  # fmt: skip


def _link(params: s.Link) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        other = _other(ctx, case, params.other_code)
        if link_between(ctx.session, case.id, other.id) is not None:
            message = f"本案与 {other.code} 已有关联 / already linked to {other.code}"
            raise _refused(409, "already_linked", message)
        if params.kind == s.LinkKind.duplicate:
            _check_duplicate(ctx.session, case, other)
            case.duplicate_of_id = other.id
        ctx.session.add(CaseLink(case_id=case.id, other_id=other.id, kind=params.kind.value))
        _note(ctx, other, NOTE_ACTION["link"], case, params.kind.value, params.note)
        return {"other_code": other.code, "kind": params.kind.value}

    return change


def _unlink(params: s.Unlink) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        other = _other(ctx, case, params.other_code)
        link = link_between(ctx.session, case.id, other.id)
        if link is None:
            message = f"本案与 {other.code} 没有关联 / not linked to {other.code}"
            raise _refused(409, "not_linked", message)
        if link.kind == s.LinkKind.duplicate:
            if link.case_id != case.id:
                message = (
                    f"{other.code} 是本案的重复件，请在案件 {other.code} 上取消 / {other.code} "
                    f"is the duplicate: remove the mark on {other.code}"
                )
                raise _refused(409, "unlink_on_duplicate", message)
            case.duplicate_of_id = None
        kind = link.kind
        ctx.session.delete(link)
        _note(ctx, other, NOTE_ACTION["unlink"], case, kind, params.note)
        return {"other_code": other.code, "kind": kind}

    return change


def do_link_cases(
    session: Session, code: str, params: s.Link, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """关联案件: link case `code` to another as related, or mark it a duplicate of it."""
    return act(session, code, "link", params, _link(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def do_unlink_cases(
    session: Session, code: str, params: s.Unlink, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """取消关联: remove the link between case `code` and another (a duplicate mark is
    removed on the duplicate)."""
    return act(session, code, "unlink", params, _unlink(params), actor=actor,
                expected_version=expected_version, now=now)  # fmt: skip


def _primary(ctx: Ctx, case: Case, primary_code: str) -> Case:
    """The case to merge into: seen by the actor (404 like a missing code otherwise),
    handled by them, still open or resolved, and not itself a duplicate."""
    field = "primary_code"
    if primary_code == case.code:
        message = "不能合并到本案自身 / a case cannot merge into itself"
        raise _refused(422, "self_link", message, field)
    try:
        primary = access_case(ctx.session, ctx.actor, primary_code)
    except Problem as exc:  # missing or out of scope: the same 404, beside the field
        raise _refused(exc.status, exc.code, exc.message, field) from exc
    if not relations_of(primary, ctx.actor) & RELATIONS["manage"]:
        message = f"您不是案件 {primary_code} 的承办方 / you do not handle case {primary_code}"
        raise _refused(403, "not_case_handler", message, field)
    _lock(ctx.session, case.id, primary.id)
    ctx.session.refresh(primary)
    if primary.state not in OPEN_STATES and primary.state != "resolved":
        message = f"案件 {primary_code} 已办结，不能并入 / case {primary_code} is concluded"
        raise _refused(409, "primary_concluded", message, field)
    return primary


def _same_party(mine: Party, theirs: Party) -> bool:
    if mine.id_number_bidx and mine.id_number_bidx == theirs.id_number_bidx:
        return True
    if mine.phone_bidx and mine.phone_bidx == theirs.phone_bidx:
        return True
    no_contact = not (mine.id_number_bidx or mine.phone_bidx)
    return no_contact and mine.name == theirs.name


def union_parties(primary: Case, duplicate: Case) -> int:
    """Copy the duplicate's parties the primary lacks (the sealed values as they are: the
    same keys seal both); a known party gains a phone or ID number it had not. → added."""
    added = 0
    for p in duplicate.parties:
        known = next((q for q in primary.parties if _same_party(p, q)), None)
        if known is None:
            primary.parties.append(Party(
                role=p.role, name=p.name, address=p.address, phone_enc=p.phone_enc,
                phone_bidx=p.phone_bidx, id_number_enc=p.id_number_enc,
                id_number_bidx=p.id_number_bidx,
            ))  # fmt: skip
            added += 1
            continue
        for field in ("phone", "id_number"):
            if getattr(known, f"{field}_bidx") is None and getattr(p, f"{field}_bidx"):
                setattr(known, f"{field}_enc", getattr(p, f"{field}_enc"))
                setattr(known, f"{field}_bidx", getattr(p, f"{field}_bidx"))
    return added


def _merge(params: s.Merge) -> Change:
    def change(case: Case, ctx: Ctx) -> dict[str, Any]:
        primary = _primary(ctx, case, params.primary_code)
        link = link_between(ctx.session, case.id, primary.id)
        if case.duplicate_of_id != primary.id:
            if link is not None:  # a related link becomes the duplicate mark
                ctx.session.delete(link)
                ctx.session.flush([link])
            _check_duplicate(ctx.session, case, primary, "primary_code")
            case.duplicate_of_id = primary.id
            ctx.session.add(CaseLink(case_id=case.id, other_id=primary.id, kind="duplicate"))
        added = union_parties(primary, case)
        case.outcome, case.outcome_note = MERGED, f"并入 {primary.code} / merged into it"
        case.closed_at = ctx.moment
        clk.stop_clock(case)
        _note(ctx, primary, NOTE_ACTION["merge"], case, "duplicate", params.note)
        return {"other_code": primary.code, "kind": "duplicate", "parties_added": added}

    return change


def do_merge_cases(
    session: Session, code: str, params: s.Merge, *, actor: User,
    expected_version: int | None = None, now: datetime | None = None,
) -> Case:  # fmt: skip
    """合并重复件: close case `code` (a repeat registration) as merged into the primary case
    `params.primary_code`, which carries on with both parties and a link to this timeline."""
    return act(session, code, "merge", params, _merge(params), actor=actor,
               expected_version=expected_version, now=now)  # fmt: skip
