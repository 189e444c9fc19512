"""The hazard form ↔ HazardIn: the place as a point (latitude, longitude) or a polygon
(GeoJSON geometry pasted or drawn elsewhere), owners as checkboxes and lines, linked cases as
codes and linked meetings as checkboxes. Errors go back under the form's own field names."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from grassroots.border.hazards.schemas import HazardIn, HazardOut
from grassroots.border.meetings.forms import as_list, outside_parties, outside_text, split_codes
from grassroots.web.forms import field_errors

TEXT_FIELDS = ("name", "kind", "risk", "description", "measures")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # refused by the validator with its own message


def _geometry(form: dict[str, Any]) -> Any:
    polygon = str(form.get("polygon", "")).strip()
    if polygon:
        try:
            return json.loads(polygon)
        except ValueError:
            return polygon  # not an object: refused by the validator
    lat, lng = str(form.get("lat", "")).strip(), str(form.get("lng", "")).strip()
    if not lat and not lng:
        return None
    return {"type": "Point", "coordinates": [_number(lng), _number(lat)]}


def hazard_input(form: dict[str, Any]) -> dict[str, Any]:
    data = {k: str(form.get(k, "")) for k in TEXT_FIELDS}
    return data | {
        "geometry": _geometry(form),
        "jurisdiction_codes": as_list(form.get("jurisdiction_codes")),
        "outside": outside_parties(str(form.get("outside", ""))),
        "case_codes": split_codes(str(form.get("case_codes", ""))),
        "meeting_ids": as_list(form.get("meeting_ids")),
    }


def validated(form: dict[str, Any], t: Callable[[str], str]) -> HazardIn | dict[str, str]:
    """The HazardIn of the form, or field name → translated message (the place's errors
    under the polygon box when one was given, else under the latitude)."""
    place = "polygon" if str(form.get("polygon", "")).strip() else "lat"
    try:
        return HazardIn.model_validate(hazard_input(form))
    except ValidationError as exc:
        return field_errors(exc, t, lambda loc: place if loc[0] == "geometry" else str(loc[0]),
                            "_form")  # fmt: skip


def form_values(h: HazardOut) -> dict[str, Any]:
    """A stored hazard as the form's values (for the edit page)."""
    g = h.geometry
    point = g["coordinates"] if g.get("type") == "Point" else None
    return {
        "name": h.name, "kind": h.kind, "risk": h.risk, "description": h.description,
        "measures": h.measures, "jurisdiction_codes": [j.code for j in h.jurisdictions],
        "outside": outside_text(h.outside), "case_codes": " ".join(c.code for c in h.cases),
        "meeting_ids": [str(m.id) for m in h.meetings],
        "lat": str(point[1]) if point else "", "lng": str(point[0]) if point else "",
        "polygon": "" if point else json.dumps(g, ensure_ascii=False),
    }  # fmt: skip
