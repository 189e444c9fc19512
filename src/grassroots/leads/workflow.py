"""The leads workflow: one transition table (state × action → state, and who may act), the
verification policy in working days, and the labels of states, sources and findings.

  received --assign (unit / person)--> assigned        (coordinator)
  received --split (sub-leads for several units)--> assigned
  assigned --start--> verifying                        (verifier)
  verifying --note (notes, interim reports)--> verifying
  verifying --verify (finding, actions, maybe a case)--> verified
  verified --reply (the reply to the issuing body)--> replied   (coordinator)
  replied --return (退回重查)--> verifying
  replied --close--> closed

A coordinator holds lead.register and sees the lead by jurisdiction (centre staff, leaders);
a verifier is the person or a member of the unit it is assigned to. A split lead is verified
by its coordinator once every sub-lead is verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.i18n import N_
from grassroots.leads.models import Finding, LeadSource, LeadState

COORDINATOR = "coordinator"
VERIFIER = "verifier"
S = LeadState


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    who: str
    label: str


TABLE: dict[str, Step] = {
    "assign": Step(frozenset({S.received, S.assigned}), S.assigned, COORDINATOR, N_("Assign")),
    "split": Step(frozenset({S.received}), S.assigned, COORDINATOR, N_("Split among units")),
    "start": Step(frozenset({S.assigned}), S.verifying, VERIFIER, N_("Start verifying")),
    "note": Step(frozenset({S.verifying}), S.verifying, VERIFIER, N_("Add a note")),
    "verify": Step(
        frozenset({S.assigned, S.verifying}), S.verified, VERIFIER, N_("Record the finding")
    ),
    "reply": Step(frozenset({S.verified}), S.replied, COORDINATOR, N_("Reply to the issuing body")),
    "return": Step(
        frozenset({S.replied}), S.verifying, COORDINATOR, N_("Send back for re-verification")
    ),
    "close": Step(frozenset({S.replied}), S.closed, COORDINATOR, N_("Close")),
}  # fmt: skip

# Verification time by source when the issuing body sets no deadline (working days).
POLICY_DAYS: dict[str, int] = {
    LeadSource.report: 15,
    LeadSource.transfer: 15,
    LeadSource.assigned: 10,
    LeadSource.patrol: 15,
}
# An overdue lead is escalated to the jurisdiction above after this many working days late.
ESCALATE_AFTER_DAYS = 3

STATE_LABELS: dict[str, str] = {
    S.received: N_("Received"),
    S.assigned: N_("Assigned for verification"),
    S.verifying: N_("Verifying"),
    S.verified: N_("Verified"),
    S.replied: N_("Replied"),
    S.closed: N_("Closed"),
}
SOURCE_LABELS: dict[str, str] = {
    LeadSource.report: N_("Report"),
    LeadSource.transfer: N_("Transferred"),
    LeadSource.assigned: N_("Handed down"),
    LeadSource.patrol: N_("Found on a round"),
}
FINDING_LABELS: dict[str, str] = {
    Finding.substantiated: N_("Substantiated"),
    Finding.partly: N_("Partly substantiated"),
    Finding.unfounded: N_("Unfounded"),
    Finding.unverifiable: N_("Cannot be verified"),
}
ACTION_LABELS: dict[str, str] = {a: t.label for a, t in TABLE.items()} | {
    "create": N_("Received"),
    "overdue": N_("Overdue: supervised"),
    "escalate": N_("Overdue: escalated"),
    "supplement": N_("Informant added information"),
    "reveal": N_("Informant revealed"),
}
