"""The detail page's linked cases and joint handling: link by code, errors next to the field,
remove a link, end a share, and a linked case beyond the reader's scope shown by code only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases.conftest import grid_in

HTML = {"accept": "text/html"}


@pytest.fixture
def case_body(session, users) -> dict[str, Any]:
    return {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "邻里排水纠纷",
        "description": "排水沟", "grid_code": grid_in(session, users["wang"]),
    }  # fmt: skip


def register(client: Any, body: dict[str, Any]) -> str:
    r = client.post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return r.json()["code"]


def version(client: Any, code: str) -> str:
    return str(client.get(f"/api/v1/cases/{code}").json()["version"])


def post(client: Any, code: str, action: str, **form: str) -> Any:
    data = {"expected_version": version(client, code), **form}
    url = f"/cases/{code}/act/{action}"
    return client.post(url, data=data, headers=HTML, follow_redirects=False)


def test_link_by_code_shows_on_both_pages_and_can_be_removed(client_as, case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    dup, original = register(wang, case_body), register(wang, case_body)
    page = zhao.get(f"/cases/{dup}", headers=HTML).text
    assert "关联事件与联调" in page and "暂无关联事件。" in page
    assert 'id="action-link"' in page and 'id="link-other_code"' in page
    r = post(zhao, dup, "link", other_code=original, kind="duplicate")
    assert r.status_code == 303, r.text
    page = zhao.get(f"/cases/{dup}", headers=HTML).text
    row = page.split(f'id="link-{original}"', 1)[1].split("</tr>", 1)[0]
    assert f'href="/cases/{original}"' in row and "本事件是其重复件" in row and "已登记" in row
    other = zhao.get(f"/cases/{original}", headers=HTML).text
    row = other.split(f'id="link-{dup}"', 1)[1].split("</tr>", 1)[0]
    assert "本事件的重复件" in row
    # Its remove button acts on the duplicate, which carries the mark.
    assert f'action="/cases/{dup}/act/unlink"' in row and f'value="{original}"' in row
    assert "被其他事件关联" in other  # the note on the original's timeline
    r = post(zhao, dup, "unlink", other_code=original)
    assert r.status_code == 303, r.text
    assert f'id="link-{original}"' not in zhao.get(f"/cases/{dup}", headers=HTML).text


def test_link_errors_come_back_next_to_the_field(client_as, case_body):
    zhao = client_as("zhao")
    code = register(client_as("wang"), case_body)
    r = post(zhao, code, "link", other_code=code, kind="related")
    assert r.status_code == 422
    form = r.text.split('id="action-link"', 1)[1].split("</details>", 1)[0]
    assert 'aria-invalid="true"' in form and 'id="link-other_code-error"' in form
    assert "不能关联本案自身" in form
    r = post(zhao, code, "link", other_code="", kind="related")
    assert r.status_code == 422 and 'id="link-other_code-error"' in r.text
    assert version(zhao, code) == "1"


def test_unlink_error_is_shown_in_the_links_section(client_as, case_body):
    zhao = client_as("zhao")
    a, b = register(client_as("wang"), case_body), register(client_as("wang"), case_body)
    r = post(zhao, a, "unlink", other_code=b)
    assert r.status_code == 422
    assert 'id="unlink-error"' in r.text and "没有关联" in r.text


def test_a_case_beyond_the_readers_scope_is_shown_by_code_only(
    client_as, case_body, session, users
):
    zhao, zhou = client_as("zhao"), client_as("zhou")
    mine = register(client_as("wang"), case_body)
    theirs = register(client_as("wu"), dict(case_body, grid_code=grid_in(session, users["wu"])))
    r = post(zhao, mine, "share", jurisdiction_code="990101003000", role="lead")
    assert r.status_code == 303
    page = zhao.get(f"/cases/{mine}", headers=HTML).text
    share = page.split('id="share-990101003000"', 1)[1].split("</li>", 1)[0]
    assert "主办" in share and "取消联调" in share
    assert post(zhou, theirs, "link", other_code=mine, kind="related").status_code == 303
    page = zhao.get(f"/cases/{mine}", headers=HTML).text
    row = page.split(f'id="link-{theirs}"', 1)[1].split("</tr>", 1)[0]
    assert "不在您的辖区" in row and "href" not in row and "邻里排水纠纷" not in row
    # zhou (lead) sees the link the other way, with the title.
    row = zhou.get(f"/cases/{theirs}", headers=HTML).text.split(f'id="link-{mine}"', 1)[1]
    assert f'href="/cases/{mine}"' in row.split("</tr>", 1)[0]
    # Ending the share: zhou no longer sees zhao's case.
    assert post(zhao, mine, "unshare", jurisdiction_code="990101003000").status_code == 303
    assert zhou.get(f"/cases/{mine}", headers=HTML).status_code == 404
    assert "未与其他综治中心或单位联调。" in zhao.get(f"/cases/{mine}", headers=HTML).text


def test_a_grid_worker_sees_links_but_no_link_forms(client_as, case_body):
    wang = client_as("wang")
    code = register(wang, case_body)
    page = wang.get(f"/cases/{code}", headers=HTML).text
    assert 'id="links-heading"' in page
    assert 'id="action-link"' not in page and "/act/unlink" not in page
