"""Pages of cases (HTML): one router made of the list, register and detail pages."""

from __future__ import annotations

from fastapi import APIRouter

from grassroots.cases import agreement_pages, pages_detail, pages_list, pages_new

router = APIRouter(include_in_schema=False)
# /cases/new before /cases/{code}, so that "new" is never taken for a case code.
router.include_router(pages_new.router)
router.include_router(pages_list.router)
router.include_router(pages_detail.router)
router.include_router(agreement_pages.router)
