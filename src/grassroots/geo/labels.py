"""Msgids for the geography's codes shown on pages: levels and kinds of unit."""

from __future__ import annotations

from grassroots.i18n import N_

LEVEL_LABELS: dict[str, str] = {
    "province": N_("Province"),
    "grid": N_("Grid"),
    "village": N_("Village"),
    "township": N_("Township"),
    "county": N_("County"),
    "city": N_("City"),
}
# geo.models.UnitKind → msgid
UNIT_KIND_LABELS: dict[str, str] = {
    "centre": N_("Comprehensive governance centre"),
    "judicial_office": N_("Judicial office"),
    "police_station": N_("Police station"),
    "mediation_committee": N_("People's mediation committee"),
    "department": N_("County department"),
    "court": N_("People's court"),
    "letters_office": N_("Letters and visits bureau"),
}


def level_label(level: str | None) -> str:
    return LEVEL_LABELS.get(level or "", level or "—")


def place_label(names: dict[str, str], *codes: str | None) -> str:
    """The names of a path of codes, top first: "青石镇 / 杨柳村 / 第3网格" (a code without a
    known name shows as itself; "—" when there is no code at all)."""
    shown = [names.get(c, c) for c in codes if c]
    return " / ".join(shown) or "—"
