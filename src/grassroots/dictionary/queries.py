"""Reads of the dictionaries: every entry (administration) or the active ones (forms), and
an entry's name in the UI language. Served from the process's cache while the reference
stamp is unchanged (grassroots.refdata)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots import refdata
from grassroots.dictionary.models import Category, LeadCategory, Source


@dataclass(frozen=True)
class DictionaryRow:
    """A category or source as the process's cache keeps it (grassroots.refdata): a plain
    copy, shared by every request until the dictionaries change."""

    code: str
    name: str
    name_en: str
    sort_order: int
    active: bool


def categories(session: Session) -> tuple[DictionaryRow, ...]:
    return refdata.cached(session, "case_categories", lambda s: _dictionary(s, Category))


def sources(session: Session) -> tuple[DictionaryRow, ...]:
    return refdata.cached(session, "case_sources", lambda s: _dictionary(s, Source))


def _dictionary(
    session: Session, model: type[Category] | type[Source] | type[LeadCategory]
) -> tuple[DictionaryRow, ...]:
    rows = session.execute(
        select(model.code, model.name, model.name_en, model.sort_order, model.active).order_by(
            model.sort_order, model.code
        )
    )
    return tuple(DictionaryRow(*row) for row in rows)


def active_categories(session: Session) -> list[DictionaryRow]:
    return [c for c in categories(session) if c.active]


def active_sources(session: Session) -> list[DictionaryRow]:
    return [s for s in sources(session) if s.active]


def category_exists(session: Session, code: str) -> bool:
    return session.get(Category, code) is not None


def dictionary_name(entry: Category | Source | LeadCategory | DictionaryRow, locale: str) -> str:
    """A category's or source's name in the UI language: the English name when the UI is
    English and one is set, else the Chinese name (dictionary data, edited by admins)."""
    return entry.name_en if locale == "en" and entry.name_en else entry.name


def dictionary_names(
    entries: Iterable[Category | Source | DictionaryRow], locale: str
) -> dict[str, str]:
    """code → name in the UI language, in the entries' order."""
    return {e.code: dictionary_name(e, locale) for e in entries}


def lead_categories(session: Session) -> tuple[DictionaryRow, ...]:
    """The county's lead categories (not cached: read by lead pages and writes only)."""
    return _dictionary(session, LeadCategory)


def active_lead_category(session: Session, code: str) -> bool:
    row = session.get(LeadCategory, code)
    return row is not None and row.active
