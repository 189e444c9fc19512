"""The inbox over HTTP: list (unread filter, keyset pages, bounded inputs), unread count,
mark one / all read, only one's own notices; the page and the navigation badge."""

from __future__ import annotations

from tests.cases.conftest import act


def escalated_twice(client_as, body) -> str:
    """wang registers, zhao accepts and escalates twice: qian (county centre) is told."""
    zhao = client_as("zhao")
    created = client_as("wang").post("/api/v1/cases", json=body).json()
    code, version = created["code"], created["version"]
    version = act(zhao, code, "accept", version).json()["version"]
    version = act(zhao, code, "escalate", version, reason="上报镇").json()["version"]
    assert act(zhao, code, "escalate", version, reason="上报县").status_code == 200
    return code


def test_list_pages_count_and_mark_read(client_as, new_case_body):
    qian = client_as("qian")
    codes = [escalated_twice(client_as, new_case_body) for _ in range(3)]
    assert qian.get("/api/v1/notifications/unread-count").json() == {"unread": 3}
    first = qian.get("/api/v1/notifications", params={"limit": 2}).json()
    assert [n["case_code"] for n in first["items"]] == codes[::-1][:2]  # newest first
    rest = qian.get(
        "/api/v1/notifications", params={"limit": 2, "before": first["next_before"]}
    ).json()
    assert [n["case_code"] for n in rest["items"]] == [codes[0]] and rest["next_before"] is None

    one = first["items"][0]["id"]
    r = qian.post(f"/api/v1/notifications/{one}/read")
    assert r.status_code == 200 and r.json()["read"] is True
    assert qian.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    unread = qian.get("/api/v1/notifications", params={"unread": "true"}).json()["items"]
    assert one not in [n["id"] for n in unread] and len(unread) == 2
    assert qian.post("/api/v1/notifications/read-all").json() == {"marked": 2}
    assert qian.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert qian.post("/api/v1/notifications/read-all").json() == {"marked": 0}


def test_someone_elses_notice_is_not_found(client_as, new_case_body):
    escalated_twice(client_as, new_case_body)
    qian, zhou = client_as("qian"), client_as("zhou")
    notice = qian.get("/api/v1/notifications").json()["items"][0]["id"]
    r = zhou.post(f"/api/v1/notifications/{notice}/read")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem")
    assert qian.get("/api/v1/notifications/unread-count").json() == {"unread": 1}


def test_bad_inputs_are_refused(client_as):
    qian = client_as("qian")
    for params in ({"before": 0}, {"before": 2**31}, {"limit": 0}, {"limit": 201},
                   {"before": "x"}):  # fmt: skip
        assert qian.get("/api/v1/notifications", params=params).status_code == 422, params
    assert qian.post(f"/api/v1/notifications/{2**31}/read").status_code == 422
    assert qian.post("/api/v1/notifications/0/read").status_code == 422
    assert qian.post("/api/v1/notifications/99999/read").status_code == 404


def test_administrators_have_no_inbox(client_as):
    assert client_as("admin").get("/api/v1/notifications").status_code == 403


def test_the_page_and_the_badge(client_as, new_case_body):
    code = escalated_twice(client_as, new_case_body)
    qian = client_as("qian")
    page = qian.get("/notifications")
    assert (
        page.status_code == 200
        and code in page.text
        and 'action="/notifications/read-all"' in page.text
    )
    assert 'hx-get="/notifications/badge"' in page.text  # the navigation loads the badge
    badge = qian.get("/notifications/badge")
    assert badge.status_code == 200 and ">1<" in badge.text
    notice = qian.get("/api/v1/notifications").json()["items"][0]["id"]
    r = qian.post(f"/notifications/{notice}/read", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/notifications"
    assert ">1<" not in qian.get("/notifications/badge").text
    english = qian.get("/notifications", params={"lang": "en"}).text
    assert f"Case {code}" in english and "escalated to" in english
