"""Intake's preflight: ONE SELECT that reads everything registration checks against (the
stored Idempotency-Key, the category and source, the registering post, the calendar and the
deadline policies; on PostgreSQL also the (user, key) advisory lock), decoded into a
Preflight. See grassroots.cases.intake.keyed for where it runs.

The calendar and the policies come from the process's cache (grassroots.refdata) when the
reference stamp the SELECT reads is the one they were cached under: the SELECT then leaves
their columns NULL without computing them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, case, func, literal, select
from sqlalchemy.orm import Session

from grassroots import refdata
from grassroots.accounts.models import User
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases import schemas as s
from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.deadlines.policies import Policies, Policy
from grassroots.cases.intake.idempotency import KEY_TABLE, StoredKey, advisory_lock_id
from grassroots.dictionary.models import Category, Source
from grassroots.geo.models import Jurisdiction, Level, code_prefix

CONFIG = "intake_config"  # the (calendar, policies) pair in the refdata cache
_JUR = cast(Table, Jurisdiction.__table__)
_DAY = cast(Table, CalendarDay.__table__)
_YEAR = cast(Table, CalendarYear.__table__)
_POLICY = cast(Table, DeadlinePolicy.__table__)
_CATEGORY = cast(Table, Category.__table__)
_SOURCE = cast(Table, Source.__table__)


@dataclass(frozen=True)
class Holder:
    """A jurisdiction as intake needs it (the registering post, the case's holder)."""

    id: int
    code: str
    name: str
    level: str
    current: bool = True

    @property
    def prefix(self) -> str:
        return code_prefix(Level(self.level), self.code)


@dataclass(frozen=True)
class Preflight:
    locked: bool  # PostgreSQL: the (user, key) advisory lock was taken
    stored: StoredKey | None
    category_active: bool | None
    source_active: bool | None
    post: Holder | None
    cal: WorkCalendar
    policies: Policies  # level → (source or "", category or "", risk) → policy
    stamp: str = ""  # the reference stamp read (what the grid index is checked against)


@lru_cache(maxsize=4)
def _statement(dialect: str) -> Select[Any]:
    """The preflight SELECT: its columns in the order `preflight` reads them."""
    pg = dialect == "postgresql"
    lock = func.pg_try_advisory_xact_lock(bindparam("lock")) if pg else literal(True)
    stamp = refdata.STAMP_QUERY.scalar_subquery()
    config = [case((stamp == bindparam("known"), None), else_=c) for c in _config_columns(pg)]
    columns = [lock, *_key_columns(), *_dictionary_and_post_columns(), stamp, *config]
    return select(*columns)


def _key_columns() -> list[Any]:
    """The stored Idempotency-Key row of (user, key), column by column."""
    k = KEY_TABLE
    where = (k.c.user_id == bindparam("uid"), k.c.key == bindparam("key"))
    cols = (k.c.request_hash, k.c.state, k.c.started_at, k.c.response_status, k.c.response_body)
    return [select(col).where(*where).scalar_subquery() for col in cols]


def _dictionary_and_post_columns() -> list[Any]:
    """Whether the category and the source are active; the registering post."""
    post = (_JUR.c.code, _JUR.c.name, _JUR.c.level, _JUR.c.valid_to.is_(None))
    category = _CATEGORY.c.code == bindparam("category")
    return [
        select(_CATEGORY.c.active).where(category).scalar_subquery(),
        select(_SOURCE.c.active).where(_SOURCE.c.code == bindparam("source")).scalar_subquery(),
        *(select(c).where(_JUR.c.id == bindparam("jid")).scalar_subquery() for c in post),
    ]


def _config_columns(pg: bool) -> list[Any]:
    """The calendar's days and years and every policy, as JSON arrays; NULL (not even
    computed) when the reference stamp is the one this process cached them under."""
    agg, array = (func.json_agg, func.json_build_array) if pg else (
        func.json_group_array, func.json_array)  # fmt: skip
    p = _POLICY.c
    return [
        select(agg(array(_DAY.c.day, _DAY.c.is_working, _DAY.c.name))).scalar_subquery(),
        select(agg(_YEAR.c.year)).scalar_subquery(),
        select(agg(array(p.level, p.source_code, p.category_code, p.violence_risk, p.accept_days,
                         p.resolve_days, p.follow_up_days, p.auto_escalate)))
        .scalar_subquery(),
    ]  # fmt: skip


def preflight(session: Session, actor: User, key: str, data: s.NewCase) -> Preflight:
    dialect = session.get_bind().dialect.name
    known = refdata.peek(session, CONFIG)  # read before the stamp the query compares it with
    params = {
        "uid": actor.id, "key": key, "jid": actor.jurisdiction_id,
        "category": data.category_code, "source": data.source_code,
        "known": known[0] if known else "",
    }  # fmt: skip
    if dialect == "postgresql":
        params["lock"] = advisory_lock_id(actor.id, key)
    row = session.connection().execute(_statement(dialect), params).one()
    stored = StoredKey(*row[1:6]) if row[1] is not None else None
    jid = actor.jurisdiction_id
    post = Holder(jid, row[8], row[9], row[10], bool(row[11])) if jid and row[8] else None
    cal, policies = _config(session, known, row[12], row[13:16])
    return Preflight(
        locked=bool(row[0]), stored=stored, category_active=row[6], source_active=row[7],
        post=post, cal=cal, policies=policies, stamp=str(row[12] or ""),
    )  # fmt: skip


def _config(
    session: Session, known: tuple[str, Any] | None, stamp: str, config: Sequence[Any]
) -> tuple[WorkCalendar, Policies]:
    """The calendar and policies: the cached ones if the query found their stamp current
    (and so left the columns NULL), else decoded from the columns and cached."""
    if known is not None and known[0] == stamp and config[0] is None:
        return cast(tuple[WorkCalendar, Policies], known[1])
    value = (_calendar(config[0], config[1]), _policies(config[2]))
    refdata.remember(session, CONFIG, stamp, value)
    return value


def _json(value: Any) -> list[Any]:
    if value is None:
        return []
    return cast(list[Any], json.loads(value) if isinstance(value, str) else value)


_CALENDARS: dict[tuple[Any, ...], WorkCalendar] = {}


def _calendar(days_json: Any, years_json: Any) -> WorkCalendar:
    """The WorkCalendar of these entries: one object per distinct content and process, so its
    working-day caches (and the statistics' index of it) outlive the request."""
    days = tuple(sorted((str(d), bool(w), str(n)) for d, w, n in _json(days_json)))
    key = (days, tuple(sorted(int(y) for y in _json(years_json))))
    cal = _CALENDARS.get(key)
    if cal is None:
        if len(_CALENDARS) >= 16:
            _CALENDARS.clear()
        admin_days = {date.fromisoformat(d): (w, n) for d, w, n in days}
        cal = _CALENDARS[key] = WorkCalendar(admin_days, key[1])
    return cal


def _policies(rows_json: Any) -> Policies:
    out: Policies = {}
    for level, source, category, risk, accept, resolve, follow_up, auto in _json(rows_json):
        policy = Policy(int(accept), int(resolve), int(follow_up), bool(auto))
        out.setdefault(level, {})[(source, category, bool(risk))] = policy
    return out
