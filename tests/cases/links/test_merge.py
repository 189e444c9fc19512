"""Merging a repeat registration into its primary case (合并重复件, issue 18): both timelines
kept, parties united by blind index, the duplicate closed as merged and counted once (the
maintained aggregates equal the independent recount), audited, refused outside the
actor's scope exactly like a missing case, and not reversible."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case, CaseLink
from grassroots.stats.aggregates import counters, figure_counters
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.cases.conftest import act, grid_in
from tests.cases.links.test_links import MISSING, refused
from tests.stats.conftest import assert_agree

YEAR = parse_period("2020-01..2030-12")
COUNTY = Scope("county", "990101000000")


def merge(client: Any, code: str, primary: str, note: str = "同一纠纷重复登记") -> Any:
    version = client.get(f"/api/v1/cases/{code}").json().get("version", 1)
    return act(client, code, "merge", version, primary_code=primary, note=note)


def register(client: Any, body: dict[str, Any], parties: list[dict[str, Any]]) -> str:
    r = client.post("/api/v1/cases", json=dict(body, parties=parties))
    assert r.status_code == 201, r.text
    return str(r.json()["code"])


ZHANG = {"role": "applicant", "name": "张三", "phone": "13800138000"}
ZHANG_AGAIN = {"role": "applicant", "name": "张老三", "phone": "138 0013 8000",
               "id_number": "99010119800101001X"}  # fmt: skip
WANG = {"role": "respondent", "name": "王五"}


def figures(session: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    today = date.today()
    assert_agree(session, COUNTY, YEAR, today)  # the maintained aggregates = the recount
    return counters(session, COUNTY, YEAR, today)[""], figure_counters(session, COUNTY, YEAR)[""]


def test_merge_keeps_both_timelines_unites_parties_and_counts_once(
    client_as, new_case_body, session
):
    wang, zhao = client_as("wang"), client_as("zhao")
    primary = register(wang, new_case_body, [ZHANG])
    dup = register(wang, new_case_body, [ZHANG_AGAIN, WANG])
    before, before_fig = figures(session)
    assert before["registered"] == 2 and before_fig["registered"] == 2
    r = merge(zhao, dup, primary)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["allowed_actions"]) == ("closed", [])
    case = zhao.get(f"/api/v1/cases/{dup}").json()
    assert case["outcome"] == "merged"
    # Counted once: the duplicate leaves every registration figure, and the tables agree.
    after, after_fig = figures(session)
    assert after["registered"] == 1 and after_fig["registered"] == 1
    assert after["resolved"] == 0 and after_fig["pending"] == 1
    # Parties: 张三 is the same person (same phone by blind index) and gains the ID number;
    # 王五 joins. Nothing is duplicated.
    kept = zhao.get(f"/api/v1/cases/{primary}").json()["parties"]
    assert sorted((p["name"], p["id_number"] is not None) for p in kept) == [
        ("张三", True), ("王五", False)]  # fmt: skip
    # Timelines: the merge on the duplicate, the note on the primary; the primary's page
    # shows the duplicate's whole timeline under its own.
    dup_events = zhao.get(f"/api/v1/cases/{dup}/timeline").json()
    assert [e["action"] for e in dup_events] == ["register", "merge"]
    assert dup_events[-1]["details"]["other_code"] == primary
    note = zhao.get(f"/api/v1/cases/{primary}/timeline").json()[-1]
    assert (note["action"], note["details"]["other_code"]) == ("merged_in", dup)
    page = zhao.get(f"/cases/{primary}").text
    assert f'id="merged-{dup}"' in page and "同一纠纷重复登记" in page
    links = zhao.get(f"/api/v1/cases/{primary}/links").json()["links"]
    assert [(x["code"], x["direction"]) for x in links] == [(dup, "original_of")]
    audited = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id.in_([primary, dup]))
    ).all()
    assert {"case.merge", "case.merged_in"} <= set(audited)


def test_a_merged_case_cannot_be_reopened_nor_merged_again(client_as, new_case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    primary = register(wang, new_case_body, [ZHANG])
    dup = register(wang, new_case_body, [ZHANG])
    assert merge(zhao, dup, primary).status_code == 200
    version = zhao.get(f"/api/v1/cases/{dup}").json()["version"]
    refused(act(zhao, dup, "reopen", version, reason="误合并"), 409, "merged")
    refused(merge(zhao, dup, primary), 409, "transition_not_allowed")
    other = register(wang, new_case_body, [ZHANG])
    # The primary keeps its duplicate: it may not itself be merged into a third case.
    refused(merge(zhao, primary, other), 409, "has_duplicates")
    # Nor may a case merge into a duplicate.
    refused(merge(zhao, other, dup), 409, "primary_concluded")


def test_merge_refusals_change_nothing(client_as, new_case_body, session, users):
    wang, zhao = client_as("wang"), client_as("zhao")
    a = register(wang, new_case_body, [ZHANG])
    refused(merge(zhao, a, a), 422, "self_link")
    missing = refused(merge(zhao, a, MISSING), 404, "not_found")
    # A case of another township is answered exactly like a missing one.
    body = dict(new_case_body, grid_code=grid_in(session, users["wu"]))
    hidden = register(client_as("wu"), body, [ZHANG])
    seen = refused(merge(zhao, a, hidden), 404, "not_found")
    assert seen["title"].replace(hidden, "X") == missing["title"].replace(MISSING, "X")
    # ...and the other way round: zhou may not even see zhao's case.
    refused(merge(client_as("zhou"), a, hidden), 404, "not_found")
    # A grid worker may not merge (centre staff and leaders only).
    b = register(wang, new_case_body, [ZHANG])
    refused(merge(wang, b, a), 403, "role_not_allowed")
    session.expire_all()
    stored = session.scalars(select(Case).where(Case.code.in_([a, b]))).all()
    assert {(c.state, c.outcome, c.version) for c in stored} == {("registered", None, 1)}
    assert session.scalars(select(CaseLink)).all() == []


@pytest.mark.parametrize("state", ["accepted", "in_progress", "suspended"])
def test_an_open_case_merges_into_a_resolved_one(state, case_in, client_as, session):
    zhao = client_as("zhao")
    primary, _ = case_in("resolved")
    dup, _ = case_in(state)
    r = merge(zhao, dup, primary)
    assert r.status_code == 200, r.text
    kept, _ = figures(session)
    assert (kept["registered"], kept["resolved"], kept["accepted"]) == (1, 1, 1)


def test_a_related_link_becomes_the_duplicate_mark(client_as, new_case_body, session):
    wang, zhao = client_as("wang"), client_as("zhao")
    a, b = register(wang, new_case_body, [ZHANG]), register(wang, new_case_body, [WANG])
    version = zhao.get(f"/api/v1/cases/{b}").json()["version"]
    assert act(zhao, b, "link", version, other_code=a, kind="related").status_code == 200
    assert merge(zhao, b, a).status_code == 200
    assert [(lk.kind) for lk in session.scalars(select(CaseLink))] == ["duplicate"]


# Who may merge a case of wang's village (registered by wang, held by the village): the
# access matrix of the merge action. Refusals change nothing.
REFUSED = {
    "wang": (403, "role_not_allowed"),  # a grid worker sees the case he registered
    "li": (403, "role_not_allowed"),  # a mediator sees his township's cases
    "sun": (404, "not_found"),  # a unit handler sees what is routed to his unit
    "zhou": (404, "not_found"),  # another township's centre
    "wu": (404, "not_found"),
    "admin": (403, "forbidden"),  # no case permission at all (三权分立)
    "security": (403, "forbidden"),
    "audit": (403, "forbidden"),
}
ALLOWED = ("zhao", "qian", "chen")  # the township centre, the county centre, the leader


def test_who_may_merge(client_as, new_case_body, session):
    wang = client_as("wang")
    primary = register(wang, new_case_body, [ZHANG])
    dup = register(wang, new_case_body, [WANG])
    for name, (status, code) in REFUSED.items():
        r = act(client_as(name), dup, "merge", 1, primary_code=primary)
        assert (r.status_code, r.json()["code"]) == (status, code), name
    for name in ALLOWED:
        offered = client_as(name).get(f"/api/v1/cases/{dup}/actions").json()
        assert "merge" in [a["action"] for a in offered], name
    session.expire_all()
    assert session.scalars(select(Case.outcome).where(Case.code == dup)).one() is None
    assert merge(client_as("chen"), dup, primary).status_code == 200
