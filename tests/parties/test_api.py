"""Parties over HTTP: masked reading, reveal with reason and permission, exact lookup."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.audit.verify import verify_chain
from grassroots.crypto import mask_phone
from grassroots.geo.models import Jurisdiction
from tests.parties.conftest import Qingshi
from tests.support.personal_data import SEEDED_ID_NUMBERS, SEEDED_PHONES


def _audit_rows(session: Session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def _row_text(row: AuditEntry) -> str:
    return json.dumps(
        {c: str(getattr(row, c)) for c in ("actor_name", "object_id", "ip")} | row.details,
        ensure_ascii=False,
    )


def test_party_is_shown_masked(qingshi: Qingshi, client_as):
    response = client_as("zhao").get(f"/api/v1/parties/{qingshi.applicant.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["phone_masked"] == "138****8000"
    assert body["id_number_masked"] == "**************1232"
    assert body["id_number_warnings"] == []
    assert qingshi.applicant_phone not in response.text
    assert qingshi.applicant_id not in response.text
    assert body["case_code"] == qingshi.case.code


def test_mistyped_id_number_is_warned_not_refused(qingshi: Qingshi, client_as):
    body = client_as("wang").get(f"/api/v1/parties/{qingshi.respondent.id}").json()
    assert any("GB 11643" in w for w in body["id_number_warnings"])


def test_party_out_of_scope_looks_missing_and_is_audited(qingshi: Qingshi, client_as, session):
    outsider = client_as("zhou").get(f"/api/v1/parties/{qingshi.applicant.id}")
    missing = client_as("zhou").get("/api/v1/parties/987654321")
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json()["code"] == missing.json()["code"] == "party_not_found"
    denied = _audit_rows(session, "party.read")
    assert [(r.actor_name, r.object_type, r.object_id, r.result) for r in denied] == [
        ("zhou", "party", str(qingshi.applicant.id), "denied")
    ]


def test_county_sees_and_unit_handler_does_not(qingshi: Qingshi, client_as):
    assert client_as("chen").get(f"/api/v1/parties/{qingshi.applicant.id}").status_code == 200
    assert client_as("sun").get(f"/api/v1/parties/{qingshi.applicant.id}").status_code == 404


def test_reveal_needs_a_reason(qingshi: Qingshi, client_as, session):
    url = f"/api/v1/parties/{qingshi.applicant.id}/reveal"
    for reason in ("", "   ", "ab"):
        response = client_as("li").post(url, json={"field": "phone", "reason": reason})
        assert response.status_code == 422
        assert qingshi.applicant_phone not in response.text
    assert _audit_rows(session, "party.reveal") == []


def test_reveal_is_audited_with_reason_never_value(qingshi: Qingshi, client_as, session):
    url = f"/api/v1/parties/{qingshi.applicant.id}/reveal"
    response = client_as("li").post(url, json={"field": "id_number", "reason": "制作调解协议书"})
    assert response.status_code == 200
    assert response.json()["value"] == qingshi.applicant_id
    assert response.headers["cache-control"] == "no-store"
    [row] = _audit_rows(session, "party.reveal")
    assert (row.actor_name, row.object_type, row.object_id) == (
        "li",
        "party",
        str(qingshi.applicant.id),
    )
    assert row.details == {
        "field": "id_number",
        "reason": "制作调解协议书",
        "case": qingshi.case.code,
    }
    assert qingshi.applicant_id not in _row_text(row)
    assert verify_chain(session).intact


def test_numbers_typed_into_the_reason_are_masked_in_the_audit(
    qingshi: Qingshi, client_as, session
):
    url = f"/api/v1/parties/{qingshi.applicant.id}/reveal"
    reason = f"核对 {qingshi.applicant_phone} 是否本人"
    assert client_as("zhao").post(url, json={"field": "phone", "reason": reason}).status_code == 200
    [row] = _audit_rows(session, "party.reveal")
    assert qingshi.applicant_phone not in _row_text(row)
    assert "138****8000" in row.details["reason"]


def test_reveal_only_for_roles_that_need_it(qingshi: Qingshi, client_as, session):
    url = f"/api/v1/parties/{qingshi.applicant.id}/reveal"
    for name in ("wang", "sun", "admin", "audit"):
        response = client_as(name).post(url, json={"field": "phone", "reason": "想看看号码"})
        assert response.status_code == 403, name
        assert qingshi.applicant_phone not in response.text
    denied = _audit_rows(session, "access.denied")
    assert {r.actor_name for r in denied} == {"wang", "sun", "admin", "audit"}
    assert all(r.details == {"permission": "party.reveal"} for r in denied)
    assert _audit_rows(session, "party.reveal") == []


def test_reveal_out_of_scope_is_404(qingshi: Qingshi, client_as, session):
    url = f"/api/v1/parties/{qingshi.applicant.id}/reveal"
    response = client_as("zhou").post(url, json={"field": "phone", "reason": "核实身份信息"})
    assert response.status_code == 404
    assert _audit_rows(session, "party.reveal") == []


def test_lookup_by_exact_id_number(qingshi: Qingshi, client_as, session):
    spaced = f"{qingshi.applicant_id[:6]} {qingshi.applicant_id[6:14]} {qingshi.applicant_id[14:]}"
    response = client_as("zhao").post("/api/v1/parties/lookup", json={"id_number": spaced})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["parties"]] == [qingshi.applicant.id]
    assert qingshi.applicant_id not in response.text
    [row] = _audit_rows(session, "party.lookup")
    assert row.details == {"field": "id_number", "matches": 1}


def test_lookup_by_phone_and_near_miss(qingshi: Qingshi, client_as):
    zhao = client_as("zhao")
    hits = zhao.post("/api/v1/parties/lookup", json={"phone": "138-1234-8000"}).json()
    assert [p["id"] for p in hits["parties"]] == [qingshi.applicant.id]
    near = zhao.post("/api/v1/parties/lookup", json={"phone": "13812348001"}).json()
    assert near["parties"] == []


def test_lookup_is_scoped(qingshi: Qingshi, client_as):
    body = client_as("zhou").post(
        "/api/v1/parties/lookup", json={"id_number": qingshi.applicant_id}
    )
    assert body.json()["parties"] == []


def test_lookup_takes_exactly_one_field(client_as):
    zhao = client_as("zhao")
    assert zhao.post("/api/v1/parties/lookup", json={}).status_code == 422
    both = {"phone": "13812348000", "id_number": "990101198503121232"}
    assert zhao.post("/api/v1/parties/lookup", json=both).status_code == 422


def test_case_parties_listed_masked_with_ids(qingshi: Qingshi, client_as, session):
    listed = client_as("zhao").get("/api/v1/parties", params={"case": qingshi.case.code})
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()] == [qingshi.applicant.id, qingshi.respondent.id]
    assert qingshi.applicant_phone not in listed.text and qingshi.applicant_id not in listed.text
    outsider = client_as("zhou").get("/api/v1/parties", params={"case": qingshi.case.code})
    assert outsider.status_code == 404
    assert [r.actor_name for r in _audit_rows(session, "case.read")] == ["zhou"]


def test_registered_through_cases_api_then_revealed(session, users, client_as):
    """The real path: core's registration encrypts the seeded values; parties/ reads them."""
    village = users["wang"].jurisdiction
    grid = session.scalars(
        select(Jurisdiction.code)
        .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith(village.prefix))
        .order_by(Jurisdiction.code)
    ).first()
    body = {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "宅基地边界纠纷",
        "description": "两户对院墙位置有争议",
        "grid_code": grid,
        "parties": [
            {"role": "applicant", "name": "王五", "phone": SEEDED_PHONES[3],
             "id_number": SEEDED_ID_NUMBERS[3]},
        ],
    }  # fmt: skip
    registered = client_as("wang").post("/api/v1/cases", json=body)
    assert registered.status_code == 201, registered.text
    code = registered.json()["code"]
    assert SEEDED_PHONES[3] not in registered.text and SEEDED_ID_NUMBERS[3] not in registered.text
    zhao = client_as("zhao")
    [party] = zhao.get("/api/v1/parties", params={"case": code}).json()
    assert party["phone_masked"] == mask_phone(SEEDED_PHONES[3]) != SEEDED_PHONES[3]
    found = zhao.post("/api/v1/parties/lookup", json={"phone": SEEDED_PHONES[3]}).json()
    assert [p["id"] for p in found["parties"]] == [party["id"]]
    revealed = zhao.post(
        f"/api/v1/parties/{party['id']}/reveal", json={"field": "phone", "reason": "电话回访"}
    )
    assert revealed.json()["value"] == SEEDED_PHONES[3]
