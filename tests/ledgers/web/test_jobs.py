"""Uploaded ledgers are kept two hours: past that the page answers 404 and the
`ledger_upload_purge` job empties the encrypted file (the row keeps its hash)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.db import utcnow
from grassroots.errors import Problem
from grassroots.jobs import registry as jobs
from grassroots.ledgers.models import LedgerUpload
from grassroots.ledgers.web.actions import do_upload_ledger
from grassroots.ledgers.web.queries import access_upload

CSV = "受理日期,当事人,村（社区）,纠纷类型,纠纷简要情况\n2025-3-5,张三,无此村,邻里纠纷,院墙渗水\n"


def test_an_upload_past_its_time_is_gone_and_the_job_empties_it(county: Engine):
    with Session(county) as s:
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        early = utcnow() - timedelta(hours=3)
        fresh = do_upload_ledger(s, CSV.encode(), "新.csv", actor=zhao)
        # uploaded three hours ago (a later upload would have emptied it on its way in)
        old = do_upload_ledger(s, CSV.encode(), "旧.csv", actor=zhao, now=early)
        try:
            access_upload(s, zhao, old.id)
            raise AssertionError("an expired upload must not be served")
        except Problem as problem:
            assert problem.status == 404
        assert access_upload(s, zhao, fresh.id) is fresh
        old_id, fresh_id = old.id, fresh.id
    outcomes = jobs.run_jobs(county, utcnow(), only=["ledger_upload_purge"])
    assert [(o.name, o.ok, dict(o.summary)) for o in outcomes] == [
        ("ledger_upload_purge", True, {"emptied": 1})
    ]
    with Session(county) as s:
        emptied, kept = s.get_one(LedgerUpload, old_id), s.get_one(LedgerUpload, fresh_id)
        assert emptied.data_enc is None and len(emptied.file_sha256) == 64
        assert kept.data_enc is not None
    assert jobs.run_jobs(county, utcnow(), only=["ledger_upload_purge"])[0].summary == {
        "emptied": 0
    }
