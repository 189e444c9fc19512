"""Reads the pages need that are about the UI itself: the dictionaries offered in forms.

Protected objects are still fetched only through their domain's access_* functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Category, Source


def active_categories(session: Session) -> Sequence[Category]:
    stmt = select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    return session.scalars(stmt).all()


def active_sources(session: Session) -> Sequence[Source]:
    stmt = select(Source).where(Source.active).order_by(Source.sort_order, Source.code)
    return session.scalars(stmt).all()
