"""Opt-in pytest plugin: each test's wall and CPU time, for measuring the suite on a shared
machine, where wall time follows the other jobs' load but a test process's CPU time does not.

    GRASSROOTS_CPU_LOG=/tmp/cpu.jsonl pytest -p tests.support.cputime ...

appends one JSON line per test phase (setup, call, teardown) and process: node id, phase,
wall seconds, CPU seconds of the test process (its threads included: the live servers run in
one), of its child processes that ended, of its live descendant processes (chromium) and the
xdist worker. The PostgreSQL server is another process: not counted.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

LOG = os.environ.get("GRASSROOTS_CPU_LOG", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _children() -> float:
    """CPU seconds of the child processes that ended (subprocess.run: init --demo, serve)."""
    times = os.times()
    return times.children_user + times.children_system


def _descendants() -> float:
    """CPU seconds of the live descendant processes (chromium, its driver), each with its
    reaped children (chromium's closed renderers): read from /proc, Linux only."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        ticks[int(entry)] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    mine, total = {os.getpid()}, 0
    for pid in sorted(parent):  # a child's pid is usually greater than its parent's
        if parent[pid] in mine:
            mine.add(pid)
            total += ticks[pid]
    return total / os.sysconf("SC_CLK_TCK")


def _timed(item: pytest.Item, phase: str) -> Iterator[None]:
    wall, cpu, children = time.perf_counter(), time.process_time(), _children()
    others = _descendants() if LOG else 0.0
    yield
    if LOG:
        line = {
            "test": item.nodeid,
            "phase": phase,
            "wall": round(time.perf_counter() - wall, 3),
            "cpu": round(time.process_time() - cpu, 3),
            "children": round(_children() - children, 3),
            "descendants": round(_descendants() - others, 3),
            "worker": WORKER,
            "at": round(time.time(), 1),
        }
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    yield from _timed(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    yield from _timed(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield from _timed(item, "teardown")
