"""The kinds of notice and the sentence each says, in the reader's language.

The parameters come from notifications.models.Notification.params: code (the case code),
category (its category name), place (the unit or jurisdiction concerned), actor (the
display name of the staff member who acted), due (a date), late (working
days past it). Nothing else is ever stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from grassroots.i18n import N_

# kind → (short label, sentence with %(name)s placeholders). Order: how a person reads them.
KINDS: dict[str, tuple[str, str]] = {
    "assigned": (
        N_("Assigned"),
        N_("Case %(code)s (%(category)s) was assigned to %(place)s by %(actor)s."),
    ),
    "shared": (
        N_("Shared"),
        N_("Case %(code)s (%(category)s) is shared with %(place)s by %(actor)s."),
    ),
    "escalated": (
        N_("Escalated"),
        N_("Case %(code)s (%(category)s) was escalated to %(place)s by %(actor)s."),
    ),
    "auto_escalated": (
        N_("Escalated automatically"),
        N_(
            "Case %(code)s (%(category)s) was escalated to %(place)s automatically: "
            "its deadline passed."
        ),
    ),
    "referred_down": (
        N_("Referred down"),
        N_("Case %(code)s (%(category)s) was referred down to %(place)s by %(actor)s."),
    ),
    "deadline_yellow": (
        N_("Due soon"),
        N_("Case %(code)s (%(category)s) is due on %(due)s."),
    ),
    "deadline_red": (
        N_("Overdue"),
        N_("Case %(code)s (%(category)s) is overdue: it was due on %(due)s."),
    ),
    "deadline_reminder": (
        N_("Reminder"),
        N_(
            "Case %(code)s (%(category)s) is still not accepted, %(late)s working days "
            "after its deadline %(due)s."
        ),
    ),
    "supervise_accept": (
        N_("Supervise"),
        N_(
            "Case %(code)s (%(category)s) at %(place)s is still not accepted: it was due "
            "on %(due)s (%(late)s working days late). Please supervise it or accept it."
        ),
    ),
    "returned": (
        N_("Returned for rework"),
        N_("Case %(code)s (%(category)s) was returned for rework by %(actor)s."),
    ),
    "mentioned": (
        N_("Mentioned"),
        N_("%(actor)s mentioned you in a note on case %(code)s (%(category)s)."),
    ),
}
PARAMS = ("code", "category", "place", "actor", "due", "late")


def kind_label(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else kind


def notice_text(kind: str, params: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    """The sentence of a notice, translated by `gettext`, its parameters filled in."""
    if kind not in KINDS:
        return kind
    values = {name: str(params.get(name, "")) for name in PARAMS}
    return gettext(KINDS[kind][1]) % values
