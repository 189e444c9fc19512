"""The 线索 pages over HTTP: the list with its figures, receiving a lead from the form, the
actions as forms, the informant's reveal fragment, and nothing of the informant on any page."""

from __future__ import annotations

import re

from tests.leads.conftest import JUSTICE, LEADS, handed_down
from tests.leads.test_informant import CONTACT, EVERYONE, NAME

HTML = {"accept": "text/html"}


def _version(page: str) -> str:
    found = re.search(r'name="expected_version" value="(\d+)"', page)
    assert found, "no action form on the page"
    return found.group(1)


def _post(client, code: str, action: str, **fields: str):
    page = client.get(f"/leads/{code}", headers=HTML).text
    data = {"expected_version": _version(page), **fields}
    return client.post(
        f"/leads/{code}/act/{action}", data=data, headers=HTML, follow_redirects=False
    )


def test_receive_verify_reply_through_the_forms(client_as):
    qian, sun = client_as("qian"), client_as("sun")
    form = {k: v for k, v in handed_down(informant_name=NAME, informant_contact=CONTACT).items()}
    r = qian.post("/leads/new", data=form, headers=HTML,
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    code = r.headers["location"].rsplit("/", 1)[1]
    assert _post(qian, code, "assign", unit_code=JUSTICE).status_code == 303
    assert _post(sun, code, "start", note="").status_code == 303
    bad = _post(sun, code, "verify", finding="partly", actions_taken="")
    assert bad.status_code == 422 and 'id="action-verify" open' in bad.text
    assert _post(sun, code, "verify", finding="partly", actions_taken="已整改").status_code == 303
    assert _post(qian, code, "reply", reply="经核查部分属实").status_code == 303
    page = qian.get(f"/leads/{code}", headers=HTML).text
    assert "已反馈" in page and "部分属实" in page
    # names, not codes: the category and the verifying unit (issue 16 item 6)
    assert "涉黑涉恶" in page and "司法所" in page
    assert "organised_crime" not in page and f">{JUSTICE}" not in page
    listing = qian.get("/leads", headers=HTML).text
    assert code in listing and 'id="lead-figures"' in listing
    for name in EVERYONE:
        c = client_as(name)
        for path in ("/leads", f"/leads/{code}"):
            text = c.get(path, headers=HTML).text
            assert NAME not in text and CONTACT not in text, (name, path)
    fragment = qian.post(f"/leads/{code}/informant/reveal", data={"reason": "联系举报人反馈结果"},
                         headers=HTML)  # fmt: skip
    assert fragment.status_code == 200 and NAME in fragment.text and CONTACT in fragment.text


def test_bad_form_changes_nothing(client_as):
    qian = client_as("qian")
    before = qian.get(LEADS).json()["items"]
    r = qian.post("/leads/new", data=handed_down(title=""),
                  headers=HTML)  # fmt: skip
    assert r.status_code == 422 and "lead-title-error" in r.text
    assert qian.get(LEADS).json()["items"] == before
    assert client_as("sun").get("/leads/new", headers=HTML).status_code == 403


def test_dashboard_shows_the_lead_figures_to_coordinators(client_as):
    chen = client_as("chen")
    received = chen.get(f"{LEADS}/figures").json()["overall"]["received"]
    chen.post(LEADS, json=handed_down())
    page = chen.get("/", headers=HTML).text
    shown = re.search(r'data-figure="lead_received">\s*<p[^>]*>[^<]*</p>\s*<p[^>]*>(\d+)<', page)
    assert shown and int(shown.group(1)) == received + 1
    assert 'data-figure="lead_received"' not in client_as("wang").get("/", headers=HTML).text
