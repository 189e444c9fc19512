"""The figures of leads (docs/metrics.md, 线索): read from lead_tally (kept exact by every
write, grassroots.leads.reporting.tallies), never by scanning the leads — except 超期, which depends
on today and is one indexed count.

- 线索数 received: top-level leads received (sub-leads are parts of one lead);
- 已核查 verified: in state verified, replied or closed; 核查中 = received − verified;
- 超期 overdue: not yet verified and past the verification deadline today;
- 属实率 = (属实 + 部分属实) / 已核查 (undefined when nothing is verified);
- 转为案件数 to_case: leads whose verification registered a case;
- 清零率 = leads verified and replied (replied or closed) / leads received, for a batch
  (issuing body × batch), an issuing body, or everything; 清零 (cleared to zero) only at 100 %.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.leads.models import UNVERIFIED_STATES, Lead, LeadTally
from grassroots.leads.reporting.tallies import COUNTERS


class Figure(BaseModel):
    received: int = 0
    verified: int = 0
    verifying: int = 0
    overdue: int = 0
    replied: int = 0
    substantiated: int = 0
    partly: int = 0
    to_case: int = 0
    substantiation_rate: float | None = None
    clearance_rate: float | None = None
    cleared_to_zero: bool = False


class Group(BaseModel):
    key: str  # the source, category, issuing body, or "issuing body / batch"
    issuing_body: str = ""
    batch: str = ""
    figure: Figure


class FiguresOut(BaseModel):
    prefix: str
    year: int | None
    overall: Figure
    by_source: list[Group]
    by_category: list[Group]
    by_issuing_body: list[Group]
    by_batch: list[Group]


def finish(counts: dict[str, int], overdue: int = 0) -> Figure:
    f = Figure(**counts, overdue=overdue)
    f.verifying = f.received - f.verified
    if f.verified:
        f.substantiation_rate = round((f.substantiated + f.partly) / f.verified, 4)
    if f.received:
        f.clearance_rate = round(f.replied / f.received, 4)
        f.cleared_to_zero = f.replied == f.received
    return f


def _sum(rows: Iterable[LeadTally]) -> dict[str, int]:
    total = dict.fromkeys(COUNTERS, 0)
    for r in rows:
        for c in COUNTERS:
            total[c] += getattr(r, c)
    return total


def _groups(
    rows: list[LeadTally], key: Callable[[LeadTally], tuple[str, str]], label: str
) -> list[Group]:
    buckets: dict[tuple[str, str], list[LeadTally]] = defaultdict(list)
    for r in rows:
        buckets[key(r)].append(r)
    return [
        Group(key=k[0] if label == "one" else f"{k[0]} / {k[1]}", issuing_body=k[0] if
              label != "one" else "", batch=k[1], figure=finish(_sum(v)))
        for k, v in sorted(buckets.items())
    ]  # fmt: skip


def overdue_count(
    session: Session, prefix: str, received: tuple[date, date] | None, today: date
) -> int:
    query = select(func.count()).select_from(Lead).where(
        Lead.parent_id.is_(None), Lead.state.in_(UNVERIFIED_STATES), Lead.due_on < today,
        Lead.jurisdiction_code.startswith(prefix, autoescape=True),
    )  # fmt: skip
    if received is not None:
        query = query.where(Lead.received_on.between(*received))
    return session.scalar(query) or 0


def lead_figures(session: Session, prefix: str, year: int | None, today: date) -> FiguresOut:
    """The figures of the leads received in the subtree `prefix` (in `year`, or ever)."""
    days = (date(year, 1, 1), date(year, 12, 31)) if year is not None else None
    return period_figures(session, prefix, days, today, year)


def period_figures(
    session: Session, prefix: str, received: tuple[date, date] | None, today: date,
    year: int | None = None,
) -> FiguresOut:  # fmt: skip
    """The figures of the leads received in the subtree `prefix` between two days that
    begin and end months (a report's period), or ever; 超期 as of `today`."""
    query = select(LeadTally).where(LeadTally.jurisdiction_code.startswith(prefix, autoescape=True))
    if received is not None:
        first, last = (d.year * 100 + d.month for d in received)
        query = query.where((LeadTally.year * 100 + LeadTally.month).between(first, last))
    rows = list(session.scalars(query))
    handed = [r for r in rows if r.issuing_body]
    return FiguresOut(
        prefix=prefix, year=year,
        overall=finish(_sum(rows), overdue_count(session, prefix, received, today)),
        by_source=_groups(rows, lambda r: (r.source, ""), "one"),
        by_category=_groups(rows, lambda r: (r.category_code, ""), "one"),
        by_issuing_body=_groups(handed, lambda r: (r.issuing_body, ""), "one"),
        by_batch=_groups([r for r in handed if r.batch], lambda r: (r.issuing_body, r.batch),
                         "batch"),
    )  # fmt: skip
