"""New test databases: copies of a migrated template, one template per test process.

tests/conftest.py builds the templates once per process (`sqlite_template`: a migrated file;
`postgres_template`: a migrated database whose name holds the xdist worker); a new database
is then a file copy or a `CREATE DATABASE … TEMPLATE` (~0.2 s instead of ~3 s of migrations).
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.postgres import temporary_database


def new_database_url(
    kind: str, folder: Path, stack: ExitStack, request: pytest.FixtureRequest, label: str = "t"
) -> str:
    """The URL of a new migrated, empty database of `kind` ("sqlite" or "postgresql"), copied
    from the process's template; a PostgreSQL one is dropped when `stack` closes."""
    if kind == "sqlite":
        path = folder / "grassroots.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    admin = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")
    return stack.enter_context(temporary_database(admin, label, template))
