"""The status of a 边界隐患 and its transitions: 排查 → 防范化解 → 化解 / 长期管控.

A hazard found (排查, screening) is worked on (防范化解, preventing); it ends resolved (化解)
or, where the dispute cannot be settled for good (a boundary not yet surveyed, a seasonal
grazing quarrel), kept under long-term control (长期管控), which may be reopened or resolved
later. 化解 is final. Only the moves below are allowed; each is an entry of the timeline."""

from __future__ import annotations

from grassroots.i18n import N_

SCREENING, PREVENTING, RESOLVED, CONTROLLED = "screening", "preventing", "resolved", "controlled"
STATUSES = (SCREENING, PREVENTING, RESOLVED, CONTROLLED)
TRANSITIONS: dict[str, frozenset[str]] = {
    SCREENING: frozenset({PREVENTING}),
    PREVENTING: frozenset({RESOLVED, CONTROLLED}),
    CONTROLLED: frozenset({PREVENTING, RESOLVED}),
    RESOLVED: frozenset(),
}
SETTLED = frozenset({RESOLVED, CONTROLLED})  # 防范化解 counted (docs/metrics.md)
STATUS_LABELS = {
    SCREENING: N_("Screening"), PREVENTING: N_("Preventing and defusing"),
    RESOLVED: N_("Resolved"), CONTROLLED: N_("Long-term control"),
}  # fmt: skip
KINDS = ("pasture", "forest", "water", "land", "other")
KIND_LABELS = {"pasture": N_("Pasture boundary"), "forest": N_("Forest boundary"),
               "water": N_("Water boundary"), "land": N_("Land boundary"),
               "other": N_("Other boundary matter")}  # fmt: skip
RISKS = ("high", "medium", "low")
RISK_LABELS = {"high": N_("High risk"), "medium": N_("Medium risk"), "low": N_("Low risk")}


def may_move(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())
