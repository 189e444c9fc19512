"""The app the crash benchmark serves (uvicorn --factory bench.crash_app:create): the plain
app; the benchmark's clients authenticate with a bearer token (bench.crash_setup)."""

from __future__ import annotations

from typing import Any

from grassroots.app import create_app
from grassroots.config import get_settings


def create() -> Any:
    return create_app(get_settings())
