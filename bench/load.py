"""HTTP load for the benchmarks: wrk (Debian's `wrk` package, listed in system-packages.txt)
driven by a generated Lua script, or, where wrk is missing, a Python generator (threads with
httpx; it needs far more CPU per request than wrk, so on a small machine it takes CPU from
the server and its figures are lower). Both keep N connections busy for a fixed time, each
connection sending its next request when the previous answer arrived (wrk's closed loop),
and report requests/s with the p50/p99 latency. POSTs get a new Idempotency-Key each."""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int

    def __str__(self) -> str:
        errors = f" ERRORS {self.errors}" if self.errors else ""
        return f"{self.rps:7.1f}/s p50 {self.p50_ms:6.1f} p99 {self.p99_ms:6.1f} ms{errors}"


_LUA = """
local counter = 0
setup = function(thread)
  _G.next_id = (_G.next_id or 0) + 1
  thread:set("id", _G.next_id)
end
request = function()
  counter = counter + 1
  local headers = HEADERS
  if METHOD == "POST" then
    headers["Idempotency-Key"] = string.format("%s-%d-%d", RUN, id, counter)
  end
  return wrk.format(METHOD, PATH, headers, BODY)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def _script(method: str, path: str, headers: dict[str, str], body: Any) -> str:
    all_headers = dict(headers)
    text = ""
    if body is not None:
        all_headers["Content-Type"] = "application/json"
        text = json.dumps(body, ensure_ascii=False)
    table = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in all_headers.items())
    head = (f"METHOD = {_lua_string(method)}\nPATH = {_lua_string(path)}\n"
            f"HEADERS = {{{table}}}\nBODY = {_lua_string(text) if text else 'nil'}\n"
            f"RUN = {_lua_string(uuid.uuid4().hex)}\n")  # fmt: skip
    return head + _LUA


def wrk_load(base: str, method: str, path: str, headers: dict[str, str], body: Any, *,
             clients: int, seconds: float) -> Result:  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_script(method, path, headers, body))
    try:
        out = subprocess.run(
            ["wrk", "-t", "1", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "30s",
             "-s", f.name, base],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        Path(f.name).unlink()
    found = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.M)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    n, duration_us, p50, p99, top, errors = map(int, found.groups())
    return Result(n / (duration_us / 1e6), p50 / 1000, p99 / 1000, top / 1000, n, errors)


def python_load(base: str, method: str, path: str, headers: dict[str, str], body: Any, *,
                clients: int, seconds: float) -> Result:  # fmt: skip
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        mine, bad = [], 0
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            while time.perf_counter() < deadline:
                extra = {"Idempotency-Key": uuid.uuid4().hex} if method == "POST" else {}
                t0 = time.perf_counter()
                r = http.request(method, path, json=body, headers=extra)
                mine.append(time.perf_counter() - t0)
                bad += r.status_code >= 400
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return Result(len(latencies) / elapsed, q[49] * 1000, q[98] * 1000,
                  max(latencies) * 1000, len(latencies), errors[0])  # fmt: skip


def describe() -> str:
    """The machine, its load and the versions, for the top of a benchmark's output."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1) if found else ""
    names = ["grassroots", "fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg"]
    versions = ", ".join(f"{n} {version(n)}" for n in names)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    wrk = "wrk " + _wrk_version() if _wrk_version() else "no wrk"
    return (f"machine: {platform.platform()}, {os.cpu_count()} CPUs {model}, load {load}\n"
            f"versions: Python {sys.version.split()[0]}, {versions}, SQLite "
            f"{sqlite3.sqlite_version}, {wrk}")  # fmt: skip


def _wrk_version() -> str:
    try:
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    except OSError:
        return ""
    found = re.search(r"wrk (\S+)", out)
    return found.group(1) if found else ""


def process_tree(pid: int) -> list[int]:
    """pid and its descendants (a `serve --workers N` supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time each process has used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings by the processes alive at the second (one that
    started meanwhile counts from zero; one that ended meanwhile is not counted)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())
