"""A first walk through the API: register, accept, assign, resolve, follow up, close."""

from __future__ import annotations


def act(client, code, action, version, **body):
    return client.post(f"/api/v1/cases/{code}/actions/{action}",
                       json={"expected_version": version, **body})  # fmt: skip


def test_happy_path(client_as, new_case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    r = wang.post("/api/v1/cases", json=new_case_body)
    assert r.status_code == 201, r.text
    case = r.json()
    code = case["code"]
    assert case["state"] == "registered" and case["level"] == "village"
    assert case["parties"][0]["phone"] == "138****8000"
    r = act(zhao, code, "accept", 1)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    r = act(zhao, code, "assign", 2, unit_code=case["village_code"] + "-mediation")
    assert r.status_code == 200, r.text
    r = act(zhao, code, "resolve", 3, outcome_note="双方达成口头协议")
    assert r.json()["state"] == "resolved", r.text
    r = act(zhao, code, "close", 4)
    assert r.status_code == 422 and r.json()["code"] == "follow_up_required"
    r = act(wang, code, "follow_up", 4, performance="performed", satisfaction="satisfied",
            remaining_risk="none")  # fmt: skip
    assert r.status_code == 200, r.text
    r = act(zhao, code, "close", 5)
    assert r.json()["state"] == "closed"
    timeline = zhao.get(f"/api/v1/cases/{code}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "register", "accept", "assign", "resolve", "follow_up", "close"
    ]  # fmt: skip
