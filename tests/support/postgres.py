"""Find a PostgreSQL server for the tests, or start a throwaway one from installed binaries.

Order: GRASSROOTS_TEST_POSTGRES_URL; the local server at 127.0.0.1:5432 (user postgres);
a temporary cluster made with initdb/pg_ctl. Outside CI a missing PostgreSQL skips its
tests with the reason; under CI=true it is an error.
"""

from __future__ import annotations

import atexit
import glob
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
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


def worker_id() -> str:
    """The pytest-xdist worker ("gw0", "gw1", ...) or "main": part of every database name, so
    parallel workers never share one."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_database(admin_url: str, label: str = "t", template: str | None = None) -> str:
    """A new database (a copy of `template` when given: `CREATE DATABASE … TEMPLATE`, ~0.2 s
    against ~3 s for migrating an empty one); returns its name. Commits of the test databases
    need not survive a crash: synchronous_commit is off for them."""
    name = f"grassroots_{label}_{worker_id()}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
    return name


class _Dropper:
    """Drops databases in a background thread: DROP DATABASE forces a checkpoint (~2 s on a
    busy machine), which no test needs to wait for. `wait()` at the end of the session."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def drop(self, admin_url: str, name: str) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="drop-databases", daemon=True)
                self.thread.start()
        self.queue.put((admin_url, name))

    def _run(self) -> None:
        while (job := self.queue.get()) is not None:
            admin_url, name = job
            try:
                drop_database(admin_url, name)
            except psycopg.Error:
                pass  # a leftover test database harms nobody; the next run's names differ
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def wait(self) -> None:
        with self.lock:
            if self.thread is not None:
                self.queue.put(None)
                self.thread.join()
                self.thread = None


DROPPER = _Dropper()
atexit.register(DROPPER.wait)


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def temporary_database(
    admin_url: str, label: str = "t", template: str | None = None
) -> Iterator[str]:
    """The URL of a new database (copied from `template` if given), dropped afterwards (in the
    background: callers dispose of their engines first)."""
    name = create_database(admin_url, label, template)
    try:
        yield _with_db(admin_url, name)
    finally:
        DROPPER.drop(admin_url, name)
