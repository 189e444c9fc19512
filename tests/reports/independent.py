"""The test's own count of every report figure, straight from the case rows (no stats code)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case, DeadlineRecord

OPEN = {"registered", "accepted", "in_progress", "suspended"}


def beijing_day(moment: datetime) -> date:
    """Stored instants are UTC; Beijing is 8 hours ahead all year."""
    return (moment + timedelta(hours=8)).date()


@dataclass
class Figures:
    registered: int = 0
    accepted: int = 0
    resolved: int = 0
    by_level: Counter[str] = field(default_factory=Counter)
    escalated_beyond: int = 0
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    followed_up: int = 0
    satisfied: int = 0
    violence_risk: int = 0
    violence_resolved: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_child: Counter[str] = field(default_factory=Counter)
    resolved_by_child: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    pending: int = 0
    terminated: int = 0
    terminated_in_time: int = 0
    rejected: int = 0
    amount_fen: int = 0
    mass: int = 0  # people involved ≥ 5 (the default setting)


def months(first: date, count: int) -> set[tuple[int, int]]:
    out, y, m = set(), first.year, first.month
    for _ in range(count):
        out.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def count(
    session: Session, prefix: str, child_digits: int, first: date, n_months: int, today: date
) -> Figures:
    """prefix: significant code digits of the jurisdiction; child_digits: digits naming a child
    (9 for townships, 12 for villages)."""
    span = months(first, n_months)
    f = Figures()
    records = _records(session)
    day = min(today, _last_day(first, n_months))  # 超期 of a past period: at its last day
    for c in session.scalars(select(Case).where(Case.county_code.startswith(prefix[:6]))):
        place = c.village_code or c.township_code or c.county_code
        if not place.startswith(prefix):
            continue
        running = c.state in OPEN and c.state != "suspended"  # 中止: clock stopped
        f.overdue += _overdue_at(c, records.get(c.id, []), day)
        not_yet_due = running and c.resolve_due is not None and c.resolve_due >= today
        if (
            c.resolve_due is not None
            and (c.resolve_due.year, c.resolve_due.month) in span
            and not not_yet_due
        ):
            f.due += 1
            f.on_time += _on_time(c, records.get(c.id, []))
        reg = beijing_day(c.registered_at)
        if (reg.year, reg.month) not in span:
            continue
        resolved = c.outcome == "resolved"
        f.registered += 1
        f.accepted += c.accepted_at is not None
        f.resolved += resolved
        if resolved:
            f.by_level[c.resolved_level or ""] += 1
            f.resolved_by_child[place[:child_digits]] += 1
        f.escalated_beyond += c.level == "city"
        f.followed_up += c.satisfaction is not None
        f.satisfied += c.satisfaction in ("satisfied", "basically_satisfied")
        f.violence_risk += bool(c.violence_risk)
        f.violence_resolved += bool(c.violence_risk) and resolved
        f.by_category[c.category_code] += 1
        f.by_child[place[:child_digits]] += 1
        _count_outcomes(f, c)
    return f


Record = tuple[date, datetime, datetime | None, bool]  # due, ended, resolved, missed


def _records(session: Session) -> dict[int, list[Record]]:
    out: dict[int, list[Record]] = {}
    for r in session.scalars(select(DeadlineRecord)):
        out.setdefault(r.case_id, []).append((r.due, r.ended_at, r.resolved_at, r.missed))
    return out


def _last_day(first: date, n_months: int) -> date:
    y, m = divmod(first.month - 1 + n_months, 12)
    return date(first.year + y, m + 1, 1) - timedelta(days=1)


def _on_time(c: Case, records: list[Record]) -> bool:
    """Ended by the running deadline — resolved, or 调解终止 (counted by the default
    setting) — and no superseded deadline missed."""
    ended = c.resolved_at if c.outcome == "resolved" else c.closed_at
    return bool(
        c.outcome in ("resolved", "terminated")
        and ended is not None
        and c.resolve_due is not None
        and beijing_day(ended) <= c.resolve_due
        and not any(r[3] for r in records)
    )


def _overdue_at(c: Case, records: list[Record], day: date) -> bool:
    """At the end of `day`, past a deadline the case had not left by then."""
    # 退单 (returned) and 合并 (merged) end the clock too (docs/metrics.md): overdue only before
    ends = ("terminated", "rejected", "returned", "merged")
    left = {"resolved": c.resolved_at, **dict.fromkeys(ends, c.closed_at)}.get(
        c.outcome or "", c.suspended_at if c.state == "suspended" else None
    )
    if (
        c.resolve_due is not None
        and c.resolve_due < day
        and (left is None or beijing_day(left) > day)
    ):
        return True
    return any(due < day and beijing_day(resolved or ended) > day
               for due, ended, resolved, _ in records)  # fmt: skip


def _count_outcomes(f: Figures, c: Case) -> None:
    f.by_kind[c.kind] += 1
    f.pending += c.state in OPEN
    f.terminated += c.outcome == "terminated"
    f.terminated_in_time += bool(
        c.outcome == "terminated"
        and c.closed_at is not None
        and c.resolve_due is not None
        and beijing_day(c.closed_at) <= c.resolve_due
    )
    f.rejected += c.outcome == "rejected"
    if c.outcome == "resolved" and c.amount_involved is not None:
        f.amount_fen += int(c.amount_involved * 100)
    f.mass += c.people_involved >= 5
