"""Pytest plugin: the whole suite's log output must not contain personal data.

Registered from tests/conftest.py. For the whole session it
- installs the production masking (grassroots.privacy.logging_filter.install_log_masking, what
  create_app and the CLI do at start-up; tests/audit/test_logging.py checks they do),
- opens every logger we know of down to DEBUG (ours, uvicorn, httpx, alembic, the root) and
  SQLAlchemy's statement log at INFO (statements with their parameters), and puts one
  capturing handler on the root logger and on every logger that does not propagate,
- records every clear value that goes through encryption or the blind index, besides the
  seeded list of tests/support/personal_data.py,
and at the end fails the run if any of those values appears in any captured line.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from grassroots.crypto import Keyring, mask_phone
from grassroots.privacy.logging_filter import install_log_masking
from tests.support.personal_data import SEEDED_VALUES

# Sealed fields whose value is clear by design where it comes from: a case's title is clear in
# case_file (docs/cases.md: no names in titles); federation seals its copy of a partner's
# case title at rest as well, which must not make the case's own clear title a "leak".
CLEAR_BY_DESIGN = frozenset({"title"})

# SQLAlchemy's statement log at INFO: every statement with its parameters, i.e. every value
# on its way into the database. (DEBUG adds result rows — only what was stored, so nothing
# new — and made the whole suite about twice as slow: measured 330 s vs 136 s on tests/demo.)
SQL_LOGGER, SQL_LEVEL = "sqlalchemy.engine", logging.INFO
VERBOSE_LOGGERS = (
    "grassroots",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "sqlalchemy.pool",
    "alembic",
    "httpx",
    "fastapi",
)
# Lines worth keeping for the final scan: they hold a run of 7+ digits (every value we look
# for does), possibly split by spaces or dashes.
_NUMBERISH = re.compile(r"\d(?:[ -]?\d){6}")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class CapturingHandler(logging.Handler):
    def __init__(self, path: Path) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.path = path
        self.file = path.open("w", encoding="utf-8")
        self.lines = 0
        # GRASSROOTS_LOGCAPTURE_ALL=1 keeps every line (to inspect what the suite logs)
        self.keep_all = os.environ.get("GRASSROOTS_LOGCAPTURE_ALL") == "1"
        self.recent: deque[str] = deque(maxlen=2000)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a broken record: still look at its raw parts
            text = f"{record.name} {record.msg!r} {record.args!r}"
        self.lines += 1
        self.recent.append(text)
        if self.keep_all or _NUMBERISH.search(text):
            self.file.write(text.replace("\n", "\\n") + "\n")

    def close(self) -> None:
        self.file.close()
        super().close()


def find_leaks(lines: Iterable[str], values: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, value) for every value found in the lines, case-insensitively.

    One str.find pass over the whole text per value (C speed), not one regular expression of
    thousands of alternatives tried at every position: that took ~9 minutes on a full run's
    log; this takes seconds."""
    text = "\n".join(line.rstrip("\n") for line in lines)
    lowered = text.translate(_ASCII_LOWER)  # keeps every offset, unlike str.lower()
    ends = [match.start() for match in re.finditer("\n", text)]
    found: set[tuple[int, str]] = set()
    for value in {v.translate(_ASCII_LOWER) for v in values if len(v) >= 7}:
        at = lowered.find(value)
        while at != -1:
            found.add((bisect_left(ends, at) + 1, text[at : at + len(value)]))
            at = lowered.find(value, at + 1)
    yield from sorted(found)


