"""Crash benchmark: kill -9 the real server while 16 clients create cases.

For SQLite and PostgreSQL: start `uvicorn` on 127.0.0.1, run 16 client threads that POST
/api/v1/cases with an Idempotency-Key each (retrying a failed request with the SAME key and
body), kill -9 the server at random moments, restart it, for --rounds rounds. Then:

* every case acknowledged with 201 is in the database (nothing acknowledged is lost);
* every key made exactly one case (no retry ever duplicated one);
* the database passes its integrity check (SQLite PRAGMA integrity_check and
  foreign_key_check; PostgreSQL amcheck where available plus consistency queries).

A baseline phase of the same clients without kills, in the same run, gives the ratio of
throughput under kills to throughput without. Prints the machine and versions.

    .venv/bin/python -m bench.crash                 # both databases, 20 rounds
    .venv/bin/python -m bench.crash --db sqlite --rounds 5
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.crash_check import check_database, describe_machine
from bench.crash_setup import Auth, prepare_database

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
MARKER = "crash-bench-key:"


@dataclass
class Stats:
    acked: dict[str, str] = field(default_factory=dict)  # key -> case code (first 201)
    sent: int = 0
    transport_errors: int = 0
    in_progress_409: int = 0
    server_errors: int = 0
    retried_acks: int = 0  # 201 after at least one failed attempt with the same key
    replayed: int = 0  # 201 replayed from the stored first response (Idempotent-Replayed)
    other: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Pending:
    key: str
    body: dict[str, object]
    attempts: int = 0


class Server:
    """The real server as a subprocess we can kill -9 and start again."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        t0 = time.monotonic()
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "bench.crash_app:create",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() - t0 < 60:
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return time.monotonic() - t0
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            time.sleep(0.05)
        raise RuntimeError("server did not come up in 60 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _new_request(rng: random.Random, grid_code: str) -> Pending:
    key = str(uuid.UUID(int=rng.getrandbits(128)))
    body: dict[str, object] = {
        "category_code": rng.choice(["neighbour", "marriage_family", "housing_land", "labour"]),
        "source_code": rng.choice(["visit", "phone", "grid_patrol"]),
        "title": "崩溃测试：邻里纠纷登记",
        "description": f"压力测试登记的纠纷。{MARKER}{key}",
        "grid_code": grid_code,
        "parties": [{"role": "applicant", "name": "测试甲", "phone": "13800138000"}],
    }
    return Pending(key, body)


def _attempt(client: httpx.Client, url: str, p: Pending, stats: Stats) -> str:
    """One POST. Returns 'done', 'retry' (same key later) or 'park' (in progress: 409)."""
    p.attempts += 1
    try:
        r = client.post(url, json=p.body, headers={"Idempotency-Key": p.key}, timeout=15)
    except httpx.TransportError:
        with stats.lock:
            stats.transport_errors += 1
        return "retry"
    finally:
        with stats.lock:
            stats.sent += 1
    if r.status_code == 201:
        with stats.lock:
            first = stats.acked.setdefault(p.key, r.json()["code"])
            if first != r.json()["code"]:
                stats.other.append(f"key {p.key} answered {first} then {r.json()['code']}")
            stats.retried_acks += p.attempts > 1
            stats.replayed += r.headers.get("Idempotent-Replayed") == "true"
        return "done"
    with stats.lock:
        if r.status_code == 409:
            stats.in_progress_409 += 1
        elif r.status_code >= 500:
            stats.server_errors += 1
        else:
            stats.other.append(f"{r.status_code} {r.text[:200]}")
    return "park" if r.status_code == 409 else "retry"


def client_loop(
    seed: int,
    base: str,
    auth: Auth,
    grid_code: str,
    stop: threading.Event,
    stats: Stats,
    parked: list[Pending],
) -> None:
    rng = random.Random(seed)
    url = f"{base}/api/v1/cases"
    with httpx.Client(headers=auth.headers) as client:
        pending: Pending | None = None
        while not stop.is_set():
            pending = pending or _new_request(rng, grid_code)
            outcome = _attempt(client, url, pending, stats)
            if outcome == "done":
                pending = None
            elif outcome == "park":  # a crashed attempt holds the key: finish it at the end
                with stats.lock:
                    parked.append(pending)
                pending = None
            else:  # server down or failing: retry the same key and body shortly
                time.sleep(0.2)
        if pending is not None:
            with stats.lock:
                parked.append(pending)


def finish_parked(base: str, auth: Auth, parked: list[Pending], stats: Stats) -> list[str]:
    """Retry every unfinished key with its own body until it is acknowledged (a claim left
    by a killed request expires after a minute). Returns keys that never finished."""
    url, deadline, left = f"{base}/api/v1/cases", time.monotonic() + 180, list(parked)
    with httpx.Client(headers=auth.headers) as client:
        while left and time.monotonic() < deadline:
            left = [p for p in left if _attempt(client, url, p, stats) != "done"]
            if left:
                time.sleep(2)
    return [p.key for p in left]


@contextmanager
def running_clients(
    base: str, auth: Auth, grid: str, stats: Stats, parked: list[Pending], seed: int
) -> Iterator[None]:
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=client_loop,
            args=(seed * 100 + i, base, auth, grid, stop, stats, parked),
            daemon=True,
        )
        for i in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)


