"""`grassroots screens pair | list | revoke` on a real database."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.demo.build import build_demo_geography
from grassroots.screens.models import Screen
from grassroots.screens.queries import code_digest
from tests.support.cli import CliResult, run_cli


@pytest.fixture
def db(fresh_engine: Engine) -> Iterator[Engine]:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
    yield fresh_engine


def _cli(engine: Engine, *args: str) -> CliResult:
    url = engine.url.render_as_string(False)
    return run_cli(["screens", *args], {"GRASSROOTS_DATABASE_URL": url})


def test_pair_prints_a_code_list_shows_it_revoke_ends_it(db):
    r = _cli(db, "pair", "hall", "--jurisdiction", "990101000000", "--preset", "map")
    assert r.returncode == 0, r.stderr
    code = re.search(r"pairing code: ([A-Z2-9]{4}-[A-Z2-9]{4})", r.stdout)
    assert code is not None and "示范县" in r.stdout
    with Session(db) as session:
        screen = session.scalars(select(Screen)).one()
        assert screen.code_hash == code_digest(code.group(1)) and screen.preset == "map"
    listed = _cli(db, "list").stdout
    assert re.search(r"hall\s+990101000000\s+map\s+waiting", listed)
    assert _cli(db, "revoke", "hall").returncode == 0
    assert re.search(r"hall\s+.*revoked", _cli(db, "list").stdout)


def test_pair_refuses_a_bad_name_area_or_preset(db):
    assert _cli(db, "pair", "a b", "--jurisdiction", "990101000000").returncode == 1
    bad_area = _cli(db, "pair", "hall", "--jurisdiction", "990199000000")
    assert bad_area.returncode == 1 and "区划不存在" in bad_area.stderr
    bad_preset = _cli(db, "pair", "hall", "--jurisdiction", "990101000000", "--preset", "x")
    assert bad_preset.returncode == 1 and "unknown preset" in bad_preset.stderr
    assert _cli(db, "revoke", "nobody").returncode == 1
