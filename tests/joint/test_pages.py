"""Joint-case pages: the list, the page with sides, tasks and thread; a message posted with
htmx (the fragment comes back) and without (a redirect); errors beside the field, nothing
stored; the thread escaped; the page refused to a reader who does not handle the case."""

from __future__ import annotations

from sqlalchemy import select

from grassroots.joint.models import JointMessage, JointTask
from tests.joint.conftest import CO_TOWNSHIP

HTML = {"accept": "text/html"}
HX = {"accept": "text/html", "HX-Request": "true"}


def test_the_list_and_the_page_show_sides_and_the_thread(client_as, joint_case):
    code = joint_case()
    zhou = client_as("zhou")
    page = zhou.get("/joint", headers=HTML).text
    assert f'href="/joint/{code}"' in page and "协办" in page
    r = zhou.post(f"/joint/{code}/messages", data={"text": "<b>现场</b>已核实"}, headers=HX)
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="thread">')
    assert "&lt;b&gt;现场&lt;/b&gt;已核实" in r.text and "<b>现场" not in r.text
    r = zhou.post(f"/joint/{code}/messages", data={"text": "第二条"}, headers=HTML,
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"/joint/{code}#thread"
    page = client_as("zhao").get(f"/joint/{code}", headers=HTML).text
    assert "会商记录" in page and "第二条" in page and f'id="side-j-{CO_TOWNSHIP}"' in page
    assert 'id="task-form"' in page  # the holder assigns
    assert 'id="task-form"' not in zhou.get(f"/joint/{code}", headers=HTML).text


def test_a_blank_message_comes_back_with_its_error_and_nothing_is_stored(
    client_as, session, joint_case
):
    code = joint_case()
    r = client_as("zhou").post(f"/joint/{code}/messages", data={"text": "  "}, headers=HX)
    assert r.status_code == 422 and 'id="message-text-error"' in r.text
    session.expire_all()
    assert session.scalars(select(JointMessage)).all() == []


def test_a_task_from_the_form_and_marked_done(client_as, session, joint_case):
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    r = zhao.post(f"/joint/{code}/tasks", data={"text": "现场勘界"}, headers=HTML)
    assert r.status_code == 422 and 'id="task-side-error"' in r.text
    form = {"side": f"j:{CO_TOWNSHIP}", "text": "现场勘界", "due_on": "2026-12-24"}
    r = zhao.post(f"/joint/{code}/tasks", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    task_id = session.scalars(select(JointTask.id)).one()
    r = zhou.post(f"/joint/{code}/tasks/{task_id}/done", headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert "标记完成" not in zhou.get(f"/joint/{code}", headers=HTML).text


def test_a_reader_who_does_not_handle_it_gets_not_found(client_as, joint_case):
    code = joint_case()
    wang = client_as("wang")
    assert wang.get(f"/joint/{code}", headers=HTML).status_code == 404
    r = wang.post(f"/joint/{code}/messages", data={"text": "x"}, headers=HTML)
    assert r.status_code == 404
