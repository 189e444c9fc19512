"""Fixtures of the geo tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grassroots.geo import locate


@pytest.fixture(autouse=True)
def _fresh_locate_index() -> Iterator[None]:
    """Each test's writes are rolled back afterwards, which no fingerprint can see within the
    check interval (ids are reused): start and end every geo test with no cached index."""
    locate.invalidate()
    yield
    locate.invalidate()
