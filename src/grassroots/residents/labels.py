"""What a resident reads about the case: each state and outcome in plain words (msgids;
zh_CN in the catalogue). Nothing here names anyone."""

from __future__ import annotations

from grassroots.i18n import N_

STATE_WORDS: dict[str, str] = {
    "registered": N_("Received, waiting to be accepted"),
    "accepted": N_("Accepted, being arranged"),
    "in_progress": N_("Being handled"),
    "suspended": N_("Paused; handling resumes later"),
    "resolved": N_("Resolved"),
    "closed": N_("Concluded"),
    "rejected": N_("Not accepted"),
    "terminated": N_("Mediation ended without agreement"),
    "spam": N_("Closed as not a genuine report"),
}

OUTCOME_WORDS: dict[str, str] = {
    "registered": N_("Your report has been received. The centre will accept it by the date shown."),
    "accepted": N_(
        "Your report has been accepted and is being passed to those who will handle it."
    ),
    "in_progress": N_("Your report is being handled. It should be resolved by the date shown."),
    "suspended": N_("Handling is paused for the time being; the time limit stops meanwhile."),
    "resolved": N_("The matter has been resolved. Please tell us whether you are satisfied."),
    "closed": N_("The matter has been resolved and the case concluded."),
    "rejected": N_(
        "The report was not accepted here, because it belongs to another channel: %(channel)s."
    ),
    "terminated": N_("Mediation did not lead to an agreement. You may still turn to: %(channel)s."),
    "spam": N_("The report was found not to be a genuine report and is not handled."),
}

CHANNEL_WORDS: dict[str, str] = {
    "litigation": N_("a court (litigation)"),
    "arbitration": N_("arbitration"),
    "labour_arbitration": N_("labour dispute arbitration"),
    "administrative_review": N_("administrative review"),
    "petition": N_("letters and visits"),
    "administrative_department": N_("the competent administrative department"),
    "police": N_("the police"),
}
DEFAULT_ROUTES = N_("a court, arbitration or other legal routes")

LEVEL_WORDS: dict[str, str] = {
    "village": N_("Village (community)"),
    "township": N_("Township (street)"),
    "county": N_("County"),
    "city": N_("City"),
}

RATING_WORDS: dict[str, str] = {
    "satisfied": N_("Satisfied"),
    "basically_satisfied": N_("Basically satisfied"),
    "unsatisfied": N_("Unsatisfied"),
}
