"""People's mediation rules (issue 15 items 11 and 13): resolution by agreement needs a
complete recorded agreement of that form, extensions need consent and stay within the cap,
and a mediation session cannot be dated in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_register, run_action
from grassroots.cases.models import Case
from grassroots.config import get_settings
from grassroots.errors import Problem
from tests.cases.conftest import grid_in

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
AGREEMENT = {
    "terms": "张三赔偿李四 2000 元",
    "responsibilities": "张三负责赔偿，李四不再追究",
    "performance_manner": "现金一次付清",
    "performance_place": "村调解室",
    "performance_deadline": date(2026, 3, 31),
}


def _in_progress(session, users) -> str:  # type: ignore[no-untyped-def]
    new = s.NewCase(
        category_code="neighbour", source_code="visit", title="邻里纠纷",
        description="排水纠纷", grid_code=grid_in(session, users["wang"]),
    )  # fmt: skip
    case = do_register(session, new, actor=users["wang"], now=NOW)
    code, unit = case.code, f"{case.village_code}-mediation"
    do_accept(session, code, actor=users["zhao"], now=NOW)
    do_assign(session, code, s.Assign(unit_code=unit), actor=users["zhao"], now=NOW)
    return code


def _do(session, users, who, code, action, params):  # type: ignore[no-untyped-def]
    return run_action(session, code, action, params, actor=users[who], now=NOW)


def _refused(session, users, who, code, action, params) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Problem) as caught:
        _do(session, users, who, code, action, params)
    return caught.value.code


def test_resolution_by_agreement_needs_a_recorded_agreement(session, users):
    code = _in_progress(session, users)
    by_agreement = s.Resolve(outcome_note="达成协议", method="mediation_agreement")
    assert _refused(session, users, "zhao", code, "resolve", by_agreement) == "agreement_required"
    _do(session, users, "zhao", code, "record_agreement", s.RecordAgreement(**AGREEMENT))
    case: Case = _do(session, users, "zhao", code, "resolve", by_agreement)
    assert case.state == "resolved" and case.outcome == "resolved"


def test_an_oral_resolution_needs_an_oral_agreement(session, users):
    code = _in_progress(session, users)
    _do(session, users, "zhao", code, "record_agreement", s.RecordAgreement(**AGREEMENT))
    oral = s.Resolve(outcome_note="口头协议", method="oral_agreement")
    assert _refused(session, users, "zhao", code, "resolve", oral) == "agreement_form_mismatch"
    recorded = s.RecordAgreement(form="oral", **AGREEMENT)
    _do(session, users, "zhao", code, "record_agreement", recorded)
    assert _do(session, users, "zhao", code, "resolve", oral).state == "resolved"


def test_the_default_method_claims_no_agreement(session, users):
    code = _in_progress(session, users)
    case = _do(session, users, "zhao", code, "resolve", s.Resolve(outcome_note="已办结"))
    assert case.state == "resolved"
    assert case.events[-1].details["method"] == "handled"


def test_an_agreement_lacks_nothing_art_35_asks_for(session, users):
    for missing in ("responsibilities", "performance_place"):
        with pytest.raises(ValueError):
            s.RecordAgreement(**{k: v for k, v in AGREEMENT.items() if k != missing})


def test_extension_needs_consent_and_keeps_to_the_cap(session, users):
    code = _in_progress(session, users)
    settings = get_settings()
    base = {"approved_by": "陈国栋", "reason": "等待鉴定"}
    no_consent = s.Extend(days=5, **base)
    assert _refused(session, users, "zhao", code, "extend", no_consent) == "consent_required"
    too_long = s.Extend(days=settings.extension_max_days + 1, parties_consent=True, **base)
    assert _refused(session, users, "zhao", code, "extend", too_long) == "extension_too_long"
    ok = s.Extend(days=5, parties_consent=True, **base)
    for _ in range(settings.extension_max_count):
        case = _do(session, users, "zhao", code, "extend", ok)
    assert case.events[-1].details["parties_consent"] is True
    assert _refused(session, users, "zhao", code, "extend", ok) == "extension_limit"


def test_a_session_dated_in_the_future_is_refused(session, users):
    code = _in_progress(session, users)
    tomorrow = NOW.date() + timedelta(days=1)
    future = s.RecordSession(held_on=tomorrow, summary="明天的调解")
    assert _refused(session, users, "zhao", code, "record_session", future) == "session_in_future"
    today = s.RecordSession(held_on=NOW.date(), summary="今天的调解")
    assert _do(session, users, "zhao", code, "record_session", today).state == "in_progress"
