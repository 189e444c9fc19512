"""The demo county's leads (线索), received and worked through the real actions at past
moments: a batch handed down by the city's office months ago, verified, replied and closed
(cleared to zero), and a local batch of residents' reports still in progress."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.calendar.today import china_today
from grassroots.demo.county import Node
from grassroots.leads.actions import do_act, do_create
from grassroots.leads.models import Lead
from grassroots.leads.schemas import INPUTS, NewLead

CITY_OFFICE = "市扫黑除恶专项斗争领导小组办公室"
CITY_LEADS = [
    ("反映某砂石场强揽周边工程", "organised_crime", "substantiated"),
    ("反映村级工程围标串标", "organised_crime", "partly"),
    ("反映集市收取“保护费”", "organised_crime", "unfounded"),
    ("反映某村干部优亲厚友", "official_misconduct", "partly"),
    ("反映河道非法采砂", "safety_hazard", "substantiated"),
    ("反映土地流转纠纷长期未解决", "dispute_risk", "unverifiable"),
]
LOCAL_REPORTS = [
    ("反映小区电动车楼道充电", "safety_hazard", 0),
    ("反映两户宅基地界址争执升级", "dispute_risk", 1),
    ("反映老旧桥梁护栏缺失", "safety_hazard", 2),
    ("反映物业强行停水", "dispute_risk", 3),
]


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _step(session: Session, code: str, action: str, user: User, day: date, **body: object) -> None:
    lead = session.scalars(select(Lead).where(Lead.code == code)).one()
    params = INPUTS[action].model_validate(body)
    do_act(session, lead, action, params, actor=user, permissions=granted(user.role),
           expected_version=lead.version, now=_at(day))  # fmt: skip


def build_demo_leads(session: Session, county: Node, today: date | None = None) -> list[str]:
    """Both batches; returns the codes of the leads received."""
    day = today or china_today()
    users = {u.username: u for u in session.scalars(select(User))}
    township = county.children[1].code
    codes = _city_batch(session, users, township, day - timedelta(days=120))
    return codes + _local_batch(session, users, township, day)


def _city_batch(session: Session, users: dict[str, User], township: str, start: date) -> list[str]:
    qian, sun = users["qian"], users["sun"]
    unit = f"{township[:9]}-justice"
    codes = []
    for i, (title, category, finding) in enumerate(CITY_LEADS):
        data = NewLead(
            source="assigned", issuing_body=CITY_OFFICE,
            document_number=f"市扫黑办〔{start.year}〕8号", batch=f"{start.year}-第2批",
            category_code=category, title=title,
            content=f"{title}，请核查并于期限内反馈核查情况。", jurisdiction_code=township,
            received_on=start, due_on=start + timedelta(days=30), persons="（示范数据）某负责人",
            informant_name=f"示范举报人{i + 1}", informant_contact="",
        )  # fmt: skip
        code = do_create(session, data, actor=qian, now=_at(start)).code
        _step(session, code, "assign", qian, start + timedelta(days=1), unit_code=unit)
        _step(session, code, "start", sun, start + timedelta(days=2))
        _step(session, code, "note", sun, start + timedelta(days=5), note="走访核实，调取相关材料")
        _step(session, code, "verify", sun, start + timedelta(days=12), finding=finding,
              actions_taken="已核查，相关问题已整改或移交主管部门")  # fmt: skip
        _step(
            session, code, "reply", qian, start + timedelta(days=14), reply="核查情况已报市扫黑办"
        )
        _step(session, code, "close", qian, start + timedelta(days=40))
        codes.append(code)
    return codes


def _local_batch(session: Session, users: dict[str, User], township: str, today: date) -> list[str]:
    zhao, sun = users["zhao"], users["sun"]
    unit = f"{township[:9]}-justice"
    codes = []
    for i, (title, category, progress) in enumerate(LOCAL_REPORTS):
        start = today - timedelta(days=10 - i)
        data = NewLead(
            source="report", category_code=category, title=title, jurisdiction_code=township,
            content=f"群众来电{title}。", received_on=start, anonymous=i % 2 == 0,
            informant_contact="" if i % 2 == 0 else "13900000000",
        )  # fmt: skip
        code = do_create(session, data, actor=zhao, now=_at(start)).code
        if progress >= 1:
            _step(session, code, "assign", zhao, start, unit_code=unit)
        if progress >= 2:
            _step(session, code, "start", sun, start + timedelta(days=1))
        if progress >= 3:
            _step(session, code, "verify", sun, start + timedelta(days=2), finding="substantiated",
                  actions_taken="已协调物业恢复供水")  # fmt: skip
        codes.append(code)
    return codes
