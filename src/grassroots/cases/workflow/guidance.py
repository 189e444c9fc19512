"""The next step made obvious: which of the viewer's allowed actions the case waits for
(from the transition table and the state), who holds the case when the viewer cannot act,
what an action changed (the confirmation after it), and one line explaining each term."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from grassroots.cases.labels import DEADLINE_LABELS
from grassroots.cases.models import Case, CaseState
from grassroots.cases.workflow.transitions import Transition
from grassroots.i18n import N_

# What the case waits for in each state, most expected first (the viewer's allowed
# actions are intersected with it; at most two are highlighted).
EXPECTED: dict[str, tuple[str, ...]] = {
    CaseState.registered: ("accept", "reject"),
    CaseState.accepted: ("assign", "escalate"),
    CaseState.in_progress: ("resolve", "record_session"),
    CaseState.suspended: ("resume",),
    CaseState.resolved: ("follow_up", "close"),
}

# One line for each term of the workflow, where it appears (action buttons, the timeline).
JARGON: dict[str, str] = {
    "accept": N_("Take the case on at this centre; the time to resolve starts."),
    "reject": N_("Not a case to mediate here: tell the party the legal channel."),
    "assign": N_("Divert (分流) the case to a unit or mediator at this level who will handle it."),
    "share": N_("Handle jointly (共办) with another centre or unit, as lead or co-handler."),
    "unshare": N_("End the joint handling with a centre or unit."),
    "record_session": N_("Record one mediation session: when, who took part, what was said."),
    "record_agreement": N_("Record the mediation agreement the parties reached."),
    "city_reply": N_("Record the city's reply on a case held at city level."),
    "resolve": N_("The dispute is settled (化解); the follow-up visit is due next."),
    "terminate": N_("Mediation failed: the parties were told their legal routes."),
    "escalate": N_("Report up (上报) one level when this level cannot resolve it."),
    "refer_down": N_("Hand down (交办) one level to be resolved locally."),
    "extend": N_("Move the time to resolve by approved working days."),
    "suspend": N_("Suspend (中止): stop the clock while the case cannot go on."),
    "resume": N_("Restart the clock after a suspension; the deadline moves by the days paused."),
    "follow_up": N_("Follow-up (回访): was the agreement kept, are the parties satisfied?"),
    "close": N_("Close (结案) the case after the follow-up."),
    "reopen": N_("Rework (返工): send a resolved or closed case back to be handled again."),
    "link": N_("Link a related case, or mark this one as a repeat registration."),
    "unlink": N_("Remove a link between two cases."),
    "merge": N_(
        "Merge this repeat registration into the primary case: it closes as merged, its "
        "parties join the primary, and it is counted once. Cannot be undone."
    ),
    "supervise": N_("Supervision (督办): the deadline is near or past; the holder is reminded."),
}


def expected_actions(case: Case, allowed: Sequence[Transition]) -> list[str]:
    """The one or two allowed actions the case waits for now (close only after a follow-up)."""
    names = {t.action for t in allowed}
    wanted = [a for a in EXPECTED.get(case.state, ()) if a in names]
    if case.state == CaseState.resolved and case.satisfaction is not None and "close" in names:
        wanted = ["close"]
    return wanted[:2]


def holder_text(case: Case, t: Callable[[str], str]) -> str:
    """Who holds the case now: the centre, and the unit and person handling it if any."""
    parts = [case.holder.name]
    if case.unit is not None:
        parts.append(case.unit.name)
    if case.assignee is not None:
        parts.append(case.assignee.display_name)
    return t(N_("This case is held by %(holder)s.")) % {"holder": " · ".join(parts)}


DONE: dict[str, str] = {
    "accept": N_("Accepted"),
    "record_session": N_("Mediation session recorded"),
    "record_agreement": N_("Mediation agreement recorded"),
    "reject": N_("Not accepted"),
    "assign": N_("Diverted to %(place)s"),
    "escalate": N_("Reported up to %(place)s"),
    "refer_down": N_("Handed down to %(place)s"),
    "extend": N_("Deadline extended"),
    "suspend": N_("Suspended: the clock is stopped"),
    "resume": N_("Resumed"),
    "resolve": N_("Resolved"),
    "terminate": N_("Mediation terminated"),
    "follow_up": N_("Follow-up recorded"),
    "close": N_("Case closed"),
    "reopen": N_("Sent back for rework"),
    "mark_spam": N_("Marked as spam: left out of every figure"),
    "merge": N_("Merged into the primary case"),
}


def short_day(day: date, locale: str) -> str:
    return f"{day.month}月{day.day}日" if locale.startswith("zh") else day.strftime("%d %b %Y")


def done_message(action: str, case: Case, t: Callable[[str], str], locale: str) -> str:
    """What an action changed, e.g. 已上报至青石镇综治中心，化解期限 12月20日."""
    place = case.unit.name if action == "assign" and case.unit else case.holder.name
    if action == "assign" and case.assignee is not None:
        place = f"{place} · {case.assignee.display_name}"
    text = t(DONE.get(action, N_("Done"))) % {"place": place}
    label = DEADLINE_LABELS.get(case.state)
    if case.clock_due_on is not None and label is not None:
        text += t(N_(", %(deadline)s %(day)s")) % {
            "deadline": t(label), "day": short_day(case.clock_due_on, locale)}  # fmt: skip
    return text
