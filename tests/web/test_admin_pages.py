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
