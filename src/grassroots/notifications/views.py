"""One notice as the API and the pages show it, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from grassroots.notifications.kinds import kind_label, notice_text
from grassroots.notifications.models import Notification
from grassroots.notifications.schemas import NoticeOut


def notice_out(notice: Notification, gettext: Callable[[str], str]) -> NoticeOut:
    return NoticeOut(
        id=notice.id,
        kind=notice.kind,
        label=gettext(kind_label(notice.kind)),
        text=notice_text(notice.kind, notice.params, gettext),
        case_code=notice.case_code,
        case_url=f"/cases/{notice.case_code}" if notice.case_code else None,
        created_at=notice.created_at,
        read=notice.read_at is not None,
    )
