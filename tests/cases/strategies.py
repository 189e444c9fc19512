"""Hypothesis strategies for valid-looking inputs of every case action."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from grassroots.cases import schemas as s
from grassroots.cases.models import Case

TEXT = st.sampled_from(["双方当面协商", "调解员释法说理", "经村委会见证", "电话沟通"])
CHANNELS = st.sampled_from(list(s.LegalChannel))
OTHER_TOWNSHIP = "990101003000"  # 柳河镇, zhou's township


def _unit_codes(case: Case) -> list[str]:
    code, level = case.holder.code, case.level
    if level == "village":
        return [f"{code}-mediation"]
    if level == "township":
        return [f"{code[:9]}-justice", f"{code[:9]}-mediation", f"{code[:9]}-police"]
    return [f"{code[:6]}-justice", f"{code[:6]}-mediation", "990101-nonexistent"]


def assign(case: Case) -> st.SearchStrategy[s.Assign]:
    units = st.sampled_from(_unit_codes(case)).map(lambda u: s.Assign(unit_code=u))
    return st.one_of(units, st.just(s.Assign(mediator="li")))


def params(action: str, case: Case, today: date) -> st.SearchStrategy[s.ActionInput]:
    simple: dict[str, st.SearchStrategy[s.ActionInput]] = {
        "accept": st.just(s.Accept()),
        "resume": st.just(s.Resume()),
        "close": st.just(s.Close()),
        "reject": st.builds(s.Reject, channel=CHANNELS, reason=TEXT),
        "record_session": st.builds(s.RecordSession, held_on=st.just(today), summary=TEXT),
        "record_agreement": st.builds(
            s.RecordAgreement,
            terms=TEXT,
            responsibilities=TEXT,
            performance_manner=st.just("一次性付清"),
            performance_place=st.just("村调解室"),
            performance_deadline=st.just(today),
        ),
        "resolve": st.builds(s.Resolve, outcome_note=TEXT),
        "terminate": st.builds(
            s.Terminate, reason=TEXT, routes_told=st.lists(CHANNELS, min_size=1, max_size=3)
        ),
        "escalate": st.builds(s.Escalate, reason=TEXT),
        "city_reply": st.builds(s.CityReply, reply=TEXT),
        "refer_down": st.builds(s.ReferDown, reason=TEXT),
        "extend": st.builds(
            s.Extend,
            days=st.integers(1, 15),
            approved_by=st.just("陈国栋"),
            reason=TEXT,
            parties_consent=st.just(True),
        ),
        "suspend": st.builds(s.Suspend, reason=TEXT),
        "follow_up": st.builds(
            s.FollowUp,
            performance=st.sampled_from(["performed", "partly_performed", "not_performed"]),
            satisfaction=st.sampled_from(list(s.Satisfaction)),
            remaining_risk=st.sampled_from(["none", "low", "medium", "high"]),
        ),
        "reopen": st.builds(s.Reopen, reason=TEXT),
        "mark_spam": st.builds(s.MarkSpam, reason=TEXT),
        "pursue_performance": st.builds(
            s.PursuePerformance,
            route=st.sampled_from(["urge", "judicial_confirmation", "litigation"]),
            note=TEXT,
            applied_on=st.sampled_from([None, today]),
        ),
        "share": st.builds(
            s.Share,
            jurisdiction_code=st.just(OTHER_TOWNSHIP),
            role=st.sampled_from(list(s.ShareRole)),
        ),
    }
    # No second case here: a link to itself or to a missing code (the refusals); links
    # that work are tested in tests/cases/links/test_links.py.
    others = st.sampled_from([case.code, "990101-2026-999999"])
    simple["unshare"] = st.builds(s.Unshare, jurisdiction_code=st.just(OTHER_TOWNSHIP))
    simple["link"] = st.builds(s.Link, other_code=others, kind=st.sampled_from(list(s.LinkKind)))
    simple["unlink"] = st.builds(s.Unlink, other_code=others)
    # merges that work: tests/cases/links/test_merge.py and the aggregates' property test
    simple["merge"] = st.builds(s.Merge, primary_code=others)
    simple["return_order"] = st.builds(
        s.ReturnOrder, return_reason=st.sampled_from(list(s.ReturnReason)), reason=TEXT
    )
    if action == "reassign":
        units = _unit_codes(case)
        return st.sampled_from(units).map(lambda u: s.Reassign(unit_code=u, reason="改派"))
    if action == "assign":
        return assign(case)  # type: ignore[return-value]
    return simple[action]
