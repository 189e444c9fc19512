"""The rows of a historical case: registered (and accepted) on the ledger's 受理日期, ended
on its 结案日期 with its outcome, every deadline computed on the calendar of those days.

A case 调解成功 is stored closed (the ledger is the closed record; its 回访情况 gives the
satisfaction), one 调解不成功 terminated, one 不予受理 rejected on its 结案日期 (else the day it
came in) without ever being accepted, one still 调解中 accepted with its resolve clock
running from the day it was accepted (so it is overdue today if the limit has passed).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from grassroots.calendar.today import local_midnight_utc
from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases import schemas as s
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.deadlines.policies import Policy, resolve_due_on
from grassroots.cases.intake.actions import case_row, event_row
from grassroots.cases.models import CaseKind
from grassroots.geo.models import Jurisdiction
from grassroots.ledgers.schemas import Entry

LEDGER_SOURCE = "ledger"  # 台账导入 (migration 0031_ledger_import)
OPENS_AT, ENDS_AT = timedelta(hours=9), timedelta(hours=17)  # China time on the ledger's days


def at(day: date, offset: timedelta) -> datetime:
    return local_midnight_utc(day) + offset


def new_case(entry: Entry, category_name: str) -> s.NewCase:
    """Registration's input; a case placed at its village (no grid, no point: checked
    already) is built without NewCase's "a point or a grid" rule."""
    first = entry.summary.splitlines()[0][:60]
    located = entry.located
    fields: dict[str, Any] = {
        "kind": CaseKind.dispute,
        "category_code": entry.category_code,
        "source_code": LEDGER_SOURCE,
        "title": f"{category_name}：{first}"[:200],
        "description": entry.summary,
        "grid_code": located.place.grid_code,
        "lat": located.lat,
        "lng": located.lng,
        "parties": entry.parties,
    }
    if located.without_grid:
        return s.NewCase.model_construct(**fields)
    return s.NewCase.model_validate(fields)


def _ending(entry: Entry, row: dict[str, Any], cal: WorkCalendar, p: Policy) -> dict[str, Any]:
    assert entry.closed_on is not None
    ended = at(entry.closed_on, ENDS_AT)
    note = entry.outcome_text or "台账导入"
    stopped = {"clock_started_on": None, "clock_due_on": None, "clock_yellow_on": None}
    if entry.outcome in ("terminated", "rejected"):
        return stopped | {
            "state": entry.outcome,
            "outcome": entry.outcome,
            "outcome_note": note,
            "closed_at": ended,
        }
    return stopped | {
        "state": "closed",
        "outcome": "resolved",
        "outcome_note": note,
        "resolved_at": ended,
        "resolved_level": row["level"],
        "closed_at": ended,
        "performance": entry.performance,
        "satisfaction": entry.satisfaction,
        "follow_up_due": cal.add_working_days(entry.closed_on, p.follow_up_days),
    }


def historical_row(
    entry: Entry,
    data: s.NewCase,
    holder: Jurisdiction,
    actor_id: int,
    cal: WorkCalendar,
    p: Policy,
) -> dict[str, Any]:
    """The case's columns as they stand after its ledger history (without its code)."""
    opened = at(entry.accepted_on, OPENS_AT)
    place = entry.located.place
    row = case_row(data, place, holder.id, holder.level, actor_id, opened, cal, p.accept_days)
    due = resolve_due_on(cal, entry.accepted_on, p)
    row |= {
        "accepted_at": opened,
        "state": "accepted",
        "resolve_due": due,
        "updated_at": opened,
        "outcome": None,
        "resolved_at": None,
        "resolved_level": None,
        "closed_at": None,
        "performance": None,
        "satisfaction": None,
        "follow_up_due": None,
        "clock_started_on": entry.accepted_on,
        "clock_due_on": due,
        "clock_yellow_on": clk.yellow_from(cal, entry.accepted_on, due),
        "assignee_id": None,
    }
    if entry.outcome == "rejected":  # 不予受理: never accepted, no time to resolve
        row |= {"accepted_at": None, "resolve_due": None}
    if entry.outcome != "open":
        row |= _ending(entry, row, cal, p)
    return row


def history_events(row: dict[str, Any], entry: Entry) -> list[dict[str, Any]]:
    """The register event (with the ledger row) and the accept and ending events."""
    register = event_row(row, f"台账导入（第{entry.row}行）", len(entry.parties))
    register["details"] = register["details"] | {
        "ledger_row": entry.row,
        "by_village": entry.located.by_village,
    }
    same = {k: register[k] for k in ("actor_id", "level", "holder_jurisdiction_id", "unit_id")}
    if row["state"] == "rejected":
        return [register, same | _ending_event("reject", row, "registered", "rejected")]
    events = [
        register,
        same
        | {
            "action": "accept",
            "at": row["accepted_at"],
            "note": "",
            "from_state": "registered",
            "to_state": "accepted",
            "details": {},
        },
    ]
    if row["state"] == "terminated":
        events.append(same | _ending_event("terminate", row, "accepted", "terminated"))
    elif row["state"] == "closed":
        events.append(
            same
            | {
                "action": "resolve",
                "at": row["resolved_at"],
                "details": {},
                "from_state": "accepted",
                "to_state": "resolved",
                "note": row["outcome_note"],
            }
        )
        events.append(
            same
            | {
                "action": "close",
                "at": row["closed_at"],
                "details": {},
                "from_state": "resolved",
                "to_state": "closed",
                "note": "",
            }
        )
    return events


def _ending_event(action: str, row: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    return {
        "action": action,
        "at": row["closed_at"],
        "details": {},
        "from_state": before,
        "to_state": after,
        "note": row["outcome_note"],
    }
