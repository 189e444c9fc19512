"""The next step made obvious on the case page: the actions the case waits for from the
viewer highlighted, who holds it when the viewer cannot act, each term explained, and a
confirmation of what an action changed after the redirect."""

from __future__ import annotations

import re
from datetime import date

from tests.cases.conftest import VALID


def section(html: str, element_id: str) -> str:
    """The highlighted actions: from the box to the other actions (or the panel's end)."""
    found = re.search(rf'id="{element_id}">(.*?)(id="other-actions"|</section>)', html, re.S)
    return found.group(1) if found else ""


def flash_after(client, code: str, action: str, version: int, **form) -> str:  # type: ignore[no-untyped-def]
    data = {"csrf_token": client.headers["X-CSRF-Token"], "expected_version": str(version), **form}
    r = client.post(f"/cases/{code}/act/{action}", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(f"/cases/{code}").text
    found = re.search(
        r'class="notification is-success is-light flash" role="status">(.*?)</div>', page
    )
    assert found, "no confirmation shown"
    return found.group(1)


def day(text: str) -> str:
    d = date.fromisoformat(text)
    return f"{d.month}月{d.day}日"


def test_registered_case_highlights_accept_for_the_centre(client_as, case_in):
    code, _ = case_in("registered")
    page = client_as("zhao").get(f"/cases/{code}").text
    steps = section(page, "next-steps")
    assert 'id="action-accept"' in steps and 'id="action-reject"' in steps
    assert 'id="action-share"' not in steps  # the other actions come after, not highlighted
    assert 'id="jargon-accept"' in page and "受理：由本中心办理" in page
    assert 'id="case-holder"' not in page


def test_who_holds_the_case_when_the_viewer_cannot_act(client_as, case_in):
    code, _ = case_in("in_progress")
    wang = client_as("wang")
    case = wang.get(f"/api/v1/cases/{code}").json()
    page = wang.get(f"/cases/{code}").text
    assert 'id="next-steps"' not in page
    holder = re.search(r'id="case-holder" role="status">(.*?)</p>', page)
    assert holder and holder.group(1).startswith("本案现由")
    assert case["holder_name"] in holder.group(1) and "调解委员会" in holder.group(1)


def test_each_action_confirms_what_it_changed(client_as, case_in):
    code, version = case_in("registered")
    zhao = client_as("zhao")
    message = flash_after(zhao, code, "accept", version)
    case = zhao.get(f"/api/v1/cases/{code}").json()
    assert message == f"已受理，化解期限 {day(case['resolve_due'])}"
    message = flash_after(zhao, code, "escalate", case["version"], reason="涉及两村")
    case = zhao.get(f"/api/v1/cases/{code}").json()
    assert message == f"已上报至{case['holder_name']}，化解期限 {day(case['resolve_due'])}"
    assert case["level"] == "township"


def test_close_is_the_next_step_after_the_follow_up(client_as, case_in):
    code, version = case_in("resolved")
    zhao = client_as("zhao")
    assert 'id="action-follow_up"' in section(zhao.get(f"/cases/{code}").text, "next-steps")
    flash_after(zhao, code, "follow_up", version, **VALID["follow_up"])
    steps = section(zhao.get(f"/cases/{code}").text, "next-steps")
    assert 'id="action-close"' in steps and 'id="action-follow_up"' not in steps
