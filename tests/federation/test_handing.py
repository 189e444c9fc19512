"""交办 on the receiving side: a partner's case asked of our county is handed by the county's
centre to a township (API and page), which then handles it and counts it as 参与联调; handing
outside one's subtree, to a grid, to the same place or our own case is refused and changes
nothing; every handing is audited (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.federation.models import FederationLink
from grassroots.geo.models import Jurisdiction
from grassroots.joint.figures import joint_figures
from tests.federation.conftest import PATH, FakePartner, shared_body
from tests.federation.test_pages import THEIRS, _our_case

COUNTY, QINGSHI, LIUHE = "990101000000", "990101002000", "990101001000"
HAND = "/api/v1/federation/links/{}/hand"


def _received(client: Any, session: Session, partner: FakePartner) -> FederationLink:
    body = shared_body(to=COUNTY)
    raw, headers = partner.request(partner.document("joint_case.shared", THEIRS, 1, body))
    assert client.post(PATH, content=raw, headers=headers).status_code == 202
    link = session.scalar(select(FederationLink).where(FederationLink.case_code == THEIRS))
    assert link is not None and link.jurisdiction is not None
    assert link.jurisdiction.code == COUNTY
    return link


def _joined(session: Session, prefix: str) -> int:
    today = date.today()
    days = (today - timedelta(days=3), today + timedelta(days=3))
    return joint_figures(session, prefix, days).joined


def _handed(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "federation.link_handed")
    ).all()
    return [dict(r.details or {}) for r in rows]


def test_the_county_hands_a_partners_case_to_a_township(
    client: Any, client_as: Any, session: Session, partner: FakePartner
) -> None:
    link = _received(client, session, partner)
    qian, zhao = client_as("qian"), client_as("zhao")
    assert zhao.get(f"/joint/partners/{link.id}").status_code == 404  # not theirs yet
    page = qian.get(f"/joint/partners/{link.id}").text
    assert 'id="link-hand-form"' in page and f'value="{QINGSHI}"' in page
    before = _joined(session, QINGSHI[:9])
    r = qian.post(HAND.format(link.id), json={"jurisdiction_code": QINGSHI})
    assert r.status_code == 200, r.text
    session.refresh(link)
    assert link.jurisdiction is not None and link.jurisdiction.code == QINGSHI
    assert _handed(session) == [{"from": COUNTY, "to": QINGSHI}]
    assert zhao.get(f"/joint/partners/{link.id}").status_code == 200
    assert client_as("zhou").get(f"/joint/partners/{link.id}").status_code == 404
    assert _joined(session, QINGSHI[:9]) == before + 1
    assert qian.get(f"/joint/partners/{link.id}").status_code == 200  # the county still sees it


def test_bad_handings_are_refused_and_change_nothing(
    client: Any, client_as: Any, session: Session, partner: FakePartner, users: Any
) -> None:
    link = _received(client, session, partner)
    qian = client_as("qian")
    grid = session.scalar(
        select(Jurisdiction.code).where(Jurisdiction.level == "grid",
                                        Jurisdiction.code.startswith(QINGSHI[:9]))
    )  # fmt: skip
    assert grid is not None
    refusals = {"990102000000": "not_in_scope", grid: "not_in_scope", COUNTY: "unchanged"}
    for code, expected in refusals.items():
        r = qian.post(HAND.format(link.id), json={"jurisdiction_code": code})
        assert (r.status_code, r.json()["code"]) == (422, expected), code
    assert qian.post(HAND.format(link.id), json={"jurisdiction_code": "abc"}).status_code == 422
    assert qian.post(HAND.format(link.id), json={}).status_code == 422
    assert (
        client_as("zhou").post(HAND.format(link.id), json={"jurisdiction_code": LIUHE}).status_code
        == 404
    )  # not a handler of it: as for a missing one
    session.refresh(link)
    assert link.jurisdiction is not None and link.jurisdiction.code == COUNTY
    assert _handed(session) == []
    code = _our_case(client_as, session, users)
    shared = client_as("zhao").post(f"/api/v1/federation/cases/{code}/share",
                                    json={"partner_code": partner.code})  # fmt: skip
    assert shared.status_code == 201, shared.text
    ours = session.scalar(select(FederationLink).where(FederationLink.case_code == code))
    assert ours is not None
    r = client_as("zhao").post(HAND.format(ours.id), json={"jurisdiction_code": QINGSHI})
    assert (r.status_code, r.json()["code"]) == (422, "our_case")


def test_the_page_hands_over_and_shows_a_refusal_in_the_form(
    client: Any, client_as: Any, session: Session, partner: FakePartner
) -> None:
    link = _received(client, session, partner)
    qian = client_as("qian")
    r = qian.post(f"/joint/partners/{link.id}/hand", data={"jurisdiction_code": COUNTY},
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 422 and 'id="link-hand-error"' in r.text
    r = qian.post(f"/joint/partners/{link.id}/hand", data={"jurisdiction_code": QINGSHI},
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = qian.get(f"/joint/partners/{link.id}").text
    assert "青石镇" in page.split('id="link-summary"')[1].split("</p>")[0]