class PersonalDataWatch:
    def __init__(self) -> None:
        self.values: set[str] = set(SEEDED_VALUES)
        # which sealed field (or "seeded", "blind index of …") each value was first seen as:
        # a leak report names the field, so a failing run is diagnosable from its last lines
        self.fields: dict[str, str] = dict.fromkeys(SEEDED_VALUES, "seeded")
        # False while a test feeds made-up strings (the API fuzzer): those are not personal
        # data, and Hypothesis reuses one string across fields (a lead's clear title and its
        # sealed content), which would read as a leak. Log lines are still captured then.
        self.recording = True
        self.handler = CapturingHandler(
            Path(tempfile.mkdtemp(prefix="grassroots-logs-")) / "captured.log"
        )
        self._originals: dict[str, Any] = {}
        self.leaks: list[tuple[int, str]] = []

    def start(self) -> None:
        install_log_masking()
        root = logging.getLogger()
        root.setLevel(logging.DEBUG)
        root.addHandler(self.handler)
        for name in VERBOSE_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger(SQL_LOGGER).setLevel(SQL_LEVEL)
        self._watch_plaintexts()
        self.attach_to_non_propagating()

    def _watch_plaintexts(self) -> None:
        """Remember every clear value sealed or indexed during the run (behaviour unchanged)."""
        values, fields, watch = self.values, self.fields, self
        encrypt, blind_index = Keyring.encrypt, Keyring.blind_index
        self._originals = {"encrypt": encrypt, "blind_index": blind_index}

        def watched_encrypt(ring: Keyring, field: str, plain: str) -> bytes:
            if watch.recording and field not in CLEAR_BY_DESIGN:
                values.add(plain)
                fields.setdefault(plain, field)
            return encrypt(ring, field, plain)

        def watched_blind_index(ring: Keyring, field: str, plain: str) -> str:
            if watch.recording:
                values.add(plain)
                fields.setdefault(plain, f"blind index of {field}")
            return blind_index(ring, field, plain)

        Keyring.encrypt = watched_encrypt  # type: ignore[method-assign]
        Keyring.blind_index = watched_blind_index  # type: ignore[method-assign]

    @contextmanager
    def not_recording(self) -> Iterator[None]:
        """Values sealed inside are not watched (made-up strings); lines are still captured
        and still checked against every value watched elsewhere and the seeded ones."""
        self.recording = False
        try:
            yield
        finally:
            self.recording = True

    def attach_to_non_propagating(self) -> None:
        for logger in list(logging.Logger.manager.loggerDict.values()):
            quiet = isinstance(logger, logging.Logger) and not logger.propagate
            if quiet and self.handler not in logger.handlers:  # type: ignore[union-attr]
                logger.addHandler(self.handler)  # type: ignore[union-attr]

    def detach(self) -> None:
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger) and self.handler in logger.handlers:
                logger.removeHandler(self.handler)
        self.handler.close()

    def finish(self) -> list[tuple[int, str]]:
        self.handler.file.flush()
        with self.handler.path.open(encoding="utf-8") as f:
            return list(find_leaks(f, self.values))

    def leak_context(self, line_number: int, value: str) -> str:
        """The start of the leaking line with the value blotted out: which logger and which
        statement or request, without repeating the value."""
        with self.handler.path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if number == line_number:
                    blotted = re.sub(re.escape(value), "<LEAK>", line, flags=re.IGNORECASE)
                    return blotted.strip()[:240]
        return ""


WATCH_KEY = pytest.StashKey[PersonalDataWatch]()
# Under pytest-xdist each worker process watches its own logs and values; the controller
# gathers what every worker found (pytest_testnodedown) and fails the run on any leak.
WORKERS_KEY = pytest.StashKey[list[dict[str, Any]]]()
OUTPUT = "personal_data_watch"


def pytest_configure(config: pytest.Config) -> None:
    watch = PersonalDataWatch()
    config.stash[WATCH_KEY] = watch
    config.stash[WORKERS_KEY] = []
    watch.start()


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.config.stash[WATCH_KEY].attach_to_non_propagating()


@pytest.fixture
def personal_data_watch(request: pytest.FixtureRequest) -> PersonalDataWatch:
    return request.config.stash[WATCH_KEY]


def _report(watch: PersonalDataWatch) -> dict[str, Any]:
    """What one process found, in plain data (a worker sends it to the controller)."""
    return {
        "lines": watch.handler.lines,
        "values": sorted(watch.values),
        "leak_count": len(watch.leaks),
        "leaks": [
            (
                f"{watch.handler.path}:{n}",
                mask_phone(v),
                watch.fields.get(v, "?"),
                len(v),
                watch.leak_context(n, v),
            )
            for n, v in watch.leaks[:20]
        ],
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: keep the report of a worker that finished."""
    report = getattr(node, "workeroutput", {}).get(OUTPUT)
    if report is not None:
        node.config.stash[WORKERS_KEY].append(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    watch = config.stash[WATCH_KEY]
    watch.leaks = watch.finish()
    watch.detach()
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller judges
        workeroutput[OUTPUT] = _report(watch)
    if any(r["leaks"] for r in _reports(config)):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if not watch.leaks and not watch.handler.keep_all:  # keep the file only if worth seeing
        shutil.rmtree(watch.handler.path.parent, ignore_errors=True)


def _reports(config: pytest.Config) -> list[dict[str, Any]]:
    return [_report(config.stash[WATCH_KEY]), *config.stash[WORKERS_KEY]]


@pytest.hookimpl(trylast=True)  # after the slowest-tests list: the last lines CI shows
def pytest_terminal_summary(terminalreporter: Any) -> None:
    reports = _reports(terminalreporter.config)
    leaks = [leak for r in reports for leak in r["leaks"]]
    found = sum(r["leak_count"] for r in reports)
    lines = sum(r["lines"] for r in reports)
    values = len({v for r in reports for v in r["values"]})
    processes = f" in {len(reports) - 1} workers" if len(reports) > 1 else ""
    terminalreporter.write_sep(
        "-",
        f"personal data in logs: {lines} log lines captured{processes}, "
        f"{values} clear values watched, {found} found",
        red=bool(leaks),
        green=not leaks,
    )
    for where, masked, field, length, context in leaks[:20]:
        terminalreporter.write_line(
            f"  {where} holds {masked} ({length} characters, sealed as {field}; masked here)",
            red=True,
        )
        terminalreporter.write_line(f"    {context}", red=True)
