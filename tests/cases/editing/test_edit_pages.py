"""The edit page: shown to who may edit, the form saves through do_edit_case, errors come
back next to their fields and change nothing; the case page links to it and shows the edit."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.cases.models import Case


def form_of(client, code: str) -> dict:
    page = client.get(f"/cases/{code}/edit")
    assert page.status_code == 200, page.text
    return page


def test_edit_form_saves_and_the_timeline_shows_it(session, client_as, new_case_body):
    wang = client_as("wang")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    detail = wang.get(f"/cases/{code}")
    assert f'href="/cases/{code}/edit"' in detail.text
    page = form_of(wang, code)
    assert "13800138000" not in page.text and "张三" not in page.text  # masked only
    form = {
        "csrf_token": wang.headers["X-CSRF-Token"], "expected_version": str(created["version"]),
        "kind": "dispute", "category_code": "housing_land", "risk_level": "medium",
        "grid_code": created["grid_code"], "address": "东头第三户",
        "reason": "补充地址，类别改为宅基地",
    }  # fmt: skip
    r = wang.post(f"/cases/{code}/edit", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = wang.get(f"/cases/{code}")
    assert "东头第三户" in shown.text and "补充地址，类别改为宅基地" in shown.text
    assert 'class="is-size-7 edit-change"' in shown.text
    case = session.scalar(select(Case).where(Case.code == code))
    assert case is not None
    assert (case.category_code, case.risk_level, case.address) == (
        "housing_land",
        "medium",
        "东头第三户",
    )


def test_edit_form_errors_next_to_fields_and_nothing_changes(session, client_as, new_case_body):
    wang = client_as("wang")
    created = wang.post("/api/v1/cases", json=new_case_body).json()
    code = created["code"]
    base = {"csrf_token": wang.headers["X-CSRF-Token"], "expected_version": str(created["version"])}
    r = wang.post(f"/cases/{code}/edit", data=base | {"address": "新地址", "reason": ""})
    assert r.status_code == 422 and 'id="reason-error"' in r.text
    parties = wang.get("/api/v1/parties", params={"case": code}).json()
    bad_phone = {f"party_{parties[0]['id']}_phone": "abc", "reason": "改电话"}
    r = wang.post(f"/cases/{code}/edit", data=base | bad_phone)
    assert r.status_code == 422 and f'id="party_{parties[0]["id"]}_phone-error"' in r.text
    stale = base | {"expected_version": "0", "address": "x", "reason": "改"}
    r = wang.post(f"/cases/{code}/edit", data=stale)
    assert r.status_code == 422 and 'id="edit-error"' in r.text
    assert wang.get(f"/api/v1/cases/{code}").json()["version"] == created["version"]


def test_edit_page_refused_to_who_may_not_edit(session, client_as, case_in):
    code, version = case_in("closed")
    zhao, chen = client_as("zhao"), client_as("chen")
    assert f'href="/cases/{code}/edit"' not in zhao.get(f"/cases/{code}").text
    refused = zhao.get(f"/cases/{code}/edit")
    assert refused.status_code == 200 and 'id="edit-refused"' in refused.text
    assert 'id="edit-form"' not in refused.text
    form = {"csrf_token": zhao.headers["X-CSRF-Token"], "expected_version": str(version),
            "address": "x", "reason": "改"}  # fmt: skip
    posted = zhao.post(f"/cases/{code}/edit", data=form)
    assert posted.status_code == 422 and "只有领导可以修改" in posted.text
    assert chen.get(f"/cases/{code}/edit").status_code == 200
    assert client_as("zhou").get(f"/cases/{code}/edit").status_code == 404
