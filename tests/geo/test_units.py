"""Units one at a time: do_create_unit / do_update_unit / do_set_unit_active and their API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from grassroots.accounts.models import Role, User
from grassroots.accounts.users.actions import do_create_user
from grassroots.audit.models import AuditEntry
from grassroots.errors import Problem
from grassroots.geo.models import Unit, UnitKind
from grassroots.geo.schemas import UnitIn, UnitPatch
from grassroots.geo.units.actions import (
    do_create_unit,
    do_deactivate_unit,
    do_reactivate_unit,
    do_update_unit,
)
from grassroots.geo.units.queries import units_at
from tests.cases.conftest import grid_in

TOWNSHIP = "990101002000"  # 青石镇: zhao's, li's and sun's township


def _new(code: str = "990101002-lawyer", place: str = TOWNSHIP) -> UnitIn:
    return UnitIn(
        code=code, name="青石镇法律服务所", kind=UnitKind.department, jurisdiction_code=place
    )


def _audit(session, action: str, code: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_id == code)
    return list(session.scalars(stmt))


def test_create_update_deactivate_reactivate_with_audit(session, users):
    admin = users["admin"]
    unit = do_create_unit(session, _new(), actor=admin)
    assert (
        unit.active
        and unit.jurisdiction.code == TOWNSHIP
        and len(_audit(session, "unit.create", unit.code)) == 1
    )
    assert unit.code in [u.code for u in units_at(session, unit.jurisdiction_id)]
    patch = UnitPatch(name="青石镇公共法律服务工作站", kind=UnitKind.judicial_office)
    do_update_unit(session, unit.code, patch, actor=admin)
    session.expire_all()
    row = session.scalars(select(Unit).where(Unit.code == unit.code)).one()
    assert (row.name, row.kind) == ("青石镇公共法律服务工作站", "judicial_office")
    assert _audit(session, "unit.update", unit.code)[0].details == {
        "name": row.name,
        "kind": row.kind,
    }
    do_deactivate_unit(session, unit.code, actor=admin)
    assert unit.code not in [u.code for u in units_at(session, row.jurisdiction_id)]
    do_deactivate_unit(session, unit.code, actor=admin)  # twice: nothing more happens
    assert len(_audit(session, "unit.deactivate", unit.code)) == 1
    do_reactivate_unit(session, unit.code, actor=admin)
    assert unit.code in [u.code for u in units_at(session, row.jurisdiction_id)]


def test_an_unchanged_update_writes_no_audit_row(session, users):
    do_update_unit(session, "990101002-justice", UnitPatch(), actor=users["admin"])
    assert _audit(session, "unit.update", "990101002-justice") == []


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"code": "990101002-justice"}, 409, "code"),  # taken
        ({"place": "990101999000"}, 422, "jurisdiction_code"),  # no such jurisdiction
    ],
)
def test_create_refusals_change_nothing(session, users, data, status, field):
    before = session.scalars(select(Unit.code)).all()
    with pytest.raises(Problem) as caught:
        do_create_unit(session, _new(**data), actor=users["admin"])
    assert caught.value.status == status and caught.value.errors[0]["field"] == field
    assert session.scalars(select(Unit.code)).all() == before


def test_a_jurisdiction_outside_the_admins_post_is_refused(session, users):
    """An administrator posted in a township manages that township's units only."""
    do_create_user(
        session, username="townadmin", display_name="镇管理员", role=Role.system_admin,
        jurisdiction_code=TOWNSHIP, password="Zhen-Guanli-2026",
    )  # fmt: skip
    local = session.scalars(select(User).where(User.username == "townadmin")).one()
    with pytest.raises(Problem) as caught:
        do_create_unit(session, _new(place="990101003000"), actor=local)
    assert caught.value.status == 422
    with pytest.raises(Problem) as missing:
        do_deactivate_unit(session, "990101003-justice", actor=local)
    assert missing.value.status == 404  # like an absent unit
    assert do_create_unit(session, _new(), actor=local).code == "990101002-lawyer"


def test_input_rules():
    with pytest.raises(ValueError):
        UnitIn(code="bad code!", name="x", kind=UnitKind.court, jurisdiction_code=TOWNSHIP)
    with pytest.raises(ValueError):
        UnitIn.model_validate(
            {"code": "ok-1", "name": "x", "kind": "temple", "jurisdiction_code": TOWNSHIP}
        )
    with pytest.raises(ValueError):
        UnitPatch(name="")


