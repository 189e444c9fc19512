"""Work queues (工作队列): who finds which case, the counts, GET /cases?queue=, the scope."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from grassroots.cases.models import Case
from tests.cases.conftest import act
from tests.cases.listing.test_list import seven  # noqa: F401  (a fixture)


def queue(client, name):
    r = client.get("/api/v1/cases", params={"queue": name, "limit": 200})
    assert r.status_code == 200, r.text
    return [c["code"] for c in r.json()["items"]]


def counts(client):
    r = client.get("/api/v1/queues")
    assert r.status_code == 200, r.text
    return {q["name"]: q["count"] for q in r.json()}


def test_a_village_case_waits_for_the_township_when_the_village_has_no_clerk(
    client_as, new_case_body
):
    wang, zhao, zhou, qian = (client_as(n) for n in ("wang", "zhao", "zhou", "qian"))
    code = wang.post("/api/v1/cases", json=new_case_body).json()["code"]
    assert code in queue(zhao, "to_accept")  # the village has no 受理员: 青石镇's centre
    assert code not in queue(qian, "to_accept")  # the township has its own: not the county's
    assert code not in queue(zhou, "to_accept")  # another township: not in its scope
    assert code in queue(wang, "registered_by_me")
    assert code not in queue(wang, "to_accept")  # a grid worker accepts nothing
    assert counts(zhao)["to_accept"] == len(queue(zhao, "to_accept")) == 1


def test_an_escalated_case_reaches_the_county_centre(client_as, new_case_body):
    wang, zhao, qian = (client_as(n) for n in ("wang", "zhao", "qian"))
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    version = act(zhao, code, "accept", created["version"]).json()["version"]
    assert code in queue(zhao, "to_assign")
    r = act(zhao, code, "escalate", version, reason="涉及多个村")  # village → 青石镇
    assert r.status_code == 200, r.text
    assert code in queue(zhao, "escalated")
    r = act(zhao, code, "escalate", r.json()["version"], reason="镇里化解不了")  # → the county
    assert r.status_code == 200, r.text
    assert code not in queue(zhao, "to_assign")
    assert code in queue(qian, "escalated")
    assert code in queue(qian, "to_assign")
    assert counts(qian)["escalated"] == 1


def test_assigned_and_follow_up_queues(client_as, new_case_body):
    wang, zhao, li = (client_as(n) for n in ("wang", "zhao", "li"))
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    version = act(zhao, code, "accept", created["version"]).json()["version"]
    version = act(zhao, code, "escalate", version, reason="村里无调解员").json()["version"]
    version = act(zhao, code, "assign", version, mediator="li").json()["version"]
    assert code in queue(li, "assigned")
    assert code not in queue(zhao, "to_assign")
    version = act(li, code, "resolve", version, outcome_note="达成协议").json()["version"]
    assert code not in queue(li, "assigned")
    assert code in queue(wang, "to_follow_up")  # the grid worker who registered it
    assert code in queue(zhao, "to_follow_up")
    follow = {"performance": "performed", "satisfaction": "satisfied", "remaining_risk": "none"}
    act(wang, code, "follow_up", version, **follow)
    assert code not in queue(wang, "to_follow_up")
    assert code in queue(zhao, "to_close")


def test_an_unknown_queue_is_refused(client_as):
    r = client_as("zhao").get("/api/v1/cases", params={"queue": "everything"})
    assert r.status_code == 422


def test_the_dashboard_cards_open_their_queue(client_as, new_case_body):
    code = client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]
    zhao = client_as("zhao")
    page = zhao.get("/").text
    assert 'href="/cases?queue=to_accept"' in page
    listed = zhao.get("/cases", params={"queue": "to_accept"})
    assert listed.status_code == 200
    assert code in listed.text
    assert "共 1 件" in listed.text  # the total over all pages
    assert code not in zhao.get("/cases", params={"queue": "to_close"}).text
    export = zhao.get("/cases/export.csv", params={"queue": "to_close"}).text
    assert code not in export  # the export keeps the queue's filter


def test_my_tasks_on_the_dashboard_list_an_escalated_case_at_the_county(client_as, new_case_body):
    wang, zhao, qian = (client_as(n) for n in ("wang", "zhao", "qian"))
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    version = act(zhao, code, "accept", created["version"]).json()["version"]
    version = act(zhao, code, "escalate", version, reason="涉及多个村").json()["version"]
    act(zhao, code, "escalate", version, reason="镇里化解不了")
    assert f'href="/cases/{code}"' in qian.get("/").text  # issue 16: it was in nobody's 待办


def test_a_queue_lists_the_most_overdue_first_and_no_deadline_last_on_every_page(
    client_as,
    session,
    seven,  # noqa: F811
):
    dues = [date(2026, 3, 5), None, date(2026, 3, 1), date(2026, 3, 5), None, date(2026, 2, 1),
            date(2026, 3, 1)]  # fmt: skip
    for code, due in zip(seven, dues, strict=True):
        session.scalar(select(Case).where(Case.code == code)).clock_due_on = due
    session.commit()
    order = sorted(range(7), key=lambda i: (dues[i] is None, dues[i] or date.min, i))
    expected = [seven[i] for i in order]  # ties and the no-deadline cases: oldest case first
    assert expected == [seven[i] for i in (5, 2, 6, 0, 3, 1, 4)]
    wang = client_as("wang")
    assert queue(wang, "registered_by_me") == expected
    seen, cursor = [], None
    while True:  # pages of two: the keyset cursor crosses ties and the no-deadline cases
        params = {"queue": "registered_by_me", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = wang.get("/api/v1/cases", params=params).json()
        seen += [c["code"] for c in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == expected
    html = wang.get("/cases", params={"queue": "registered_by_me"}).text
    assert sorted(expected, key=html.index) == expected  # the page lists them in that order
    newest_first = [c["code"] for c in wang.get("/api/v1/cases").json()["items"]]
    assert newest_first == list(reversed(seven))  # without a queue: newest first as before


def test_a_case_given_to_a_unit_with_nobody_in_it_stays_with_the_centre(client_as, new_case_body):
    """Given to the county's mediation committee without naming a mediator, while nobody is
    posted in that committee: the county centre must assign someone, so it is in its 待分派
    (before, the case waited for nobody)."""
    wang, zhao, qian = (client_as(n) for n in ("wang", "zhao", "qian"))
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    version = act(zhao, code, "accept", created["version"]).json()["version"]
    version = act(zhao, code, "escalate", version, reason="涉及多个村").json()["version"]
    version = act(zhao, code, "escalate", version, reason="镇里化解不了").json()["version"]
    r = act(qian, code, "assign", version, unit_code="990101-mediation")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "in_progress"
    assert code in queue(qian, "to_assign")
    assert code not in queue(zhao, "to_assign")  # the township is not the holder any more
    assert counts(qian)["to_assign"] == len(queue(qian, "to_assign"))
