"""JSON routes for jurisdictions, grids and locate."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["geo"])