def _register(client_as: Any, session, users) -> dict[str, Any]:
    """A case registered by wang in his village (the API's response)."""
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "邻里排水纠纷",
        "description": "两户因院墙排水沟堵塞发生争执", "grid_code": grid_in(session, users["wang"]),
        "parties": [{"role": "applicant", "name": "张三"}],
    }  # fmt: skip
    created: dict[str, Any] = client_as("wang").post("/api/v1/cases", json=body).json()
    return created


def _case_at_unit(client_as: Any, session, users) -> tuple[str, str]:
    """A case of wang's assigned by zhao to its village's mediation committee (in progress)."""
    created = _register(client_as, session, users)
    zhao, code = client_as("zhao"), created["code"]
    r = zhao.post(
        f"/api/v1/cases/{code}/actions/accept", json={"expected_version": created["version"]}
    )
    unit = f"{created['village_code']}-mediation"
    r = zhao.post(
        f"/api/v1/cases/{code}/actions/assign",
        json={"expected_version": r.json()["version"], "unit_code": unit},
    )
    assert r.status_code == 200, r.text
    return code, unit


def test_a_unit_holding_open_cases_cannot_be_deactivated(client_as, session, users):
    _, unit = _case_at_unit(client_as, session, users)
    admin = client_as("admin")
    r = admin.post(f"/api/v1/units/{unit}/deactivate")
    assert r.status_code == 409 and r.json()["code"] == "unit_has_open_cases"
    assert "1 件未办结" in r.json()["title"]
    session.expire_all()
    assert session.scalars(select(Unit.active).where(Unit.code == unit)).one() is True


def test_a_deactivated_unit_is_no_longer_offered_nor_accepted_in_assign(client_as, session, users):
    created = _register(client_as, session, users)
    unit = f"{created['village_code']}-mediation"
    zhao, code = client_as("zhao"), created["code"]
    r = zhao.post(
        f"/api/v1/cases/{code}/actions/accept", json={"expected_version": created["version"]}
    )
    assert r.status_code == 200, r.text
    offered = f'value="{unit}"'
    assert offered in zhao.get(f"/cases/{code}", headers={"accept": "text/html"}).text
    assert client_as("admin").post(f"/api/v1/units/{unit}/deactivate").status_code == 200
    assert offered not in zhao.get(f"/cases/{code}", headers={"accept": "text/html"}).text
    r = zhao.post(
        f"/api/v1/cases/{code}/actions/assign",
        json={"expected_version": r.json()["version"], "unit_code": unit},
    )
    assert r.status_code == 422, r.text


def test_api_create_patch_list_and_permissions(client_as):
    admin = client_as("admin")
    body = {"code": "990101002-lawyer", "name": "青石镇法律服务所", "kind": "department",
            "jurisdiction_code": TOWNSHIP}  # fmt: skip
    r = admin.post("/api/v1/units", json=body)
    assert r.status_code == 201 and r.json()["active"] is True
    assert admin.post("/api/v1/units", json=body).status_code == 409
    r = admin.patch("/api/v1/units/990101002-lawyer", json={"name": "青石镇法律援助站"})
    assert (
        r.status_code == 200
        and r.json()["name"] == "青石镇法律援助站"
        and r.json()["kind"] == "department"
    )
    assert admin.patch("/api/v1/units/990101002-lawyer", json={"kind": "temple"}).status_code == 422
    assert admin.patch("/api/v1/units/no-such-unit", json={"name": "x"}).status_code == 404
    assert admin.post("/api/v1/units/990101002-lawyer/deactivate").json()["active"] is False
    listed = client_as("zhao").get("/api/v1/units", params={"jurisdiction": TOWNSHIP}).json()
    assert "990101002-lawyer" not in [u["code"] for u in listed]
    assert admin.post("/api/v1/units/990101002-lawyer/reactivate").json()["active"] is True
    for name in ("zhao", "security", "audit"):
        assert client_as(name).post("/api/v1/units", json=body).status_code == 403


def test_no_new_account_in_a_deactivated_unit(session, users):
    admin = users["admin"]
    unit = do_create_unit(session, _new(), actor=admin)
    do_deactivate_unit(session, unit.code, actor=admin)
    with pytest.raises(Problem) as refused:
        do_create_user(
            session, username="newclerk", display_name="新调解员", role=Role.mediator,
            jurisdiction_code=TOWNSHIP, unit_code=unit.code, actor=admin,
        )  # fmt: skip
    assert refused.value.code == "inactive_unit"
    assert session.scalar(select(User).where(User.username == "newclerk")) is None
