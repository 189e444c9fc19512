"""Nothing personal in application logs: the masking itself, where it is installed, the
real server's access log, and the session-wide capture behind the final proof."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from grassroots.crypto import keyring
from grassroots.privacy.logging_filter import PersonalDataFilter, mask_text, scrub_record
from tests.audit.logcapture import PersonalDataWatch, find_leaks
from tests.support.personal_data import SEEDED_ID_NUMBERS, SEEDED_PHONES

PHONE, ID_NUMBER = SEEDED_PHONES[0], SEEDED_ID_NUMBERS[0]


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"call {PHONE} now", PHONE),
        ("手机138 1234 8000，", "1234"),
        ("tel +86-138-1234-8000", "1234"),
        (f"id={ID_NUMBER}&x=1", ID_NUMBER),
        ("身份证11010519491231002x", "19491231"),
        ("old 110105491231002 card", "491231"),
        ("ID110105194912310028x", "19491231"),
        ("office 0571-88881234", "8888"),
    ],
)
def test_mask_text_hides_numbers(text: str, hidden: str):
    assert hidden not in mask_text(text)


@pytest.mark.parametrize(
    "text",
    ["case 990101-2026-000123 accepted", "2026-11-28 05:16:58.123456 took 1732771018123 ms"],
)
def test_mask_text_leaves_ordinary_numbers(text: str):
    assert mask_text(text) == text


def test_record_keeps_its_argument_shape():
    """uvicorn's access formatter unpacks args: they must stay a tuple of the same length."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/x?phone={PHONE}", "1.1", 200),
        None,
    )
    scrub_record(record)
    assert isinstance(record.args, tuple) and len(record.args) == 5
    assert PHONE not in record.getMessage() and "138****8000" in record.getMessage()


def test_non_string_arguments_and_exceptions_are_masked():
    try:
        raise ValueError(f"bad party {ID_NUMBER}")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "n=%d %r", (int(PHONE), {"p": PHONE}), sys.exc_info()
        )
    PersonalDataFilter().filter(record)
    text = logging.Formatter().format(record)
    assert PHONE not in text and ID_NUMBER not in text
    assert "ValueError" in text


def test_sql_echo_stays_quiet_unless_chosen():
    out = _python(
        "import logging; logging.basicConfig(level=logging.DEBUG)\n"
        "from grassroots.privacy.logging_filter import install_log_masking; install_log_masking()\n"
        "print(logging.getLogger('sqlalchemy.engine').getEffectiveLevel())"
    )
    assert out == str(logging.WARNING)
    assert logging.getLogger("sqlalchemy.engine").level == logging.INFO  # chosen by the proof


def test_suite_capture_sees_masked_lines(personal_data_watch: PersonalDataWatch):
    """The control for the session-wide proof: a value logged on purpose is captured, masked."""
    logging.getLogger("grassroots.test").warning("party phone %s id %s", PHONE, ID_NUMBER)
    line = personal_data_watch.handler.recent[-1]
    assert line.startswith("grassroots.test WARNING party phone 138****8000 id ")
    assert PHONE not in line and ID_NUMBER not in line


def test_watch_sees_debug_and_sql_below_pytests_log_level(
    personal_data_watch: PersonalDataWatch, session: Session, caplog: pytest.LogCaptureFixture
):
    """pytest's own capture handlers drop DEBUG/INFO records (pyproject `log_level`: each
    record used to be formatted by three of them besides the watch); the watch still gets
    every DEBUG record and every SQL statement with its parameters, and finds a value in them."""
    canary = "leak-canary-7777777"
    logging.getLogger("grassroots.test").debug("debug record %s", canary)
    debug_line = personal_data_watch.handler.recent[-1]
    session.execute(text("SELECT :canary"), {"canary": canary})
    sql_lines = list(personal_data_watch.handler.recent)[-3:]
    assert debug_line == f"grassroots.test DEBUG debug record {canary}"
    assert any(line.startswith("sqlalchemy.engine") and canary in line for line in sql_lines)
    lines = [debug_line, *sql_lines]
    assert [n for n, _ in find_leaks(lines, [canary])][:1] == [1]
    assert not [r for r in caplog.records if canary in r.getMessage()]  # pytest's: WARNING


def test_leak_finder_finds_what_it_looks_for():
    lines = ["nothing here", f"oops {PHONE}!", f"{ID_NUMBER.lower()}"]
    assert list(find_leaks(lines, [PHONE, ID_NUMBER])) == [(2, PHONE), (3, ID_NUMBER)]


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow  # a fresh Python process
def test_create_app_installs_masking(fresh_engine: Engine, tmp_path):
    url = fresh_engine.url.render_as_string(False)
    out = _python(
        "from grassroots.privacy.logging_filter import log_masking_installed as m; before = m()\n"
        "from grassroots.app import create_app; from grassroots.config import Settings\n"
        f"create_app(Settings(data_dir={str(tmp_path)!r}, database_url={url!r}))\n"
        "print(before, m())"
    )
    assert out == "False True"


@pytest.mark.slow  # a fresh Python process
def test_cli_installs_masking():
    out = _python(
        "import sys; from grassroots.cli import main as cli; "
        "from grassroots.privacy.logging_filter import log_masking_installed as m; "
        "before = m(); sys.argv = ['grassroots', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(before, m())"
    ).splitlines()[-1]
    assert out == "False True"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow  # a fresh Python process
def test_real_server_logs_no_personal_data(fresh_engine: Engine, tmp_path):
    """`grassroots serve` at DEBUG; numbers in URLs reach uvicorn's access log masked."""
    port = _free_port()
    env = {
        **os.environ,
        "GRASSROOTS_DATABASE_URL": fresh_engine.url.render_as_string(False),
        "GRASSROOTS_LOG_LEVEL": "DEBUG",
        "GRASSROOTS_JOBS_INTERVAL_SECONDS": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "grassroots.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):  # wait for it to listen (bounded)
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        httpx.get(f"{base}/healthz", params={"phone": PHONE, "id": ID_NUMBER}, timeout=5)
        httpx.get(f"{base}/api/v1/parties/{ID_NUMBER}", timeout=5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert "/healthz?phone=138****8000" in output  # the access log line is there, masked
    assert PHONE not in output and ID_NUMBER not in output


def test_values_sealed_while_not_recording_are_not_watched(personal_data_watch):
    """The API fuzzer's made-up strings are not watched; the watch records again afterwards."""
    ring = keyring()
    with personal_data_watch.not_recording():
        ring.encrypt("content", "made-up fuzz string 1")
    ring.encrypt("content", "someone's real text 2")
    assert "made-up fuzz string 1" not in personal_data_watch.values
    assert "someone's real text 2" in personal_data_watch.values
    assert personal_data_watch.recording
