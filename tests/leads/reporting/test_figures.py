"""The lead figures (from lead_tally, kept by every write) agree with a recount from the
lead rows, done here independently; 清零率 per batch, per issuing body and overall."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.leads.models import Lead, LeadTally
from tests.cases.conftest import grid_in
from tests.leads.conftest import JUSTICE, LEADS, MEDIATION, handed_down, run

FIGURES = f"{LEADS}/figures"
CITY = "市扫黑除恶专项斗争领导小组办公室"
PETITION = "县信访局"


def _life(qian, sun, code: str, finding: str, reply: bool) -> None:
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}), ("verify", {"finding": finding, "actions_taken": "已处理"}))
    if reply:
        run(qian, code, ("reply", {"reply": "已核查"}))


def _world(client_as, session, users) -> None:
    """Batch 1 of the city: 3 leads, all verified and replied (cleared); batch 2: 2 leads,
    one replied; one split lead; a county petition transfer turned into a case; a report."""
    qian, sun, li = client_as("qian"), client_as("sun"), client_as("li")
    new = lambda **kw: qian.post(LEADS, json=handed_down(**kw)).json()["code"]  # noqa: E731
    for finding in ("substantiated", "partly", "unfounded"):
        _life(qian, sun, new(batch="F1"), finding, reply=True)
    _life(qian, sun, new(batch="F2"), "unverifiable", reply=True)
    _life(qian, sun, new(batch="F2"), "substantiated", reply=False)
    split = new(batch="F2", due_on="2026-01-05", received_on="2026-01-02")  # overdue
    run(qian, split, ("split", {"parts": [{"unit_code": JUSTICE}, {"unit_code": MEDIATION}]}))
    code = new(source="transfer", issuing_body=PETITION, batch="", category_code="dispute_risk")
    run(qian, code, ("assign", {"unit_code": MEDIATION, "assignee": "li"}))
    case = {"category_code": "neighbour", "grid_code": grid_in(session, users["li"])}
    verify = {"finding": "substantiated", "actions_taken": "调解", "create_case": case}
    run(li, code, ("start", {}), ("verify", verify))
    new(source="report", issuing_body="", batch="", informant_name="", informant_contact="")


def _recount(session: Session, today_is_late: bool = True) -> dict[str, Counter[str]]:
    """Every figure counted from the top-level lead rows, without the tally."""
    out: dict[str, Counter[str]] = {"all": Counter()}
    for lead in session.scalars(select(Lead).where(Lead.parent_id.is_(None))):
        done = lead.state in ("verified", "replied", "closed")
        counts = Counter(received=1, verified=int(done),
                         replied=int(lead.state in ("replied", "closed")),
                         true=int(done and lead.finding in ("substantiated", "partly")),
                         to_case=int(lead.case_id is not None))  # fmt: skip
        keys = ["all", f"source:{lead.source}", f"category:{lead.category_code}"]
        if lead.issuing_body:
            keys.append(f"body:{lead.issuing_body}")
            if lead.batch:
                keys.append(f"batch:{lead.issuing_body} / {lead.batch}")
        for k in keys:
            out.setdefault(k, Counter()).update(counts)
    return out


def test_figures_agree_with_a_recount(client_as, session: Session, users):
    _world(client_as, session, users)
    recount = _recount(session)
    got = client_as("chen").get(FIGURES).json()
    groups = {"all": got["overall"]}
    groups |= {f"source:{g['key']}": g["figure"] for g in got["by_source"]}
    groups |= {f"category:{g['key']}": g["figure"] for g in got["by_category"]}
    groups |= {f"body:{g['key']}": g["figure"] for g in got["by_issuing_body"]}
    groups |= {f"batch:{g['key']}": g["figure"] for g in got["by_batch"]}
    assert set(groups) == set(recount)
    for key, c in recount.items():
        f = groups[key]
        assert (f["received"], f["verified"], f["replied"], f["to_case"]) == (
            c["received"], c["verified"], c["replied"], c["to_case"]), key  # fmt: skip
        assert f["verifying"] == c["received"] - c["verified"]
        rate = c["true"] / c["verified"] if c["verified"] else None
        assert f["substantiation_rate"] == (round(rate, 4) if rate is not None else None)
        assert f["clearance_rate"] == round(c["replied"] / c["received"], 4)
    # the numbers themselves, by hand: batch F1 cleared to zero, F2 at 1/3
    batches = {g["key"]: g["figure"] for g in got["by_batch"]}
    assert batches[f"{handed_down()['issuing_body']} / F1"]["cleared_to_zero"] is True
    f2 = batches[f"{handed_down()['issuing_body']} / F2"]
    assert (f2["received"], f2["replied"], f2["clearance_rate"]) == (3, 1, 0.3333)
    assert got["overall"]["received"] == 8 and got["overall"]["to_case"] == 1
    assert got["overall"]["overdue"] == 1 and got["overall"]["cleared_to_zero"] is False
    tally_rows = session.scalars(select(LeadTally)).all()
    assert sum(r.received for r in tally_rows) == 8  # sub-leads are not counted


def test_figures_follow_the_post_and_the_role(client_as):
    client_as("qian").post(LEADS, json=handed_down(batch="Z"))
    assert client_as("zhou").get(FIGURES).json()["overall"]["received"] == 0  # 柳河镇
    assert client_as("zhao").get(FIGURES).json()["overall"]["received"] >= 1
    assert client_as("sun").get(FIGURES).status_code == 403  # a verifier holds no lead.register
    assert client_as("chen").get(FIGURES, params={"year": 1899}).status_code == 422
    assert client_as("chen").get(FIGURES, params={"year": 2025}).json()["overall"]["received"] == 0
