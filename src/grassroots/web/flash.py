"""One-shot messages shown on the next page (after a redirect).

The cookie holds a message key from FLASH_MESSAGES and a short argument (e.g. a case code),
never free text, so nothing a user typed travels through it; the template escapes it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import Response

from grassroots.i18n import N_

COOKIE = "flash"

# key → (level, msgid with an optional {arg})
FLASH_MESSAGES: dict[str, tuple[str, str]] = {
    "case_registered": ("success", N_("Case {arg} registered.")),
    "case_updated": ("success", N_("Case {arg} updated.")),
    # what an action changed, composed by the case page in the user's language
    "case_acted": ("success", N_("Done: {arg}")),
    "case_edited": (
        "success",
        N_("Case {arg}: the changed details are saved and in the timeline."),
    ),
    "saved": ("success", N_("Saved.")),
    "attached": ("success", N_("Files attached: {arg}.")),
    "lead_from_matter": ("success", N_("Lead {arg} received from the matter found on the round.")),
    "user_created": ("success", N_("Account {arg} created.")),
    "signed_out": ("info", N_("You have signed out.")),
    "verify_ok": ("success", N_("Audit chain verified: {arg} rows intact.")),
    "verify_broken": ("danger", N_("Audit chain broken at row {arg}.")),
    "retry_queued": ("success", N_("Queued again: the outbox sends it on its next run.")),
    "outbox_cancelled": ("success", N_("Cancelled: {arg} document(s) will not be sent.")),
    "outbox_unchanged": (
        "warning",
        N_("Nothing changed: only a failed document can be retried, and a waiting one cancelled."),
    ),
    "not_retryable": (
        "warning",
        N_("Not retried: only a failed delivery (an SMS whose text is kept) can be sent again."),
    ),
}


@dataclass(frozen=True)
class Flash:
    level: str
    msgid: str
    arg: str


def set_flash(response: Response, key: str, arg: str = "") -> None:
    if key not in FLASH_MESSAGES:
        raise ValueError(f"unknown flash message {key!r}")
    response.set_cookie(COOKIE, quote(f"{key}|{arg[:160]}"), max_age=60, samesite="lax")


def pop_flash(request: Request, response: Response) -> Flash | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    response.delete_cookie(COOKIE)
    key, _, arg = unquote(raw).partition("|")
    if key not in FLASH_MESSAGES:
        return None
    level, msgid = FLASH_MESSAGES[key]
    return Flash(level, msgid, arg)
