"""Category and source dictionaries: seeded defaults, admin edits (config.write), retiring."""

from __future__ import annotations


def test_seeded_defaults(client_as):
    zhao = client_as("zhao")
    names = [c["name"] for c in zhao.get("/api/v1/case-categories").json()]
    assert names[:3] == ["婚姻家庭", "邻里", "房屋宅基地"] and names[-1] == "其他"
    assert len(names) == 15
    sources = {s["code"]: s["name"] for s in zhao.get("/api/v1/case-sources").json()}
    assert sources["hotline_12345"] == "12345" and sources["open311"] == "Open311"


def test_admin_adds_and_retires_a_category(client_as, new_case_body):
    admin, zhao, wang = client_as("admin"), client_as("zhao"), client_as("wang")
    r = admin.put("/api/v1/case-categories/education", json={"name": "教育", "sort_order": 99})
    assert r.status_code == 200, r.text
    assert "education" in [c["code"] for c in zhao.get("/api/v1/case-categories").json()]
    assert wang.post("/api/v1/cases", json={**new_case_body, "category_code": "education"}
                     ).status_code == 201  # fmt: skip
    admin.put("/api/v1/case-categories/education", json={"name": "教育", "active": False})
    r = wang.post("/api/v1/cases", json={**new_case_body, "category_code": "education"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["category_code"]


def test_only_config_write_edits(client_as):
    r = client_as("zhao").put("/api/v1/case-sources/fax", json={"name": "传真"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_bad_dictionary_input_is_named(client_as):
    r = client_as("admin").put("/api/v1/case-sources/Bad Code", json={"name": ""})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"code", "name"}


def test_english_names_are_seeded_and_editable(client_as):
    """name_en (migration 0008) is seeded for the defaults; a PUT without it keeps it, a
    PUT with it changes it, and the English UI shows it (the Chinese UI never does)."""
    admin, zhao = client_as("admin"), client_as("zhao")
    entries = {c["code"]: c for c in zhao.get("/api/v1/case-categories").json()}
    assert entries["neighbour"]["name_en"] == "Neighbours"
    assert all(c["name_en"] for c in entries.values())
    sources = {s["code"]: s["name_en"] for s in zhao.get("/api/v1/case-sources").json()}
    assert sources["grid_patrol"] == "Grid worker patrol"
    admin.put("/api/v1/case-categories/neighbour", json={"name": "邻里纠纷", "sort_order": 2})
    kept = {c["code"]: c for c in zhao.get("/api/v1/case-categories").json()}["neighbour"]
    assert kept["name"] == "邻里纠纷" and kept["name_en"] == "Neighbours"
    r = admin.put(
        "/api/v1/case-categories/neighbour",
        json={"name": "邻里纠纷", "name_en": "Between neighbours", "sort_order": 2},
    )
    assert r.status_code == 200 and r.json()["name_en"] == "Between neighbours"
    html = {"accept": "text/html"}
    assert "Between neighbours" in zhao.get("/cases/new?lang=en", headers=html).text
    chinese = zhao.get("/cases/new?lang=zh-CN", headers=html).text
    assert "邻里纠纷" in chinese and "Between neighbours" not in chinese


def test_a_new_entry_without_an_english_name_falls_back_to_chinese(client_as):
    admin, zhao = client_as("admin"), client_as("zhao")
    admin.put("/api/v1/case-categories/education", json={"name": "教育", "sort_order": 99})
    page = zhao.get("/cases/new?lang=en", headers={"accept": "text/html"}).text
    assert '<option value="education"' in page and "教育" in page
