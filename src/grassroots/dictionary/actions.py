"""Editing the category and source dictionaries (config.write)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction
from grassroots.dictionary.models import Category, LeadCategory, Source
from grassroots.dictionary.schemas import DictionaryEntryIn

Entry = TypeVar("Entry", Category, Source, LeadCategory)


def do_put_entry(
    session: Session, kind: type[Entry], code: str, data: DictionaryEntryIn, *, actor: User,
) -> Entry:  # fmt: skip
    """Create or update one entry. Entries are never deleted (old cases keep their code):
    set active=false to retire one."""
    with transaction(session):
        row = session.get(kind, code)
        created = row is None
        if row is None:
            row = kind(code=code)
            session.add(row)
        row.name, row.sort_order, row.active = data.name, data.sort_order, data.active
        if data.name_en is not None:
            row.name_en = data.name_en.strip()
        elif created:
            row.name_en = ""
        record_audit(
            session, actor=actor, action=f"config.{kind.__tablename__}",
            object_type=kind.__tablename__, object_id=code,
            details={"created": created, "active": data.active},
        )  # fmt: skip
    return row
