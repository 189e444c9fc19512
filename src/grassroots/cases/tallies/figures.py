"""What one case adds to stats_figures: the report's split by kind (矛盾纠纷 / 诉求) and source,
with the outcomes an assessment asks for (issue 15, items 3, 4, 9, 10). The single definition
of each counter; grassroots.stats.recount counts the same from the cases in SQL.

Per case registered in the month (its place, kind and source_code):
- registered, accepted (`accepted_at` set), resolved / terminated / rejected (the outcome);
- terminated_in_time: 调解终止 on or before the resolve deadline (China date of `closed_at`,
  set by terminate), the parties told their legal routes (terminate requires them) —
  办结 when GRASSROOTS_TERMINATED_COUNTS_AS_CONCLUDED (grassroots.stats.figures.derived);
- pending (在办): still open (registered, accepted, in progress or suspended);
- followed_up_<outcome>, satisfied_<outcome>: 回访 of resolved, terminated and rejected cases,
  and those satisfied or basically satisfied;
- amount_fen: the amount involved (分) of resolved cases (协议涉及金额);
- mass (群体性纠纷): people_involved ≥ GRASSROOTS_MASS_DISPUTE_MIN_PEOPLE — after changing
  that setting, run `grassroots stats rebuild`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from grassroots.calendar.today import local_date
from grassroots.cases.models import OPEN_STATES
from grassroots.config import get_settings

# Case fields these counters read beyond those of grassroots.cases.tallies.contribution.
FIGURE_FIELDS: tuple[str, ...] = (
    "kind",
    "source_code",
    "people_involved",
    "amount_involved",
    "closed_at",
)
SATISFIED = frozenset({"satisfied", "basically_satisfied"})
OUTCOMES = ("resolved", "terminated", "rejected")
FigureKey = tuple[date, str, str, str, str, str]  # month, county, township, village, kind, source


def terminated_in_time(c: Mapping[str, Any]) -> bool:
    due: date | None = c["resolve_due"]
    ended: datetime | None = c["closed_at"]
    return (
        c["outcome"] == "terminated"
        and due is not None
        and ended is not None
        and local_date(ended) <= due
    )


def fen(amount: Decimal | None) -> int:
    return 0 if amount is None else int((amount * 100).to_integral_value())


def figure_counters(c: Mapping[str, Any], mass_min_people: int) -> dict[str, int]:
    outcome = c["outcome"]
    counters = {
        "registered": 1,
        "accepted": int(c["accepted_at"] is not None),
        "terminated_in_time": int(terminated_in_time(c)),
        "pending": int(c["state"] in OPEN_STATES),
        "amount_fen": fen(c["amount_involved"]) if outcome == "resolved" else 0,
        "mass": int((c["people_involved"] or 0) >= mass_min_people),
    }
    for o in OUTCOMES:
        counters[o] = int(outcome == o)
        counters[f"followed_up_{o}"] = int(outcome == o and c["satisfaction"] is not None)
        counters[f"satisfied_{o}"] = int(outcome == o and c["satisfaction"] in SATISFIED)
    return counters


def figure_contributions(c: Mapping[str, Any]) -> dict[tuple[str, Any], dict[str, int]]:
    """{("figures", key): counters} for one case (as a dict of fields)."""
    month = local_date(c["registered_at"]).replace(day=1)
    key: FigureKey = (
        month,
        c["county_code"],
        c["township_code"] or "",
        c["village_code"] or "",
        c["kind"],
        c["source_code"],
    )
    return {("figures", key): figure_counters(c, get_settings().mass_dispute_min_people)}
