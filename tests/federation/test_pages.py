"""The handlers' views of federation: one of our cases shared with a partner from its page,
the partner's case in our joint-case list (/joint) with its timeline, a message and a
session written back; who may see them (everyone else: 404, as for a missing one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.federation.models import FederationLink, FederationOutgoing
from grassroots.federation.signing import unseal
from tests.cases.conftest import act, grid_in
from tests.federation.conftest import PATH, FakePartner, shared_body

THEIRS = "990102-2026-000007"


def _our_case(client_as: Any, session: Session, users: Any) -> str:
    body = {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "两县交界林地纠纷",
        "description": "林地界址，当事人电话13812345678",
        "grid_code": grid_in(session, users["wang"]),
    }
    created = client_as("wang").post("/api/v1/cases", json=body).json()
    assert act(client_as("zhao"), created["code"], "accept", created["version"]).status_code == 200
    return str(created["code"])


def test_a_handler_shares_our_case_and_writes_to_the_partner(
    client_as: Any, session: Session, users: Any, partner: FakePartner
):
    code = _our_case(client_as, session, users)
    zhao = client_as("zhao")
    page = zhao.get(f"/joint/partners/share/{code}")
    assert page.status_code == 200 and "邻县综治中心" in page.text
    form = {
        "partner_code": partner.code,
        "note": "请协助，联系电话13812345678",
        "parties_needed": "1",
    }
    r = zhao.post(f"/joint/partners/share/{code}", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    link_page = r.headers["location"]
    assert zhao.post(f"/joint/partners/share/{code}", data=form).status_code == 409
    assert zhao.post(f"{link_page}/messages", data={"text": " "}).status_code == 422
    sent = zhao.post(f"{link_page}/messages", data={"text": "请周五到场"}, follow_redirects=False)
    assert sent.status_code == 303
    day = {"held_on": "2026-12-01", "summary": "本方调解员走访牧户"}
    assert zhao.post(f"{link_page}/sessions", data=day, follow_redirects=False).status_code == 303
    shown = zhao.get(link_page).text
    assert "请周五到场" in shown and "本方调解员走访牧户" in shown and "138****5678" in shown
    assert "13812345678" not in shown  # masked before it left: in the note and the parties
    outgoing = session.scalars(select(FederationOutgoing).order_by(FederationOutgoing.seq)).all()
    assert [o.seq for o in outgoing] == [1, 2, 3] and all(o.state == "pending" for o in outgoing)
    assert "13812345678" not in "".join(unseal("envelope", o.envelope_enc) for o in outgoing)
    assert client_as("zhou").get(link_page).status_code == 404  # 柳河镇: not a handler
    assert client_as("zhou").get(f"/joint/partners/share/{code}").status_code == 404
    assert f'href="{link_page}"' in zhao.get("/joint").text


def test_the_partners_case_shows_in_the_joint_list_and_takes_replies(
    client: Any, client_as: Any, session: Session, partner: FakePartner
):
    raw, headers = partner.request(partner.document("joint_case.shared", THEIRS, 1, shared_body()))
    assert client.post(PATH, content=raw, headers=headers).status_code == 202
    link = session.scalar(select(FederationLink).where(FederationLink.case_code == THEIRS))
    assert link is not None
    zhao = client_as("zhao")  # 青石镇: the township the partner asked
    listed = zhao.get("/joint").text
    assert f'id="partner-case-{link.id}"' in listed and "两县交界草场边界纠纷" in listed
    page = zhao.get(f"/joint/partners/{link.id}")
    assert page.status_code == 200 and "邻县白石乡" in page.text
    assert (
        zhao.post(f"/joint/partners/{link.id}/messages", data={"text": "收到"}).status_code == 200
    )
    session.refresh(link)
    assert link.out_seq == 1 and link.in_seq == 1
    for other in ("zhou", "wang"):  # another township; a grid worker of the township
        assert client_as(other).get(f"/joint/partners/{link.id}").status_code == 404
        assert f"partner-case-{link.id}" not in client_as(other).get("/joint").text


def test_an_invitation_to_a_border_meeting_crosses_as_a_document(
    client_as: Any, client: Any, session: Session, partner: FakePartner
):
    raw, headers = partner.request(partner.document("joint_case.shared", THEIRS, 1, shared_body()))
    assert client.post(PATH, content=raw, headers=headers).status_code == 202
    link = session.scalar(select(FederationLink).where(FederationLink.case_code == THEIRS))
    assert link is not None
    meeting = {"title": "两县边界联席会议", "held_on": "2026-12-20", "place": "白石乡政府"}
    r = client_as("zhao").post(f"/api/v1/federation/links/{link.id}/meetings", json=meeting)
    assert r.status_code == 201, r.text
    entry = client_as("zhao").get(f"/api/v1/federation/links/{link.id}").json()["timeline"][-1]
    assert (
        entry["type"] == "meeting.invited"
        and entry["body"] == meeting
        and entry["state"] == "pending"
    )
    assert "两县边界联席会议" in client_as("zhao").get(f"/joint/partners/{link.id}").text
    invited = partner.document("meeting.invited", THEIRS, 2, meeting)  # and the other way
    raw, headers = partner.request(invited)
    assert client.post(PATH, content=raw, headers=headers).status_code == 202
