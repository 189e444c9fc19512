"""The outbox of signed documents, against a partner that does not answer (a closed port on
127.0.0.1): per case, document n+1 waits until n is acknowledged; a failure is retried after
a backoff that doubles up to an hour; a document is never given up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.cases.models import Case
from grassroots.config import get_settings
from grassroots.db import utcnow
from grassroots.federation.actions import do_send_message, do_share_with_partner
from grassroots.federation.models import FederationOutgoing
from grassroots.federation.queries import current_key, own_code
from grassroots.federation.schemas import LinkMessageIn, ShareIn
from grassroots.federation.sending import drain
from grassroots.jobs.registry import job_named
from tests.federation.conftest import FakePartner
from tests.federation.test_pages import _our_case


def _rows(session: Session) -> list[FederationOutgoing]:
    session.expire_all()
    return list(session.scalars(select(FederationOutgoing).order_by(FederationOutgoing.seq)))


def test_order_backoff_and_no_giving_up(client_as: Any, session: Session, users: Any,
                                        session_factory: sessionmaker[Session],
                                        partner: FakePartner) -> None:  # fmt: skip
    code = _our_case(client_as, session, users)
    ours = session.scalar(select(Case).where(Case.code == code))
    assert ours is not None
    link = do_share_with_partner(session, ours, ShareIn(partner_code=partner.code),
                                 actor=users["zhao"])  # fmt: skip
    do_send_message(session, link, LinkMessageIn(text="第二份"), actor=users["zhao"])
    settings, now = get_settings(), utcnow()
    signer = (own_code(session), current_key(session))
    assert drain(session_factory, now, settings, signer) == {"sent": 0, "failed": 1}
    first, second = _rows(session)
    assert (first.state, first.attempts, second.attempts) == ("failed", 1, 0)  # 2 waits for 1
    assert "ConnectError" in first.last_error
    retry = timedelta(seconds=settings.federation_retry_seconds)
    assert first.next_attempt_at == now + retry
    assert drain(session_factory, now + retry / 2, settings, signer)["failed"] == 0  # backoff
    for attempt in range(2, 14):  # the wait doubles, at most an hour; never given up
        later = _rows(session)[0].next_attempt_at
        drain(session_factory, later, settings, signer)
        first, second = _rows(session)
        wait = min(retry * 2 ** (attempt - 1), timedelta(hours=1))
        assert (first.attempts, first.state, second.attempts) == (attempt, "failed", 0)
        assert first.next_attempt_at == later + wait


def test_the_outbox_job_is_registered() -> None:
    assert job_named("federation_outbox").run.__name__ == "federation_outbox"