def run_one(kind: str, rounds: int, baseline_s: float, seed: int) -> bool:
    rng = random.Random(seed)
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix=f"grassroots-crash-{kind}-"))
        stack.callback(shutil.rmtree, work, True)
        setup = prepare_database(kind, work, stack)
        port = _free_port()
        server = Server(setup.env, port, work / "server.log")
        stack.callback(server.kill)
        base = f"http://127.0.0.1:{port}"
        server.start()
        auth = setup.auth()

        base_stats, base_parked = Stats(), []
        with running_clients(base, auth, setup.grid_code, base_stats, base_parked, seed):
            time.sleep(baseline_s)
        base_rate = len(base_stats.acked) / baseline_s

        stats, parked, restarts, up = Stats(), list(base_parked), [], 0.0
        with running_clients(base, auth, setup.grid_code, stats, parked, seed + 1):
            for _ in range(rounds):
                alive = rng.uniform(0.3, 2.0)
                time.sleep(alive)
                up += alive
                server.kill()
                time.sleep(rng.uniform(0.0, 0.3))
                restarts.append(server.start())
        crash_rate = len(stats.acked) / max(up, 1e-9)
        for key, code in base_stats.acked.items():
            stats.acked.setdefault(key, code)
        unfinished = finish_parked(base, auth, parked, stats)
        server.stop()
        report = check_database(setup.url, stats.acked, MARKER)
        _print(kind, rounds, stats, restarts, unfinished, report, base_rate, crash_rate)
        return report.ok and not unfinished and not stats.other


def _print(
    kind: str,
    rounds: int,
    stats: Stats,
    restarts: list[float],
    unfinished: list[str],
    report: object,
    base_rate: float,
    crash_rate: float,
) -> None:
    print(f"\n== {kind}: {rounds} rounds of kill -9, {CLIENTS} clients ==")
    print(
        f"requests sent {stats.sent}, acknowledged (201) keys {len(stats.acked)}, "
        f"acknowledged after a retry {stats.retried_acks} (of which replayed {stats.replayed})"
    )
    print(
        f"transport errors {stats.transport_errors}, 409 in progress {stats.in_progress_409}, "
        f"5xx {stats.server_errors}, unexpected {len(stats.other)}"
    )
    for line in stats.other[:5]:
        print("  unexpected:", line)
    print(f"restart to healthy: mean {statistics.mean(restarts):.2f}s, max {max(restarts):.2f}s")
    print(f"keys never acknowledged after the final retries: {len(unfinished)}")
    print(report)
    print(
        f"throughput without kills {base_rate:.1f} cases/s, with kills {crash_rate:.1f} cases/s "
        f"of server uptime, ratio {crash_rate / max(base_rate, 1e-9):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(describe_machine())
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    ok = [run_one(k, args.rounds, args.baseline_seconds, args.seed) for k in kinds]
    print("\nRESULT:", "PASS" if all(ok) else "FAIL")
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
