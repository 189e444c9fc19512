"""`grassroots …` run in the test process: what a subprocess would show, without starting a
Python and importing the app again (~4 s each on a busy machine).

`run_cli(args, env)` calls grassroots.cli.main() — the real entry point, with its log masking
and its SchemaOutOfDate handling — with sys.argv, the environment and the settings of that
command line, and gives back returncode, stdout and stderr like subprocess.run. The real
processes are kept where the process itself is the point: `init --demo`
(tests/demo/test_history.py), two sweeps at once (tests/cases/deadlines/test_sweep_concurrency.py),
`serve` (tests/test_serve_processes.py, tests/audit/test_logging.py).
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock

from grassroots.cli.main import main
from grassroots.config import get_settings


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    with mock.patch.dict(os.environ, env):
        get_settings.cache_clear()
        try:
            yield
        finally:
            get_settings.cache_clear()


def run_cli(args: list[str], env: Mapping[str, str]) -> CliResult:
    """`grassroots *args` with `env` added to the environment, in this process."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    argv = ["grassroots", *args]
    with (
        _environment(env),
        mock.patch.object(sys, "argv", argv),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        except Exception:  # what a process would die of: a traceback and status 1
            err.write(traceback.format_exc())
            code = 1
    if isinstance(code, str):  # sys.exit("message"): printed to stderr, status 1
        err.write(code + "\n")
        code = 1
    return CliResult(argv, code or 0, out.getvalue(), err.getvalue())
