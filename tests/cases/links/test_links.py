"""Links between cases (related, duplicate) and unsharing: the actions, their refusals (each
changes nothing), the links API in both directions, and scope across townships."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case, CaseLink
from grassroots.geo.units.actions import do_deactivate_unit
from tests.cases.conftest import act, grid_in

MISSING = "990101-2026-999999"


def state(client: Any, code: str) -> tuple[int, int]:
    """(version, timeline length) of a case."""
    version = client.get(f"/api/v1/cases/{code}").json()["version"]
    return version, len(client.get(f"/api/v1/cases/{code}/timeline").json())


def links(client: Any, code: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/cases/{code}/links")
    assert r.status_code == 200, r.text
    return r.json()


def link(client: Any, code: str, other: str, kind: str = "related") -> Any:
    version = client.get(f"/api/v1/cases/{code}").json()["version"]
    return act(client, code, "link", version, other_code=other, kind=kind)


def unlink(client: Any, code: str, other: str) -> Any:
    version = client.get(f"/api/v1/cases/{code}").json()["version"]
    return act(client, code, "unlink", version, other_code=other)


def refused(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code
    return body


@pytest.fixture
def three(case_in: Any) -> list[str]:
    return [case_in("registered")[0] for _ in range(3)]


def test_related_link_shows_on_both_cases(three, client_as, session):
    a, b, _ = three
    zhao = client_as("zhao")
    before_b = state(zhao, b)
    r = link(zhao, a, b)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["state"] == "registered"
    assert "unlink" in r.json()["allowed_actions"]
    assert state(zhao, b) == (before_b[0], before_b[1] + 1)  # a note; same version
    note = zhao.get(f"/api/v1/cases/{b}/timeline").json()[-1]
    assert (note["action"], note["details"]["other_code"]) == ("linked", a)
    assert note["from_state"] == note["to_state"] == "registered"
    seen_from_a, seen_from_b = links(zhao, a), links(zhao, b)
    assert [(x["code"], x["direction"], x["visible"]) for x in seen_from_a["links"]] == [
        (b, "related", True)
    ]
    assert [(x["code"], x["direction"], x["owner_code"]) for x in seen_from_b["links"]] == [
        (a, "related", b)
    ]
    assert seen_from_a["links"][0]["title"] == "邻里排水纠纷"
    audited = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id.in_([a, b])).order_by(AuditEntry.id)
    ).all()
    assert sorted(audited[-2:]) == ["case.link", "case.linked"]
    # Removed from the other side: gone from both.
    r = unlink(zhao, b, a)
    assert r.status_code == 200, r.text
    assert links(zhao, a)["links"] == links(zhao, b)["links"] == []
    assert zhao.get(f"/api/v1/cases/{a}/timeline").json()[-1]["action"] == "unlinked"


def test_duplicate_mark_then_reject_as_repeated_registration(three, client_as, session):
    dup, original, _ = three
    zhao = client_as("zhao")
    assert link(zhao, dup, original, "duplicate").status_code == 200
    assert links(zhao, dup)["duplicate_of"] == original
    from_original = links(zhao, original)
    assert from_original["duplicate_of"] is None
    assert [(x["code"], x["direction"], x["owner_code"]) for x in from_original["links"]] == [
        (dup, "original_of", dup)
    ]
    case = session.scalars(select(Case).where(Case.code == dup)).one()
    assert case.duplicate_of_id == session.scalar(select(Case.id).where(Case.code == original))
    version = zhao.get(f"/api/v1/cases/{dup}").json()["version"]
    r = act(zhao, dup, "reject", version, channel="litigation", reason=f"重复登记：见 {original}")
    assert r.status_code == 200 and r.json()["state"] == "rejected", r.text


def test_duplicate_mark_is_removed_on_the_duplicate(three, client_as, session):
    dup, original, _ = three
    zhao = client_as("zhao")
    link(zhao, dup, original, "duplicate")
    before = state(zhao, original)
    body = refused(unlink(zhao, original, dup), 409, "unlink_on_duplicate")
    assert dup in body["title"] and body["errors"][0]["field"] == "other_code"
    assert state(zhao, original) == before
    assert unlink(zhao, dup, original).status_code == 200
    assert links(zhao, dup)["duplicate_of"] is None
    session.expire_all()
    assert session.scalars(select(Case).where(Case.code == dup)).one().duplicate_of_id is None


@pytest.mark.parametrize(
    ("setup", "attempt", "status", "problem", "named"),
    [
        ([], ("a", "a", "related"), 422, "self_link", None),
        ([], ("a", MISSING, "related"), 422, "invalid_target", MISSING),
        ([("a", "b", "related")], ("a", "b", "duplicate"), 409, "already_linked", "b"),
        ([("a", "b", "related")], ("b", "a", "related"), 409, "already_linked", "a"),
        ([("a", "b", "duplicate")], ("b", "a", "duplicate"), 409, "already_linked", "a"),
        ([("a", "b", "duplicate")], ("c", "a", "duplicate"), 409, "duplicate_of_duplicate", "b"),
        ([("a", "b", "duplicate")], ("b", "c", "duplicate"), 409, "has_duplicates", "a"),
        ([("a", "b", "duplicate")], ("a", "c", "duplicate"), 409, "already_duplicate", "b"),
        ([], ("a", "b", "unlink"), 409, "not_linked", None),  # no link at all: the guard
        ([("a", "c", "related")], ("a", "b", "unlink"), 409, "not_linked", "b"),
    ],
)
def test_refusals_change_nothing(three, client_as, setup, attempt, status, problem, named):
    zhao = client_as("zhao")
    names = dict(zip("abc", three, strict=True)) | {MISSING: MISSING}
    for x, y, kind in setup:
        assert link(zhao, names[x], names[y], kind).status_code == 200
    before = {c: state(zhao, c) for c in three}
    links_before = {c: links(zhao, c) for c in three}
    x, y, kind = attempt
    if kind == "unlink":
        r = unlink(zhao, names[x], names[y])
    else:
        r = link(zhao, names[x], names[y], kind)
    body = refused(r, status, problem)
    assert body["errors"][0]["field"] == "other_code"
    if named:
        assert names[named] in body["title"]
    assert {c: state(zhao, c) for c in three} == before
    assert {c: links(zhao, c) for c in three} == links_before


def test_no_cycle_of_three(three, client_as):
    a, b, c = three
    zhao = client_as("zhao")
    assert link(zhao, a, b, "duplicate").status_code == 200
    refused(link(zhao, b, c, "duplicate"), 409, "has_duplicates")
    refused(link(zhao, c, a, "duplicate"), 409, "duplicate_of_duplicate")
    assert link(zhao, c, b, "duplicate").status_code == 200  # both point at the original
    assert [x["code"] for x in links(zhao, b)["links"]] == [a, c]


def test_stale_version_and_roles(three, client_as):
    a, b, _ = three
    zhao = client_as("zhao")
    refused(act(zhao, a, "link", 0, other_code=b), 409, "conflict")
    refused(link(client_as("wang"), a, b), 403, "role_not_allowed")
    refused(link(client_as("li"), a, b), 403, "role_not_allowed")
    assert links(zhao, a)["links"] == []


def test_no_link_once_finished(case_in, client_as):
    closed, _ = case_in("closed")
    fresh, _ = case_in("registered")
    zhao = client_as("zhao")
    refused(link(zhao, closed, fresh), 409, "transition_not_allowed")
    # ...but an open case may point at a finished one.
    assert link(zhao, fresh, closed).status_code == 200


@pytest.fixture
def liuhe_case(client_as, new_case_body, session, users) -> str:
    """A case in 柳河镇 (zhou's township), registered by its grid worker wu."""
    body = dict(new_case_body, grid_code=grid_in(session, users["wu"]))
    r = client_as("wu").post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return r.json()["code"]


def test_a_case_of_another_township_is_like_a_missing_one(three, liuhe_case, client_as, session):
    a = three[0]
    zhao = client_as("zhao")
    hidden = refused(link(zhao, a, liuhe_case), 422, "invalid_target")
    missing = refused(link(zhao, a, MISSING), 422, "invalid_target")
    assert hidden["title"].replace(liuhe_case, "X") == missing["title"].replace(MISSING, "X")
    denied = session.scalars(
        select(AuditEntry.actor_name).where(
            AuditEntry.object_id == liuhe_case, AuditEntry.result == "denied"
        )
    ).all()
    assert denied == ["zhao"]
    zhou = client_as("zhou")
    assert zhou.get(f"/api/v1/cases/{a}/links").status_code == 404
    refused(link(zhou, liuhe_case, a), 422, "invalid_target")


def test_linking_needs_to_manage_both_cases(three, liuhe_case, client_as):
    a = three[0]
    zhao, zhou = client_as("zhao"), client_as("zhou")
    version = zhao.get(f"/api/v1/cases/{a}").json()["version"]
    r = act(zhao, a, "share", version, jurisdiction_code="990101003000", role="co")
    assert r.status_code == 200, r.text
    # zhou now sees a (協办), but does not manage it: he may not link it.
    body = refused(link(zhou, liuhe_case, a), 403, "not_case_handler")
    assert a in body["title"]
    r = act(zhao, a, "share", r.json()["version"], jurisdiction_code="990101003000", role="lead")
    assert link(zhou, liuhe_case, a).status_code == 200  # 主办: he manages both
    # zhao sees the link on his case, the 柳河镇 case by its code only.
    (shown,) = links(zhao, a)["links"]
    assert (shown["code"], shown["visible"], shown["title"], shown["state"]) == (
        liuhe_case, False, None, None,
    )  # fmt: skip


def test_unshare(three, client_as, session):
    a = three[0]
    zhao, zhou = client_as("zhao"), client_as("zhou")
    refused(act(zhao, a, "unshare", 1, jurisdiction_code="990101003000"), 409, "not_shared")
    r = act(zhao, a, "share", 1, jurisdiction_code="990101003000", role="co")
    assert zhou.get(f"/api/v1/cases/{a}").status_code == 200
    assert [s["jurisdiction_code"] for s in links(zhao, a)["shares"]] == ["990101003000"]
    version = r.json()["version"]
    body = refused(act(zhao, a, "unshare", version, unit_code="nowhere"), 422, "invalid_target")
    assert body["errors"][0]["field"] == "unit_code"
    t9 = zhao.get(f"/api/v1/cases/{a}").json()["township_code"][:9]
    body = refused(act(zhao, a, "unshare", version, unit_code=f"{t9}-justice"), 409, "not_shared")
    assert body["errors"][0]["field"] == "unit_code"
    assert state(zhao, a)[0] == version
    r = act(zhao, a, "unshare", version, jurisdiction_code="990101003000")
    assert r.status_code == 200, r.text
    assert r.json()["version"] == version + 1 and "unshare" not in r.json()["allowed_actions"]
    assert zhou.get(f"/api/v1/cases/{a}").status_code == 404
    assert links(zhao, a)["shares"] == []
    event = zhao.get(f"/api/v1/cases/{a}/timeline").json()[-1]
    assert (event["action"], event["details"]["jurisdiction_code"]) == ("unshare", "990101003000")
    assert session.scalars(select(CaseLink)).all() == []


def test_a_deactivated_unit_gets_no_new_share_but_an_old_one_can_end(three, client_as, session):
    a = three[0]
    zhao = client_as("zhao")
    unit_code = zhao.get(f"/api/v1/cases/{a}").json()["township_code"][:9] + "-justice"
    r = act(zhao, a, "share", 1, unit_code=unit_code, role="co")
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    admin = session.scalar(select(User).where(User.username == "admin"))
    do_deactivate_unit(session, unit_code, actor=admin)  # it holds no case of its own
    refused(act(zhao, a, "share", version, unit_code=unit_code, role="lead"), 422, "invalid_target")
    assert state(zhao, a)[0] == version
    r = act(zhao, a, "unshare", version, unit_code=unit_code)
    assert r.status_code == 200, r.text
    assert links(zhao, a)["shares"] == []


def test_unlink_is_offered_only_while_the_case_has_a_link(three, client_as):
    a, b, _ = three
    zhao = client_as("zhao")
    offered = lambda code: [x["action"] for x in zhao.get(f"/api/v1/cases/{code}/actions").json()]  # noqa: E731
    assert "unlink" not in offered(a) and "link" in offered(a)
    assert link(zhao, a, b).status_code == 200
    assert "unlink" in offered(a) and "unlink" in offered(b)
    assert unlink(zhao, b, a).status_code == 200
    assert "unlink" not in offered(a) and "unlink" not in offered(b)
