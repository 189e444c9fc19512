"""Find a PostgreSQL server for the tests, or start a throwaway one from installed binaries.

Order: GRASSROOTS_TEST_POSTGRES_URL; the local server at 127.0.0.1:5432 (user postgres);
a temporary cluster made with initdb/pg_ctl. Outside CI a missing PostgreSQL skips its
tests with the reason; under CI=true it is an error.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


class NoPostgres(RuntimeError):
    pass


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            conn.execute("select 1")
        return True
    except psycopg.Error:
        return False


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _throwaway_cluster() -> Iterator[str]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise NoPostgres("no PostgreSQL server reachable and no initdb/pg_ctl installed")
    base = tempfile.mkdtemp(prefix="grassroots-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(base, "data"), _free_port()
    subprocess.run(
        [*prefix, initdb, "-D", data, "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*prefix, pg_ctl, "-D", data, "-o", opts, "-w", "start", "-l", os.path.join(base, "log")],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields an admin URL of a server we may create databases on."""
    configured = os.environ.get("GRASSROOTS_TEST_POSTGRES_URL")
    if configured:
        if not _reachable(configured):
            raise NoPostgres(f"GRASSROOTS_TEST_POSTGRES_URL is set but not reachable: {configured}")
        yield configured
        return
    if _reachable(LOCAL_URL):
        yield LOCAL_URL
        return
    with _throwaway_cluster() as url:
        deadline = time.monotonic() + 20
        while not _reachable(url):
            if time.monotonic() > deadline:
                raise NoPostgres("throwaway PostgreSQL did not come up")
            time.sleep(0.2)
        yield url


def _with_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def temporary_database(admin_url: str, label: str = "t") -> Iterator[str]:
    name = f"grassroots_{label}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
