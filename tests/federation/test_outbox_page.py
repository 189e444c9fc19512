"""The administrator's outbox of documents to partner deployments (/admin/partners/outbox):
state, attempts, last error, next attempt and what a document waits for; retry a failed
one, cancel one that will never go (with the later ones of its case); the deployment's
administrators only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from grassroots.config import get_settings
from grassroots.db import utcnow
from grassroots.federation.actions import (
    do_cancel_outgoing,
    do_ensure_key,
    do_send_message,
    do_share_with_partner,
)
from grassroots.federation.models import FederationLink, FederationOutgoing
from grassroots.federation.queries import current_key, own_code
from grassroots.federation.schemas import LinkMessageIn, ShareIn
from grassroots.federation.sending import claim, drain, private_key, record
from grassroots.geo.models import Jurisdiction
from tests.federation.conftest import FakePartner
from tests.federation.test_pages import _our_case

OUTBOX = "/admin/partners/outbox"


def _rows(session: Session) -> list[FederationOutgoing]:
    session.expire_all()
    return list(session.scalars(select(FederationOutgoing).order_by(FederationOutgoing.id)))


def _two_documents(
    client_as: Any, session: Session, users: Any, sessions: sessionmaker[Session],
    partner: FakePartner,
) -> FederationLink:  # fmt: skip
    """Our case shared (document 1, failed once: nobody listens) and a message (2, waiting)."""
    case = session.scalar(select(Case).where(Case.code == _our_case(client_as, session, users)))
    assert case is not None
    link = do_share_with_partner(session, case, ShareIn(partner_code=partner.code),
                                 actor=users["zhao"])  # fmt: skip
    do_send_message(session, link, LinkMessageIn(text="第二份"), actor=users["zhao"])
    signer = (own_code(session), current_key(session))
    assert drain(sessions, utcnow(), get_settings(), signer)["failed"] == 1
    return link


def _actions(session: Session) -> list[str]:
    found = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.like("federation.o%"))
        .order_by(AuditEntry.id)
    )
    return list(found)


def test_the_outbox_lists_retries_and_cancels(client_as: Any, session: Session, users: Any,
                                              session_factory: sessionmaker[Session],
                                              partner: FakePartner) -> None:  # fmt: skip
    link = _two_documents(client_as, session, users, session_factory, partner)
    first, second = _rows(session)
    admin = client_as("admin")
    page = admin.get(OUTBOX)
    assert page.status_code == 200 and "ConnectError" in page.text
    assert f'id="outgoing-{first.id}"' in page.text and "等待第 1 份" in page.text
    failed = admin.get(OUTBOX, params={"state": "failed"}).text
    assert f'id="outgoing-{first.id}"' in failed and f'id="outgoing-{second.id}"' not in failed
    assert admin.get(OUTBOX, params={"state": "nonsense"}).status_code == 422
    r = admin.post(f"{OUTBOX}/{second.id}/retry", follow_redirects=False)  # pending: no retry
    assert r.status_code == 303 and "outbox_unchanged" in r.headers["set-cookie"]
    before = utcnow()
    assert admin.post(f"{OUTBOX}/{first.id}/retry", follow_redirects=False).status_code == 303
    first, second = _rows(session)
    assert first.next_attempt_at <= utcnow() and first.next_attempt_at >= before
    assert (first.state, first.attempts) == ("failed", 1)
    r = admin.post(f"{OUTBOX}/{first.id}/cancel", follow_redirects=False)
    assert r.status_code == 303 and "outbox_cancelled" in r.headers["set-cookie"]
    assert [(o.state, o.last_error) for o in _rows(session)] == [("gave_up", "cancelled")] * 2
    session.refresh(link)
    assert link.out_seq == 0  # the next document takes number 1 again
    assert admin.post(f"{OUTBOX}/{first.id}/cancel", follow_redirects=False).status_code == 303
    assert admin.post(f"{OUTBOX}/999999/retry").status_code == 404
    do_send_message(session, link, LinkMessageIn(text="重新开始"), actor=users["zhao"])
    signer = (own_code(session), current_key(session))
    drain(session_factory, utcnow(), get_settings(), signer)  # not held up by the cancelled
    assert [(o.seq, o.attempts) for o in _rows(session)][-1] == (1, 1)
    assert "已取消" in admin.get(OUTBOX).text
    assert _actions(session) == ["federation.outgoing_retried", "federation.outgoing_cancelled",
                                 "federation.outbox_read"]  # fmt: skip


def test_only_the_deployments_administrators_see_the_outbox(
    client_as: Any, session: Session, users: Any, session_factory: sessionmaker[Session],
    partner: FakePartner,
) -> None:  # fmt: skip
    _two_documents(client_as, session, users, session_factory, partner)
    first = _rows(session)[0]
    assert client_as("zhao").get(OUTBOX).status_code == 403  # no config.write
    assert client_as("zhao").post(f"{OUTBOX}/{first.id}/cancel").status_code == 403
    admin = session.scalar(select(User).where(User.username == "admin"))
    township = session.scalar(select(Jurisdiction).where(Jurisdiction.code == "990101002000"))
    assert admin is not None and township is not None
    admin.jurisdiction_id = township.id  # an administrator of a township only
    session.commit()
    client = client_as("admin")
    assert client.get(OUTBOX).status_code == 404
    assert client.post(f"{OUTBOX}/{first.id}/cancel").status_code == 404
    assert _rows(session)[0].state == "failed"  # nothing changed
    denied = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "federation.outbox_read")
    )
    assert [d.result for d in denied] == ["denied", "denied"]


def test_a_document_cancelled_on_its_way_stays_cancelled_unless_it_arrived(
    client_as: Any, session: Session, users: Any, session_factory: sessionmaker[Session],
    partner: FakePartner,
) -> None:  # fmt: skip
    link = _two_documents(client_as, session, users, session_factory, partner)
    first = _rows(session)[0]
    key = (private_key(do_ensure_key(session)), None)
    for error, state, numbering in (("HTTP 500 ", "gave_up", 0), (None, "sent", 1)):
        later = _rows(session)[0].next_attempt_at
        with session_factory() as s:
            taken = claim(s, first.id, later, own_code(s), key)  # the job takes it ...
        assert taken is not None
        do_cancel_outgoing(session, _rows(session)[0], actor=users["admin"])  # ... cancelled
        with session_factory() as s:
            assert record(s, taken, error, later, get_settings()) == state
        session.refresh(link)
        assert _rows(session)[0].state == state and link.out_seq == numbering
        assert _rows(session)[1].state == "gave_up"
        if state == "gave_up":  # undo the cancel for the second round (test set-up only)
            for row in _rows(session):
                row.state = "failed"
            link.out_seq = 2
            session.commit()


def test_the_outbox_pages_by_id_newest_first(client_as: Any, session: Session, users: Any,
                                             session_factory: sessionmaker[Session],
                                             partner: FakePartner) -> None:  # fmt: skip
    """Pages of the outbox cover every document once, newest first, in the chosen state; the
    page links keep the state; the page before a row shows only older ones."""
    from grassroots.federation.queries import outbox

    link = _two_documents(client_as, session, users, session_factory, partner)
    for n in range(3):
        do_send_message(session, link, LinkMessageIn(text=f"第{n + 3}份"), actor=users["zhao"])
    ids = [o.id for o in _rows(session)][::-1]  # newest first
    seen, before = [], None
    while True:
        page = outbox(session, None, before, size=2)
        seen += [d.row.id for d in page.documents]
        if page.older is None:
            break
        before = page.older
    assert seen == ids
    assert [d.row.id for d in outbox(session, "failed", None, size=2).documents] == [ids[-1]]
    admin = client_as("admin")
    older = admin.get(OUTBOX, params={"before": ids[1]}).text
    assert f'id="outgoing-{ids[2]}"' in older and f'id="outgoing-{ids[1]}"' not in older
    assert 'id="outbox-newest"' in older and 'id="outbox-older"' not in older
    assert admin.get(OUTBOX, params={"before": "x"}).status_code == 422
    assert admin.get(OUTBOX, params={"before": "0"}).status_code == 422
