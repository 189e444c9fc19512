"""The notice a resident agrees to before leaving a name or phone number (PIPL art. 14, 17:
who processes it, for what, how long, and the right to withdraw). Its version is kept with
the report, so a later change of wording does not rewrite what was agreed."""

from __future__ import annotations

from grassroots.i18n import N_

CONSENT_VERSION = "2026-12"
CONSENT_TEXT = N_(
    "Your name and mobile number are used only to handle this report: the governance centre "
    "and the staff handling it may contact you about it. They are stored encrypted, shown "
    "to staff masked, kept as long as the case file must be kept, and never given to "
    "anyone else. Leaving them is optional: without them the report is anonymous and the "
    "receipt code is your only way back to it. You may ask the centre to correct or "
    "delete them."
)
