"""The meeting form ↔ MeetingIn: checkboxes of jurisdictions, outside partners one a line
("名称" or "名称 区划代码"), case codes separated by spaces or commas, and decision rows
(the filled ones kept). Errors go back under the form's own field names."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from grassroots.border.meetings.schemas import MeetingIn, MeetingOut, OutsideParty
from grassroots.web.forms import field_errors

DECISION_FIELDS = ("text", "owner", "due_on", "done")
BLANK_ROWS = 3
MAX_ROWS = 40
OUTSIDE_CODE = re.compile(r"^(.*\S)\s+([0-9]{6,12})$")


def as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def outside_parties(text: str) -> list[dict[str, Any]]:
    parties = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            m = OUTSIDE_CODE.match(line)
            parties.append({"name": m[1], "code": m[2]} if m else {"name": line})
    return parties


def split_codes(text: str) -> list[str]:
    """Codes typed into one field, separated by spaces or commas (either width) or 、."""
    return [c for c in re.split(r"[\s,，、]+", text) if c]


def outside_text(parties: list[OutsideParty]) -> str:
    """Outside participants as the form's lines ("名称" or "名称 区划代码")."""
    return "\n".join(f"{o.name} {o.code}" if o.code else o.name for o in parties)


def row_count(form: dict[str, Any]) -> int:
    """The number of decision rows the form was drawn with (at most MAX_ROWS)."""
    raw = str(form.get("decision_rows", ""))
    return min(int(raw), MAX_ROWS) if raw.isdigit() else 0


def _decisions(form: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    rows, kept = [], []
    for i in range(row_count(form)):
        raw = {f: str(form.get(f"d{i}-{f}", "")).strip() for f in DECISION_FIELDS}
        if raw["text"] or raw["owner"]:
            row: dict[str, Any] = {"text": raw["text"], "owner": raw["owner"],
                                   "done": raw["done"] == "1"}  # fmt: skip
            if raw["due_on"]:
                row["due_on"] = raw["due_on"]
            rows.append(row)
            kept.append(i)
    return rows, kept


def meeting_input(form: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The MeetingIn fields of the form, and the form rows of the decisions kept."""
    decisions, kept = _decisions(form)
    data = {
        "held_on": str(form.get("held_on", "")), "place": str(form.get("place", "")),
        "jurisdiction_codes": as_list(form.get("jurisdiction_codes")),
        "outside": outside_parties(str(form.get("outside", ""))),
        "topics": str(form.get("topics", "")), "notes": str(form.get("notes", "")),
        "case_codes": split_codes(str(form.get("case_codes", ""))),
        "decisions": decisions,
    }  # fmt: skip
    return data, kept


def _field_name(kept: list[int]) -> Callable[[tuple[Any, ...]], str]:
    def name(loc: tuple[Any, ...]) -> str:
        if loc[0] == "decisions" and len(loc) > 2 and isinstance(loc[1], int):
            return f"d{kept[loc[1]]}-{loc[2]}"
        return str(loc[0])

    return name


def validated(form: dict[str, Any], t: Callable[[str], str]) -> MeetingIn | dict[str, str]:
    """The MeetingIn of the form, or field name → translated message."""
    data, kept = meeting_input(form)
    try:
        return MeetingIn.model_validate(data)
    except ValidationError as exc:
        return field_errors(exc, t, _field_name(kept), "_form")


def form_values(m: MeetingOut) -> dict[str, Any]:
    """A stored meeting as the form's values (for the edit page)."""
    values: dict[str, Any] = {
        "held_on": m.held_on.isoformat(), "place": m.place, "topics": m.topics,
        "notes": m.notes, "jurisdiction_codes": [j.code for j in m.jurisdictions],
        "outside": outside_text(m.outside),
        "case_codes": " ".join(c.code for c in m.cases), "decision_rows": len(m.decisions),
    }  # fmt: skip
    for i, d in enumerate(m.decisions):
        values |= {f"d{i}-text": d.text, f"d{i}-owner": d.owner,
                   f"d{i}-due_on": d.due_on.isoformat() if d.due_on else "",
                   f"d{i}-done": "1" if d.done else ""}  # fmt: skip
    return values
