"""A matter found on a 排查 round becomes a lead in one step (issue 23 item 2): received as
a lead of source 主动排查发现 with the policy's deadline, linked both ways (the matter shows
the lead's code, the lead its round), once only, by coordinators in the round's subtree;
through the API and the round page's form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.leads.models import Lead
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.models import RoundMatter
from tests.cases.conftest import grid_in
from tests.rounds.test_rounds import round_in

HTML = {"Accept": "text/html"}


def _round(session: Session, users) -> int:
    """zhao's round in wang's grid: matter 1 became a case, matter 2 was noted."""
    grid = grid_in(session, users["wang"])
    return do_record_round(session, round_in(grid, held_on=date(2026, 6, 18)),
                           actor=users["zhao"]).id  # fmt: skip


def test_a_noted_matter_becomes_a_lead_linked_both_ways(client_as, session: Session, users):
    round_id = _round(session, users)
    qian = client_as("qian")
    url = f"/api/v1/rounds/{round_id}/matters/2/lead"
    r = qian.post(url, json={"category_code": "dispute_risk"})
    assert r.status_code == 201, r.json()
    code = r.json()["lead_code"]
    lead = qian.get(f"/api/v1/leads/{code}").json()
    assert (lead["source"], lead["category_code"], lead["state"]) == (
        "patrol", "dispute_risk", "received")  # fmt: skip
    assert lead["title"] == "村道边坡有松动" and lead["content"] == "已告知村委会"
    assert lead["found_on"] == f"{round_id}/2" and lead["due_basis"] == "policy"
    matters = qian.get(f"/api/v1/rounds/{round_id}").json()["matters"]
    assert [(m["outcome"], m["lead_code"]) for m in matters] == [("case", None), ("lead", code)]
    again = qian.post(url, json={"category_code": "dispute_risk"})
    assert again.status_code == 409 and again.json()["code"] == "matter_taken"
    cased = qian.post(f"/api/v1/rounds/{round_id}/matters/1/lead",
                      json={"category_code": "dispute_risk"})  # fmt: skip
    assert cased.status_code == 409  # already a case
    audit = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id.in_([code, str(round_id)]))
    ).all()
    assert "round.matter_lead" in audit and "lead.create" in audit
    page = qian.get(f"/leads/{code}", headers=HTML).text
    assert f'href="/rounds/{round_id}#matter-2"' in page


def test_who_may_and_bad_input_changes_nothing(client_as, session: Session, users):
    round_id = _round(session, users)
    url = f"/api/v1/rounds/{round_id}/matters/2/lead"
    body = {"category_code": "dispute_risk"}
    assert client_as("wang").post(url, json=body).status_code == 403  # no lead.register
    assert client_as("zhou").post(url, json=body).status_code == 404  # another township
    qian = client_as("qian")
    assert qian.post(url, json={"category_code": "no_such"}).status_code == 422
    assert qian.post(url, json={"category_code": "Bad Code"}).status_code == 422
    assert qian.post(url, json={}).status_code == 422
    assert qian.post(f"/api/v1/rounds/{round_id}/matters/9/lead", json=body).status_code == 404
    assert session.scalars(select(Lead)).all() == []
    matter = session.scalars(
        select(RoundMatter).where(RoundMatter.round_id == round_id, RoundMatter.seq == 2)
    ).one()
    assert (matter.outcome, matter.lead_code) == ("noted", None)


def test_the_round_page_form_makes_the_lead(client_as, session: Session, users):
    round_id = _round(session, users)
    qian = client_as("qian")
    page = qian.get(f"/rounds/{round_id}", headers=HTML).text
    assert f'action="/rounds/{round_id}/matters/2/lead"' in page
    assert f'action="/rounds/{round_id}/matters/1/lead"' not in page  # already a case
    assert "/matters/2/lead" not in client_as("wang").get(f"/rounds/{round_id}", headers=HTML).text
    r = qian.post(f"/rounds/{round_id}/matters/2/lead", data={"category_code": "dispute_risk"},
                  headers=HTML, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith("/leads/XS")
    shown = qian.get(f"/rounds/{round_id}", headers=HTML).text
    assert r.headers["location"].removeprefix("/leads/") in shown
    assert "/matters/2/lead" not in shown
