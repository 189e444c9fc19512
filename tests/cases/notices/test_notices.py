"""Notices of case events (站内通知): who is told — the people who now have the case in a
queue, never outside their scope, never the actor —, in the event's own transaction, and
nothing personal in what they read."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.deadlines.jobs import sweep_deadlines
from grassroots.cases.models import Case
from grassroots.cases.notices.queries import holding
from grassroots.notifications.models import Notification
from tests.cases.conftest import act
from tests.cases.sweep_support import at, case_by_code, events_of, seeded, village_case

PERSONAL = ("张三", "李四", "13800138000", "99010119800101001X", "排水")


def inbox(client, **params):
    r = client.get("/api/v1/notifications", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def kinds_for(client, code):
    return [n["kind"] for n in inbox(client) if n["case_code"] == code]


def registered(client_as, body):
    created = client_as("wang").post("/api/v1/cases", json=body).json()
    return created["code"], created["version"]


def test_escalation_tells_the_receiving_level_and_nobody_outside(client_as, new_case_body):
    zhao, qian, chen, zhou = (client_as(n) for n in ("zhao", "qian", "chen", "zhou"))
    code, version = registered(client_as, new_case_body)
    version = act(zhao, code, "accept", version).json()["version"]
    version = act(zhao, code, "escalate", version, reason="涉及多个村").json()["version"]
    assert kinds_for(zhao, code) == []  # the actor is not told of their own action
    r = act(zhao, code, "escalate", version, reason="镇里化解不了")  # → the county
    assert r.status_code == 200, r.text
    [notice] = [n for n in inbox(qian) if n["case_code"] == code]
    assert notice["kind"] == "escalated" and not notice["read"]
    assert code in notice["text"] and "赵强" in notice["text"]  # the actor's name
    assert notice["case_url"] == f"/cases/{code}"
    assert not any(p in notice["text"] for p in PERSONAL)
    assert kinds_for(chen, code) == ["escalated"]  # the county's leader has it to route too
    assert kinds_for(zhou, code) == []  # another township: outside its scope


def test_assignment_to_a_person_and_to_a_unit(client_as, new_case_body):
    zhao, li, sun, wang = (client_as(n) for n in ("zhao", "li", "sun", "wang"))
    code, version = registered(client_as, new_case_body)
    version = act(zhao, code, "accept", version).json()["version"]
    version = act(zhao, code, "escalate", version, reason="村里无调解员").json()["version"]
    r = act(zhao, code, "assign", version, unit_code=unit_of(client_as, "sun"))
    assert r.status_code == 200, r.text
    assert kinds_for(sun, code) == ["assigned"]  # the unit's handlers: nobody holds it yet
    assert kinds_for(li, code) == []
    r = act(zhao, code, "assign", r.json()["version"], mediator="li")
    assert r.status_code == 200, r.text
    assert kinds_for(li, code) == ["assigned"]
    assert "李明" in inbox(li)[0]["text"]
    assert kinds_for(sun, code) == ["assigned"]  # a named person holds it now: not again
    assert kinds_for(wang, code) == []


def unit_of(client_as, username):
    me = client_as(username).get("/api/v1/auth/me").json()
    return me["unit_code"]


def test_share_refer_down_and_rework(client_as, new_case_body):
    zhao, zhou, qian, li = (client_as(n) for n in ("zhao", "zhou", "qian", "li"))
    code, version = registered(client_as, new_case_body)
    version = act(zhao, code, "accept", version).json()["version"]
    r = act(zhao, code, "share", version, jurisdiction_code=zhou_place(client_as), role="co")
    assert r.status_code == 200, r.text
    assert kinds_for(zhou, code) == ["shared"]
    version = act(zhao, code, "escalate", r.json()["version"], reason="上报").json()["version"]
    version = act(zhao, code, "escalate", version, reason="上报县").json()["version"]
    r = act(qian, code, "refer_down", version, reason="请镇里办理")
    assert r.status_code == 200, r.text
    assert "referred_down" in kinds_for(zhao, code)
    version = act(zhao, code, "assign", r.json()["version"], mediator="li").json()["version"]
    version = act(li, code, "resolve", version, outcome_note="达成协议").json()["version"]
    r = act(zhao, code, "reopen", version, reason="当事人不满意")
    assert r.status_code == 200, r.text
    assert kinds_for(li, code)[0] == "returned"  # newest first


def zhou_place(client_as):
    me = client_as("zhou").get("/api/v1/auth/me").json()
    return me["jurisdiction_code"]


def test_a_mention_tells_only_someone_who_may_see_the_case(client_as, new_case_body):
    zhao, li, wu = (client_as(n) for n in ("zhao", "li", "wu"))
    code, version = registered(client_as, new_case_body)
    r = act(zhao, code, "accept", version, note="@li 请协助调解，@wu 也看看；@nobody")
    assert r.status_code == 200, r.text
    assert kinds_for(li, code) == ["mentioned"]
    assert "赵强" in inbox(li)[0]["text"]
    assert kinds_for(wu, code) == []  # another township's grid worker: outside the scope


def test_a_refused_action_leaves_no_notice(client_as, new_case_body, session: Session):
    zhao = client_as("zhao")
    code, version = registered(client_as, new_case_body)
    version = act(zhao, code, "accept", version).json()["version"]
    before = session.scalar(select(func.count(Notification.id)))
    r = act(zhao, code, "assign", version + 7, mediator="li", note="@li")  # stale version
    assert r.status_code == 409
    r = act(zhao, code, "assign", version, mediator="nobody", note="@li")  # a bad target
    assert r.status_code == 422
    assert session.scalar(select(func.count(Notification.id))) == before


def test_the_sweep_tells_yellow_and_red_once_each(fresh_engine: Engine):
    from sqlalchemy import update

    from grassroots.calendar.workdays import WorkCalendar
    from grassroots.cases.deadlines.models import DeadlinePolicy

    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        session.execute(update(DeadlinePolicy).values(auto_escalate=False))
        session.commit()
        code = village_case(session, users, "2026-03-02")
        case = case_by_code(session, code)
        due, yellow_on = case.resolve_due, case.clock_yellow_on
    assert due is not None and yellow_on is not None
    for hour in (2, 8):  # twice on the yellow day: told once
        sweep_deadlines(fresh_engine, at(yellow_on.isoformat(), hour))
    after_due = WorkCalendar({}, []).add_working_days(due, 1).isoformat()
    for hour in (2, 9):
        sweep_deadlines(fresh_engine, at(after_due, hour))
    with Session(fresh_engine) as session:
        rows = session.scalars(select(Notification).order_by(Notification.id)).all()
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        assert [(n.kind, n.user_id) for n in rows] == [
            ("deadline_yellow", zhao.id),
            ("deadline_red", zhao.id),
        ]
        assert rows[0].params["due"] == due.isoformat()
        assert rows[0].case_id == session.scalar(select(Case.id).where(Case.code == code))


def test_an_auto_escalation_tells_the_township(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        code = village_case(session, users, "2026-03-02")
    assert sweep_deadlines(fresh_engine, at("2026-04-15"))["escalated"] == 1
    with Session(fresh_engine) as session:
        told = session.execute(
            select(User.username, Notification.kind)
            .join(User, User.id == Notification.user_id)
            .where(Notification.case_code == code)
        ).all()
    assert ("zhao", "auto_escalated") in told
    assert all(kind == "auto_escalated" for _, kind in told)


def _told(engine: Engine, code: str) -> list[tuple[str, str, str]]:
    """(username, kind, late) of every notice on the case, in order."""
    with Session(engine) as session:
        rows = session.execute(
            select(User.username, Notification.kind, Notification.params)
            .join(User, User.id == Notification.user_id)
            .where(Notification.case_code == code)
            .order_by(Notification.id)
        ).all()
    return [(name, kind, params.get("late", "")) for name, kind, params in rows]


def _unaccepted(engine: Engine, *, escalates: bool) -> tuple[str, list[str]]:
    """wang's village case nobody accepts; the sweep days: the day after its time to accept
    and the next two working days."""
    from sqlalchemy import update

    from grassroots.calendar.workdays import WorkCalendar
    from grassroots.cases.deadlines.models import DeadlinePolicy

    users = seeded(engine)
    with Session(engine, expire_on_commit=False) as session:
        session.execute(update(DeadlinePolicy).values(auto_escalate=escalates))
        session.commit()
        code = village_case(session, users, "2026-03-02", accept=False)
        due = case_by_code(session, code).accept_due
    assert due is not None
    cal = WorkCalendar({}, [])
    return code, [cal.add_working_days(due, n).isoformat() for n in (1, 2, 3)]


def test_an_unaccepted_case_is_reminded_once_a_working_day_and_raised_above(
    fresh_engine: Engine,
):
    """Its policy escalates: the township (zhao, who must accept it) is told each working
    day, and the county centre above (qian, chen) is told too (上级督办) — each once a day
    however often the sweep runs."""
    code, days = _unaccepted(fresh_engine, escalates=True)
    for day in days:
        for hour in (2, 7):  # two sweeps a day: one notice each
            sweep_deadlines(fresh_engine, at(day, hour))
    told = _told(fresh_engine, code)
    assert [t for t in told if t[0] == "zhao"] == [
        ("zhao", "deadline_red", "1"),
        ("zhao", "deadline_reminder", "2"),
        ("zhao", "deadline_reminder", "3"),
    ]
    for boss in ("qian", "chen"):
        assert [t for t in told if t[0] == boss] == [
            (boss, "supervise_accept", n) for n in ("1", "2", "3")
        ]
    assert {t[0] for t in told} == {"zhao", "qian", "chen"}  # not wang, li, zhou
    with Session(fresh_engine) as session:
        notes = [e.note for e in events_of(session, code, "supervise")]
    assert len(notes) == 3 and all("已报上级综治中心督办" in n for n in notes)


def test_without_escalation_in_its_policy_only_the_township_is_reminded(fresh_engine: Engine):
    code, days = _unaccepted(fresh_engine, escalates=False)
    for day in days:
        sweep_deadlines(fresh_engine, at(day))
    assert _told(fresh_engine, code) == [
        ("zhao", "deadline_red", "1"),
        ("zhao", "deadline_reminder", "2"),
        ("zhao", "deadline_reminder", "3"),
    ]


def test_a_reminder_reads_without_personal_data_and_goes_to_the_outbox(fresh_engine: Engine):
    from grassroots.i18n import gettext_for
    from grassroots.notifications.actions import do_create_channel, do_subscribe
    from grassroots.notifications.kinds import notice_text
    from grassroots.notifications.models import Delivery
    from grassroots.notifications.schemas import ChannelIn, SubscriptionIn
    from tests.cases.sweep_support import user

    code, days = _unaccepted(fresh_engine, escalates=True)
    with Session(fresh_engine, expire_on_commit=False) as session:
        admin, zhao = user(session, "admin"), user(session, "zhao")
        hook, _ = do_create_channel(session, ChannelIn(
            name="县短信网关", kind="webhook", url="http://127.0.0.1:9/hook",
            secret="county-webhook-secret-0123456789"), actor=admin)  # fmt: skip
        choice = SubscriptionIn(address="13900000000", kinds=["deadline_reminder"])
        do_subscribe(session, zhao, hook, choice)
    for day in days:
        sweep_deadlines(fresh_engine, at(day))
    with Session(fresh_engine) as session:
        queued = session.scalars(select(Delivery.notification_id)).all()
        reminders = session.scalars(select(Notification).where(
            Notification.kind == "deadline_reminder").order_by(Notification.id)).all()  # fmt: skip
    assert sorted(queued) == [n.id for n in reminders] and len(queued) == 2  # not the others
    text = notice_text("deadline_reminder", reminders[-1].params, gettext_for("zh_CN"))
    assert code in text and "3" in text and "邻里" in text
    assert not any(p in text for p in PERSONAL)


def test_whom_a_case_waits_for_follows_a_moved_post(client_as, new_case_body, session):
    """A person's built conditions are reused from one event to the next (notices.queries
    keeps them by what they are built from): moving the person to another post and back
    changes whom a case waits for at once."""
    code, _ = registered(client_as, new_case_body)
    case = session.scalars(select(Case).where(Case.code == code)).one()
    people = {u.username: u for u in session.scalars(select(User))}
    zhou, zhao = people["zhou"], people["zhao"]
    home = zhou.jurisdiction_id
    assert holding(session, case, [zhou, zhao], ("to_accept",)) == [zhao]
    zhou.jurisdiction = zhao.jurisdiction  # moved to the case's township centre
    session.flush()
    assert holding(session, case, [zhou, zhao], ("to_accept",)) == [zhou, zhao]
    zhou.jurisdiction_id = home
    session.flush()
    session.expire(zhou, ["jurisdiction"])
    assert holding(session, case, [zhou, zhao], ("to_accept",)) == [zhao]
