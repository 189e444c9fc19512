"""The case list page's filters as typed in the form, turned into the case domain's
CaseFilter (grassroots.cases.queries does the reading, scope and keyset paging)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.orm import Session

from grassroots.cases.listing.queries import CaseFilter
from grassroots.errors import Problem
from grassroots.scope import current_jurisdiction

PAGE_SIZE = 25
OPEN = "open"  # the state filter's 在办 choice


@dataclass(frozen=True)
class PageFilters:
    state: str = ""  # a state's code, or "open": every open state (在办)
    category: str = ""
    level: str = ""
    jurisdiction: str = ""  # any code: the subtree below it
    grid: str = ""
    light: str = ""  # green / yellow / red
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    queue: str = ""  # a work queue's name (cases.queues.queries.QUEUES)
    kind: str = ""  # dispute / request
    figure: str = ""  # the cases behind a statistics figure (listing.queries.FIGURES)

    def query_items(self) -> list[tuple[str, str]]:
        """The non-empty filters as query parameters (for paging and export links)."""
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ("", None):
                out.append((f.name, value.isoformat() if isinstance(value, date) else value))
        return out


def case_filter(session: Session, f: PageFilters) -> CaseFilter:
    place_code = f.grid or f.jurisdiction
    place = current_jurisdiction(session, place_code) if place_code else None
    if place_code and place is None:
        raise Problem(
            422, "unknown_jurisdiction", f"区划 {place_code} 不存在 / unknown jurisdiction"
        )
    return CaseFilter(
        state=(f.state,) if f.state and f.state != OPEN else (),
        open=True if f.state == OPEN else None,
        category=f.category or None,
        level=f.level or None,
        jurisdiction=place,
        light=f.light or None,
        registered_from=f.date_from,
        registered_to=f.date_to,
        text=f.q.strip() or None,
        kind=f.kind or None,
        figure=f.figure or None,
    )
