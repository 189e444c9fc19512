"""Msgids for the case's codes shown on pages: states, lights, kinds, party roles, actions,
the action forms' fields and options. Registered as template globals by cases.pages."""

from __future__ import annotations

from datetime import date

from grassroots.calendar.workdays import WorkCalendar
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
LIGHT_LABELS: dict[str, str] = {
    "green": N_("On time"),
    "yellow": N_("Due soon"),
    "red": N_("Overdue"),
    "none": N_("No deadline"),
}
KIND_LABELS: dict[str, str] = {"dispute": N_("Dispute"), "request": N_("Request")}
# The statistics figure a list shows the cases of (cases.listing.queries.FIGURES).
FIGURE_LABELS: dict[str, str] = {
    "registered": N_("Cases registered"),
    "accepted": N_("Cases accepted"),
    "resolved": N_("Cases resolved"),
    "satisfied": N_("Satisfied at follow-up"),
    "violence_risk": N_("Risk of turning violent"),
    "violence_resolved": N_("Violence prevented"),
    "overdue": N_("Overdue today"),
}
PARTY_ROLE_LABELS: dict[str, str] = {
    "applicant": N_("Applicant"),
    "respondent": N_("Respondent"),
    "third_party": N_("Third party"),
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


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
    "mark_spam": N_("Mark as spam"),
    "assign": N_("Assign"),
    "reassign": N_("Reassign the work order to another unit"),
    "return_order": N_("Return the work order to the 12345 platform"),
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
    "pursue_performance": N_("Agreement not performed: route taken"),
    "close": N_("Close"),
    "reopen": N_("Reopen"),
    "sweep": N_("Deadline sweep"),
    "unshare": N_("End joint handling"),
    "link": N_("Link a case"),
    "unlink": N_("Remove a link"),
    "linked": N_("Linked by another case"),
    "unlinked": N_("Link removed by another case"),
    "merge": N_("Merge into the primary case"),
    "merged_in": N_("A repeat registration was merged into this case"),
    "edit": N_("Edit case details"),
    "recompute": N_("Deadline recomputed after a calendar change"),
}

# What an edit (cases.editing) changed → msgid of its label on the timeline.
EDIT_LABELS: dict[str, str] = {
    "category_code": N_("Category"),
    "kind": N_("Kind"),
    "lat": N_("Latitude"),
    "lng": N_("Longitude"),
    "grid_code": N_("Grid"),
    "county_code": N_("County"),
    "township_code": N_("Township"),
    "village_code": N_("Village"),
    "holder": N_("Holding centre"),
    "address": N_("Address"),
    "risk_level": N_("Risk level"),
    "violence_risk": N_("Risk of turning violent (civil to criminal)"),
    "party": N_("Party added"),
    "party.role": N_("Party's role"),
    "party.name": N_("Party's name"),
    "party.phone": N_("Party's phone"),
    "party.id_number": N_("Party's ID number"),
    "party.address": N_("Party's address"),
    "accept_due": N_("Time to accept"),
    "resolve_due": N_("Time to resolve"),
    "follow_up_due": N_("Time to follow up"),
}

# Fields of the action inputs (grassroots.cases.schemas) → msgid of their label.
FIELD_LABELS: dict[str, str] = {
    "note": N_("Note"),
    "channel": N_("Legal channel the party was pointed to"),
    "reason": N_("Reason"),
    "return_reason": N_("Why the order is returned"),
    "unit_code": N_("Handling unit"),
    "mediator": N_("Mediator"),
    "held_on": N_("Held on"),
    "summary": N_("Summary"),
    "participants": N_("Participants (separated by commas)"),
    "terms": N_("Agreed terms"),
    "form": N_("Form of the agreement"),
    "responsibilities": N_("Responsibilities of the parties"),
    "performance_place": N_("Place of performance"),
    "parties_consent": N_("The parties consent to the extension"),
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
    "route": N_("Route taken"),
    "applied_on": N_("Joint application for judicial confirmation filed on"),
    "satisfaction": N_("Satisfaction"),
    "remaining_risk": N_("Remaining risk"),
    "jurisdiction_code": N_("Jurisdiction"),
    "role": N_("Role"),
    "other_code": N_("Code of the other case"),
    "kind": N_("Kind of link"),
    "primary_code": N_("Code of the primary case"),
}

# Values of the enumerations and literals in the action inputs → msgid.
OPTION_LABELS: dict[str, str] = {
    "related": N_("Related case"),
    "not_our_duty": N_("Not this unit's duty"),
    "outside_area": N_("Outside this jurisdiction"),
    "duplicate_order": N_("Duplicate work order"),
    "incomplete_order": N_("Request unclear, caller unreachable"),
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
    "written": N_("Written agreement"),
    "oral": N_("Oral agreement recorded by the mediator"),
    "oral_agreement": N_("Oral agreement"),
    "explanation": N_("Explanation and persuasion"),
    "handled": N_("Handled by the competent unit"),
    "performed": N_("Performed"),
    "partly_performed": N_("Partly performed"),
    "not_performed": N_("Not performed"),
    "urge": N_("Urge performance (then follow up again)"),
    "judicial_confirmation": N_("Judicial confirmation by the court"),
    "none": N_("None"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "visit": N_("Home visit"),
    "phone": N_("Telephone"),
    "lead": N_("Lead handler"),
    "co": N_("Co-handler"),
}


# Which deadline the running clock measures, by state (the sweep's STAGE_OF_STATE, named).
DEADLINE_LABELS: dict[str, str] = {
    "registered": N_("Time to accept"),
    "accepted": N_("Time to resolve"),
    "in_progress": N_("Time to resolve"),
    "resolved": N_("Time to follow up"),
}


def deadline_badge(cal: WorkCalendar, case: Case, today: date) -> tuple[str, str, int] | None:
    """(label, "left" or "late", n): n working days left until the running clock's due date
    (0 on the day itself), or n calendar days past it; None while no clock runs."""
    due, label = case.clock_due_on, DEADLINE_LABELS.get(case.state)
    if due is None or label is None:
        return None
    if today > due:
        return label, "late", (today - due).days
    return label, "left", cal.working_days_between(today, due)
