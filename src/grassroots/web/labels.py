"""Msgids for the codes shown on pages (states, levels, lights, actions, party roles)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from grassroots.cases.models import Case, Category, Source
from grassroots.cases.queries import DictionaryRow
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
    "province": N_("Province"),
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
PARTY_ROLE_LABELS: dict[str, str] = {
    "applicant": N_("Applicant"),
    "respondent": N_("Respondent"),
    "third_party": N_("Third party"),
}


def dictionary_name(entry: Category | Source | DictionaryRow, locale: str) -> str:
    """A category's or source's name in the UI language: the English name when the UI is
    English and one is set, else the Chinese name (dictionary data, edited by admins)."""
    return entry.name_en if locale == "en" and entry.name_en else entry.name


def dictionary_names(
    entries: Iterable[Category | Source | DictionaryRow], locale: str
) -> dict[str, str]:
    """code → name in the UI language, in the entries' order."""
    return {e.code: dictionary_name(e, locale) for e in entries}


_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def in_language(message: str, locale: str) -> str:
    """The half of a bilingual "中文 / English" message (Problem messages are written so)
    for the UI language; any other message unchanged."""
    chinese, sep, english = message.rpartition(" / ")
    if not sep or not _CJK.search(chinese) or _CJK.search(english) or not english.strip():
        return message
    return chinese if locale == "zh_CN" else english


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


ACTION_LABELS: dict[str, str] = {
    "register": N_("Register"),
    "accept": N_("Accept"),
    "reject": N_("Reject"),
    "assign": N_("Assign"),
    "share": N_("Share as joint case"),
    "record_session": N_("Record a mediation session"),
    "record_agreement": N_("Record the mediation agreement"),
    "resolve": N_("Resolve"),
    "terminate": N_("Terminate mediation"),
    "escalate": N_("Escalate"),
    "city_reply": N_("Record the city's reply"),
    "refer_down": N_("Refer down"),
    "extend": N_("Extend the deadline"),
    "suspend": N_("Suspend"),
    "resume": N_("Resume"),
    "follow_up": N_("Follow up"),
    "close": N_("Close"),
    "reopen": N_("Reopen"),
    "sweep": N_("Deadline sweep"),
    "unshare": N_("End joint handling"),
    "link": N_("Link a case"),
    "unlink": N_("Remove a link"),
    "linked": N_("Linked by another case"),
    "unlinked": N_("Link removed by another case"),
}

# Fields of the action inputs (grassroots.cases.schemas) → msgid of their label.
FIELD_LABELS: dict[str, str] = {
    "note": N_("Note"),
    "channel": N_("Legal channel the party was pointed to"),
    "reason": N_("Reason"),
    "unit_code": N_("Handling unit"),
    "mediator": N_("Mediator"),
    "held_on": N_("Held on"),
    "summary": N_("Summary"),
    "participants": N_("Participants (separated by commas)"),
    "terms": N_("Agreed terms"),
    "performance_manner": N_("Manner of performance"),
    "performance_deadline": N_("Performance deadline"),
    "judicial_confirmation": N_("Apply for judicial confirmation"),
    "outcome_note": N_("Outcome"),
    "reply": N_("The city's reply"),
    "replied_on": N_("Replied on"),
    "method": N_("Method"),
    "routes_told": N_("Legal routes the parties were told"),
    "days": N_("Working days"),
    "approved_by": N_("Approved by"),
    "performance": N_("Performance of the agreement"),
    "satisfaction": N_("Satisfaction"),
    "remaining_risk": N_("Remaining risk"),
    "jurisdiction_code": N_("Jurisdiction code"),
    "role": N_("Role"),
    "other_code": N_("Code of the other case"),
    "kind": N_("Kind of link"),
}

# Values of the enumerations and literals in the action inputs → msgid.
OPTION_LABELS: dict[str, str] = {
    "related": N_("Related case"),
    "duplicate": N_("This case is a duplicate of it (repeated registration)"),
    "litigation": N_("Litigation"),
    "arbitration": N_("Arbitration"),
    "labour_arbitration": N_("Labour dispute arbitration"),
    "administrative_review": N_("Administrative review"),
    "petition": N_("Letters and visits"),
    "administrative_department": N_("Competent administrative department"),
    "police": N_("Public security organ"),
    "satisfied": N_("Satisfied"),
    "basically_satisfied": N_("Basically satisfied"),
    "unsatisfied": N_("Unsatisfied"),
    "mediation_agreement": N_("Mediation agreement"),
    "oral_agreement": N_("Oral agreement"),
    "explanation": N_("Explanation and persuasion"),
    "handled": N_("Handled by the competent unit"),
    "performed": N_("Performed"),
    "partly_performed": N_("Partly performed"),
    "not_performed": N_("Not performed"),
    "none": N_("None"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "visit": N_("Home visit"),
    "phone": N_("Telephone"),
    "lead": N_("Lead handler"),
    "co": N_("Co-handler"),
}
