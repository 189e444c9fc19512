"""JSON routes of the dictionaries: categories and sources (read by staff, set by admins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path

from grassroots.accounts.models import User
from grassroots.deps import DbSession, requires
from grassroots.dictionary import queries as q
from grassroots.dictionary.actions import do_put_entry
from grassroots.dictionary.models import Category, LeadCategory, Source
from grassroots.dictionary.schemas import DictionaryEntry, DictionaryEntryIn

router = APIRouter(tags=["cases"])
Reader = Annotated[User, requires("case.read")]
Configurer = Annotated[User, requires("config.write")]
LeadReader = Annotated[User, requires("lead.read")]


def _entries(
    rows: Sequence[Category | Source | LeadCategory | q.DictionaryRow],
) -> list[DictionaryEntry]:
    return [DictionaryEntry(code=r.code, name=r.name, name_en=r.name_en,
                            sort_order=r.sort_order, active=r.active) for r in rows]  # fmt: skip


@router.get("/case-categories", response_model=list[DictionaryEntry])
def list_categories(session: DbSession, user: Reader) -> list[DictionaryEntry]:
    return _entries(q.categories(session))


@router.get("/case-sources", response_model=list[DictionaryEntry])
def list_sources(session: DbSession, user: Reader) -> list[DictionaryEntry]:
    return _entries(q.sources(session))


@router.put("/case-categories/{code}", response_model=DictionaryEntry)
def put_category(
    code: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$")], data: DictionaryEntryIn,
    session: DbSession, user: Configurer,
) -> DictionaryEntry:  # fmt: skip
    """Add or change a category (set active=false to retire it; old cases keep it)."""
    return _entries([do_put_entry(session, Category, code, data, actor=user)])[0]


@router.put("/case-sources/{code}", response_model=DictionaryEntry)
def put_source(
    code: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$")], data: DictionaryEntryIn,
    session: DbSession, user: Configurer,
) -> DictionaryEntry:  # fmt: skip
    return _entries([do_put_entry(session, Source, code, data, actor=user)])[0]


@router.get("/lead-categories", response_model=list[DictionaryEntry], tags=["leads"])
def list_lead_categories(session: DbSession, user: LeadReader) -> list[DictionaryEntry]:
    """线索类别: the county's categories of leads."""
    return _entries(q.lead_categories(session))


@router.put("/lead-categories/{code}", response_model=DictionaryEntry, tags=["leads"])
def put_lead_category(
    code: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$")], data: DictionaryEntryIn,
    session: DbSession, user: Configurer,
) -> DictionaryEntry:  # fmt: skip
    """Add or change a lead category (active=false retires it; old leads keep it)."""
    return _entries([do_put_entry(session, LeadCategory, code, data, actor=user)])[0]
