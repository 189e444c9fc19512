"""Msgids for the codes shown on pages (states, levels, lights, actions, party roles)."""

from __future__ import annotations

from datetime import date

from grassroots.cases.models import Case
from grassroots.i18n import N_

STATE_LABELS: dict[str, str] = {
    "registered": N_("Registered"),
    "accepted": N_("Accepted"),
    "in_progress": N_("In progress"),
    "suspended": N_("Suspended"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
    "rejected": N_("Rejected"),
    "terminated": N_("Terminated"),
}
LEVEL_LABELS: dict[str, str] = {
    "grid": N_("Grid"),
    "village": N_("Village"),
    "township": N_("Township"),
    "county": N_("County"),
    "city": N_("City"),
}
LIGHT_LABELS: dict[str, str] = {
    "green": N_("On time"),
    "yellow": N_("Due soon"),
    "red": N_("Overdue"),
    "none": N_("No deadline"),
}
KIND_LABELS: dict[str, str] = {"dispute": N_("Dispute"), "request": N_("Request")}
PARTY_ROLE_LABELS: dict[str, str] = {
    "applicant": N_("Applicant"),
    "respondent": N_("Respondent"),
    "third_party": N_("Third party"),
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def level_label(level: str | None) -> str:
    return LEVEL_LABELS.get(level or "", level or "—")


def light_of(case: Case, today: date) -> str:
    """The running clock's traffic light from the dates the case keeps (none if no clock)."""
    if case.clock_due_on is None:
        return "none"
    if today > case.clock_due_on:
        return "red"
    if case.clock_yellow_on is not None and today >= case.clock_yellow_on:
        return "yellow"
    return "green"
