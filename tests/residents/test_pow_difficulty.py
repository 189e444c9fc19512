"""The proof-of-work difficulty adapts to the load: the floor while the reports of everyone
are calm, one bit more per doubling above the calm count, never above the ceiling; the bits
are signed into the challenge, so a client cannot lower them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from grassroots.ratelimit.actions import do_count_hit
from grassroots.residents.limits import EVERYONE
from grassroots.residents.pow import Challenge, adaptive_bits, solve
from tests.residents.conftest import PUBLIC, make_app

LOAD = {"public_pow_bits": 4, "public_pow_max_bits": 7, "public_pow_calm_reports": 2}


@pytest.mark.parametrize(
    ("recent", "bits"),
    [(0, 16), (30, 16), (31, 17), (60, 17), (61, 18), (120, 18), (121, 19), (240, 19),
     (241, 20), (300, 20), (100_000, 20)],
)  # fmt: skip
def test_one_bit_per_doubling_above_the_calm_count(recent: int, bits: int) -> None:
    assert adaptive_bits(recent, calm=30, floor=16, ceiling=20) == bits


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 500),
       st.integers(0, 24), st.integers(0, 24))  # fmt: skip
def test_monotonic_and_within_bounds(a: int, b: int, calm: int, floor: int, ceiling: int) -> None:
    low, high = sorted((a, b))
    bits_low, bits_high = (adaptive_bits(n, calm, floor, ceiling) for n in (low, high))
    assert floor <= bits_low <= bits_high <= max(floor, ceiling)
    if high > 2 * max(low, calm) and bits_low < ceiling:  # twice the load: harder
        assert bits_high > bits_low


def _challenge(client: TestClient) -> Challenge:
    r = client.get(f"{PUBLIC}/challenge")
    assert r.status_code == 200, r.text
    body = r.json()
    return Challenge(body["challenge"], body["bits"], body["signature"], body["expires"])


def test_low_load_issues_the_floor_and_reports_raise_it(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, report_body
) -> None:
    app = make_app(engine, session_factory, tmp_path, **LOAD)
    seen = []
    for n in range(5):  # real reports, each from its own address, each counted globally
        with TestClient(app, client=(f"10.9.0.{n}", 4000)) as c:
            challenge = _challenge(c)
            seen.append(challenge.bits)
            answer = c.post(f"{PUBLIC}/reports", json=report_body(proof=solve(challenge)))
            assert answer.status_code == 201, answer.text
    # 0, 1, 2 reports: calm (4 bits); 3, 4 reports: one doubling above 2 (5 bits)
    assert seen == [4, 4, 4, 5, 5]


def test_high_load_reaches_the_ceiling_and_a_client_cannot_lower_it(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, session: Session,
    report_body,
) -> None:  # fmt: skip
    for _ in range(40):  # 40 report attempts of everyone within the window: 20× calm
        assert do_count_hit(session, "public-all", EVERYONE, 1000, 60) is None
    app = make_app(engine, session_factory, tmp_path, **LOAD)
    with TestClient(app, client=("10.9.1.1", 4000)) as c:
        hard = _challenge(c)
        assert hard.bits == 7  # 4 + 5 would be 9: held at the ceiling
        # The same challenge claimed at the floor's bits: its signature does not match.
        easy = solve(Challenge(hard.challenge, 4, hard.signature, hard.expires))
        refused = c.post(f"{PUBLIC}/reports", json=report_body(proof=easy))
        assert refused.status_code == 422 and refused.json()["code"] == "proof_of_work_failed"
        assert "not issued here" in refused.text
        accepted = c.post(f"{PUBLIC}/reports", json=report_body(proof=solve(hard)))
        assert accepted.status_code == 201, accepted.text
