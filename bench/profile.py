"""Where a server's time goes under load: py-spy samples the real `grassroots serve` while
wrk drives one request shape, and the samples are summed by package (the leaf frame's: CPU
spent in that library's own code) and by our functions (inclusive).

Two views of the same run: --gil counts only samples where a thread held the interpreter lock
(what the process's one core of Python spends), and the wall view adds the threads waiting
(for the lock, the disk, the database).

    PYTHONPATH=src:. .venv/bin/python -m bench.profile --db sqlite --shape create --clients 8
    PYTHONPATH=src:. .venv/bin/python -m bench.profile --db postgresql --workers 2 --gil

py-spy needs ptrace (root, or kernel.yama.ptrace_scope=0).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from bench.intake import _prepare, measure, serving
from bench.load import describe

FAMILIES = [  # leaf frame's file → what it is (first match wins)
    ("grassroots/", "grassroots (our code)"), ("sqlalchemy/", "SQLAlchemy"),
    ("psycopg", "psycopg"), ("sqlite3/", "sqlite3 module"), ("pydantic", "pydantic"),
    ("fastapi/", "FastAPI"), ("starlette/", "Starlette"), ("anyio/", "anyio (threads)"),
    ("uvicorn/", "uvicorn"), ("h11/", "h11"), ("asyncio/", "asyncio"),
    ("threading.py", "threading (waiting / handing over)"), ("queue.py", "threading"),
    ("selectors.py", "event loop idle"), ("cryptography", "cryptography (AES-GCM)"),
    ("shapely", "shapely (locate)"), ("json/", "json"), ("rfc8785", "rfc8785 (key hash)"),
]  # fmt: skip


def family(frame: str) -> str:
    for needle, name in FAMILIES:
        if needle in frame:
            return name
    return "other"


def summarise(raw: Path, top: int) -> str:
    by_family: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n, frames = int(count), stack.split(";")
        total += n
        by_family[family(frames[-1])] += n
        seen = set()
        for f in frames:
            if "grassroots/" in f:
                name = re.sub(r":\d+\)", ")", f)
                if name not in seen:
                    ours[name] += n
                    seen.add(name)
    lines = [f"{total} samples; leaf frame by package:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in by_family.most_common()]
    lines.append("our functions, inclusive:")
    lines += [f"  {n / total:6.1%}  {name}" for name, n in ours.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--shape", choices=["create", "auth GET", "healthz"], default="create")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--gil", action="store_true", help="only samples holding the GIL")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="also write py-spy's raw samples here")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    print(describe())
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-prof-")))
        if args.db == "sqlite":
            url = f"sqlite:///{folder}/bench.db"
        else:
            from tests.support.postgres import postgres_server, temporary_database

            url = stack.enter_context(temporary_database(stack.enter_context(postgres_server())))
        body, token = _prepare(url, folder)
        raw = args.keep or folder / "raw.txt"
        with serving(url, folder, args.workers, folder / "server.log") as (base, pid):
            measure(base, token, body, args.shape, 4, 2, "wrk")  # warm-up
            cmd = [spy, "record", "-p", str(pid), "-d", str(int(args.seconds) + 1), "-r", "100",
                   "-f", "raw", "-o", str(raw), "--subprocesses", "--nonblocking",
                   "--gil" if args.gil else "--idle"]  # fmt: skip
            sampler = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(1)
            result = measure(base, token, body, args.shape, args.clients, args.seconds, "wrk")
            sampler.wait()
        view = "holding the GIL" if args.gil else "wall clock, every thread"
        print(f"{args.db}, {args.workers} process(es), {args.shape} at {args.clients} "
              f"connections under py-spy ({view}): {result}")  # fmt: skip
        print(summarise(raw, args.top))


if __name__ == "__main__":
    main()
