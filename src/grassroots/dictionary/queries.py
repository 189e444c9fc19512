"""Reads of the dictionaries: every entry (administration) or the active ones (forms), and
an entry's name in the UI language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.dictionary.models import Category, Source


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.sort_order, Category.code)))


def sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.sort_order, Source.code)))


def active_categories(session: Session) -> Sequence[Category]:
    stmt = select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    return session.scalars(stmt).all()


def active_sources(session: Session) -> Sequence[Source]:
    stmt = select(Source).where(Source.active).order_by(Source.sort_order, Source.code)
    return session.scalars(stmt).all()


def category_exists(session: Session, code: str) -> bool:
    return session.get(Category, code) is not None


def dictionary_name(entry: Category | Source, locale: str) -> str:
    """A category's or source's name in the UI language: the English name when the UI is
    English and one is set, else the Chinese name (dictionary data, edited by admins)."""
    return entry.name_en if locale == "en" and entry.name_en else entry.name


def dictionary_names(entries: Iterable[Category | Source], locale: str) -> dict[str, str]:
    """code → name in the UI language, in the entries' order."""
    return {e.code: dictionary_name(e, locale) for e in entries}
