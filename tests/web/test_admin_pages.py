"""管理 and 审计 pages through the real HTTP app (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

HTML = {"accept": "text/html"}


def test_system_admin_sees_configuration(client_as):
    r = client_as("admin").get("/admin", headers=HTML)
    assert r.status_code == 200
    assert "事件类别" in r.text and "办理时限策略" in r.text and "节假日日历" in r.text


def test_category_edit_goes_through_the_dictionary_action(client_as):
    admin = client_as("admin")
    r = admin.post(
        "/admin/categories/neighbour",
        data={"name": "邻里纠纷", "sort_order": "2", "active": "1"},
        headers=HTML,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "邻里纠纷" in admin.get("/admin", headers=HTML).text


def test_staff_cannot_open_administration(client_as):
    r = client_as("zhao").get("/admin", headers=HTML)
    assert r.status_code == 403


def test_boundary_import_lists_each_feature_error_and_changes_nothing(client_as):
    bad = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": None, "properties": {"code": "x"}},
            {"type": "Feature", "geometry": None, "properties": {}},
        ],
    }
    files = {"file": ("bad.geojson", json.dumps(bad).encode(), "application/geo+json")}
    r = client_as("admin").post("/admin/boundaries", files=files, headers=HTML)
    assert r.status_code == 422
    assert 'id="import-errors"' in r.text
    assert "#0" in r.text and "#1" in r.text


def test_boundary_import_rejects_a_file_that_is_not_json(client_as):
    files = {"file": ("x.geojson", b"not json", "application/geo+json")}
    r = client_as("admin").post("/admin/boundaries", files=files, headers=HTML)
    assert r.status_code == 422 and "JSON" in r.text


def test_auditor_searches_and_verifies(client_as):
    auditor = client_as("audit")
    r = auditor.get("/audit?result=ok", headers=HTML)
    assert r.status_code == 200 and "审计日志" in r.text
    v = auditor.get("/audit/verify", headers={**HTML, "HX-Request": "true"})
    assert v.status_code == 200 and 'id="verify-ok"' in v.text


def test_only_the_auditor_reads_the_audit_pages(client_as):
    for name in ("admin", "zhao"):
        assert client_as(name).get("/audit", headers=HTML).status_code == 403


def test_security_admin_sees_users_not_configuration(client_as):
    security = client_as("security")
    r = security.get("/admin/users", headers=HTML)
    assert r.status_code == 200 and "wang" in r.text and "网格员" in r.text
    assert security.get("/admin", headers=HTML).status_code == 403


def _policy(session, category: str, level: str, risk: bool = False):
    from sqlalchemy import select

    from grassroots.cases.deadlines.models import DeadlinePolicy

    session.expire_all()
    return session.scalar(
        select(DeadlinePolicy).where(
            DeadlinePolicy.category_code == category,
            DeadlinePolicy.level == level,
            DeadlinePolicy.violence_risk == risk,
        )
    )


POLICY = {
    "category_code": "neighbour",
    "level": "township",
    "violence_risk": "1",
    "accept_days": "1",
    "resolve_days": "10",
    "follow_up_days": "3",
    "auto_escalate": "1",
    "basis": "县综治中心规定",
}


def test_deadline_policy_is_set_edited_and_deleted_through_the_actions(client_as, session):
    admin = client_as("admin")
    r = admin.post("/admin/policies", data=POLICY, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    row = _policy(session, "neighbour", "township", True)
    assert (row.accept_days, row.resolve_days, row.follow_up_days) == (1, 10, 3)
    assert row.auto_escalate is True
    edit = {**POLICY, "resolve_days": "12"}
    del edit["auto_escalate"]
    admin.post("/admin/policies", data=edit, headers=HTML, follow_redirects=False)
    row = _policy(session, "neighbour", "township", True)
    assert row.resolve_days == 12 and row.auto_escalate is False
    page = admin.get("/admin", headers=HTML).text
    assert f'action="/admin/policies/{row.id}/delete"' in page
    gone = admin.post(f"/admin/policies/{row.id}/delete", headers=HTML, follow_redirects=False)
    assert gone.status_code == 303 and _policy(session, "neighbour", "township", True) is None


def test_bad_policy_input_is_shown_next_to_the_field_and_kept(client_as, session):
    before = _policy(session, "", "village")
    bad = {**POLICY, "category_code": "", "level": "village", "resolve_days": "0"}
    r = client_as("admin").post("/admin/policies", data=bad, headers=HTML)
    assert r.status_code == 422 and 'id="resolve_days-error"' in r.text
    assert 'value="县综治中心规定"' in r.text
    after = _policy(session, "", "village")
    assert after.resolve_days == before.resolve_days


def test_a_levels_default_policy_cannot_be_deleted(client_as, session):
    row = _policy(session, "", "village")
    r = client_as("admin").post(f"/admin/policies/{row.id}/delete", headers=HTML)
    assert r.status_code == 409 and _policy(session, "", "village") is not None


def test_only_configuration_holders_set_policies(client_as, session):
    for name in ("security", "zhao"):
        r = client_as(name).post("/admin/policies", data=POLICY, headers=HTML)
        assert r.status_code == 403
    assert _policy(session, "neighbour", "township", True) is None


def _policy_table(page: str) -> str:
    start = page.index('id="policies"')
    return page[start : page.index("</table>", start)]


def test_the_policy_table_names_categories_and_sources_not_codes(client_as):
    admin = client_as("admin")
    admin.post("/admin/policies", data=POLICY, headers=HTML, follow_redirects=False)
    table = _policy_table(admin.get("/admin", headers=HTML).text)
    assert "<td>邻里</td>" in table and "<td>12345</td>" in table
    assert ">neighbour<" not in table and ">hotline_12345<" not in table
    admin.get("/?lang=en", headers=HTML)
    english = _policy_table(admin.get("/admin", headers=HTML).text)
    assert "<td>Neighbours</td>" in english and "<td>12345 hotline</td>" in english
    assert ">neighbour<" not in english
