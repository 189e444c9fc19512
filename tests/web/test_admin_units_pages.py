"""管理 → 单位: list by jurisdiction, create, edit, deactivate/reactivate through the real app."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.geo.models import Unit

HTML = {"accept": "text/html"}
TOWNSHIP = "990101002000"


def _unit(session, code: str) -> Unit | None:
    session.expire_all()
    return session.scalar(select(Unit).where(Unit.code == code))


def test_list_filters_by_jurisdiction(client_as):
    admin = client_as("admin")
    r = admin.get("/admin/units", params={"jurisdiction": TOWNSHIP}, headers=HTML)
    assert r.status_code == 200 and "单位" in r.text
    assert "990101002-justice" in r.text and "990101003-justice" not in r.text
    every = admin.get("/admin/units", headers=HTML).text
    assert "990101003-justice" in every and "990101-court" in every


def test_create_then_edit_then_deactivate_and_reactivate(client_as, session):
    admin = client_as("admin")
    form = {"code": "990101002-lawyer", "name": "青石镇法律服务所", "kind": "department",
            "jurisdiction_code": TOWNSHIP}  # fmt: skip
    r = admin.post("/admin/units", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/admin/units?jurisdiction={TOWNSHIP}"
    )
    assert _unit(session, "990101002-lawyer").name == "青石镇法律服务所"
    r = admin.post(
        "/admin/units/990101002-lawyer",
        data={"name": "青石镇法律援助站", "kind": "judicial_office", "back": TOWNSHIP},
        headers=HTML,
        follow_redirects=False,
    )
    assert r.status_code == 303
    unit = _unit(session, "990101002-lawyer")
    assert (unit.name, unit.kind) == ("青石镇法律援助站", "judicial_office")
    admin.post("/admin/units/990101002-lawyer/deactivate", data={"back": TOWNSHIP}, headers=HTML)
    assert _unit(session, "990101002-lawyer").active is False
    page = admin.get("/admin/units", params={"jurisdiction": TOWNSHIP}, headers=HTML).text
    assert "已停用" in page and "/admin/units/990101002-lawyer/reactivate" in page
    admin.post("/admin/units/990101002-lawyer/reactivate", data={"back": TOWNSHIP}, headers=HTML)
    assert _unit(session, "990101002-lawyer").active is True


def test_create_errors_sit_next_to_their_fields_and_keep_the_input(client_as, session):
    admin = client_as("admin")
    taken = {"code": "990101002-justice", "name": "重复的单位", "kind": "court",
             "jurisdiction_code": TOWNSHIP}  # fmt: skip
    r = admin.post("/admin/units", data=taken, headers=HTML)
    assert r.status_code == 409 and 'id="code-error"' in r.text and "重复的单位" in r.text
    bad = {"code": "bad code", "name": "", "kind": "temple", "jurisdiction_code": ""}
    r = admin.post("/admin/units", data=bad, headers=HTML)
    assert r.status_code == 422
    for field in ("code", "name", "kind", "jurisdiction_code"):
        assert f'id="{field}-error"' in r.text
    assert _unit(session, "bad code") is None


def test_refusal_to_deactivate_is_shown_on_the_page(client_as, session, users):
    from tests.geo.test_units import _case_at_unit

    _, unit = _case_at_unit(client_as, session, users)
    r = client_as("admin").post(f"/admin/units/{unit}/deactivate", data={}, headers=HTML)
    assert r.status_code == 409 and 'id="unit-error"' in r.text and "未办结" in r.text
    assert _unit(session, unit).active is True


def test_redirect_target_takes_only_a_jurisdiction_code(client_as):
    r = client_as("admin").post(
        "/admin/units/990101-court",
        data={"name": "示范县人民法院", "back": "//evil.example"},
        headers=HTML,
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/units#")


def test_only_the_system_admin_manages_units(client_as):
    for name in ("zhao", "security", "audit"):
        assert client_as(name).get("/admin/units", headers=HTML).status_code == 403
