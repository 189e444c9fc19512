"""What happens to each demo case: drawn up front from one random generator (deterministic
for a seed), then played through the real actions by demo.history.

A plan is the registration and a list of steps, each a real action (or a run of the real
deadline sweep on that case) with a delay in working days after the previous step.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel

from grassroots.cases import schemas as s
from grassroots.demo.history.people import COUNTY_MEDIATION_UNIT, Cast, Township, Village

# Spring Festival (春节, first day) — the lunar new year; fixed astronomical dates.
SPRING_FESTIVAL = [
    date(2024, 2, 10),
    date(2025, 1, 29),
    date(2026, 2, 17),
    date(2027, 2, 6),
    date(2028, 1, 26),
    date(2029, 2, 13),
]

CATEGORIES = {  # base weights, roughly the shares in county mediation statistics
    "neighbour": 20,
    "marriage_family": 15,
    "housing_land": 12,
    "forest_land": 8,
    "damages": 8,
    "contract": 7,
    "labour": 6,
    "production": 5,
    "property_mgmt": 4,
    "traffic": 4,
    "consumer": 3,
    "land_requisition": 3,
    "environment": 2,
    "medical": 1,
    "other": 2,
}
SOURCES = {
    "grid_patrol": 34,
    "visit": 20,
    "phone": 12,
    "hotline_12345": 10,
    "online": 6,
    "police_transfer": 6,
    "superior_assigned": 4,
    "open311": 4,
    "court_entrusted": 4,
}
VILLAGE_SOURCES = {"grid_patrol", "visit", "phone"}
# 联调 in the demo (docs/border.md): 青石镇 and 柳河镇 (the seed staff's townships) share their
# boundary disputes over forest and land with each other.
JOINT_PARTNERS = {"990101002000": "990101003000", "990101003000": "990101002000"}
JOINT_CATEGORIES = frozenset({"forest_land", "housing_land"})
MINOR = {"neighbour", "marriage_family", "housing_land", "damages", "forest_land", "other"}
LEVELS = ["village", "township", "county", "city"]
FINAL_LEVELS = {
    "village": [("village", 0.78), ("township", 0.16), ("county", 0.052), ("city", 0.008)],
    "township": [("township", 0.80), ("county", 0.175), ("city", 0.025)],
}
LEGAL = ["litigation", "arbitration", "labour_arbitration", "administrative_department"]


@dataclass(frozen=True)
class Step:
    action: str  # a do_* name of grassroots.cases.actions, or "sweep_yellow" / "sweep_due"
    actor: str
    params: BaseModel | None
    delay: int = 0  # working days after the previous step (0: same day or next working one)
    minute: int = 600  # minute of the day in China (600 = 10:00)


@dataclass
class CasePlan:
    registered_on: date
    minute: int
    registrar: str
    village: Village
    category: str
    source: str
    violence_risk: bool
    steps: list[Step] = field(default_factory=list)


def season(day: date) -> float:
    """Registrations per day relative to an ordinary day: peaks around Spring Festival
    (returning workers, wage arrears, family matters) and the summer and autumn harvests."""
    factor = 1.0
    for sf in SPRING_FESTIVAL:
        if -25 <= (day - sf).days <= 15:
            factor = 1.7
    if (day.month, day.day) >= (9, 10) and day.month <= 10:
        factor = max(factor, 1.5)  # 秋收
    if day.month == 6:
        factor = max(factor, 1.25)  # 夏收
    return factor * (0.6 if day.weekday() >= 5 else 1.0)


def _category(rng: random.Random, day: date) -> str:
    weights: dict[str, float] = dict(CATEGORIES)
    if season(day) >= 1.5 and day.month in (9, 10):
        weights["forest_land"] *= 2.2
        weights["production"] *= 2.0
        weights["damages"] *= 1.5
    elif season(day) >= 1.5:
        weights["labour"] *= 3.0
        weights["marriage_family"] *= 1.5
    return rng.choices(list(weights), list(weights.values()))[0]


def registration_days(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return sorted(rng.choices(days, [season(d) for d in days], k=n))


def _minute(rng: random.Random) -> int:
    return rng.randint(8 * 60 + 30, 17 * 60 + 30)


def plan_case(rng: random.Random, cast: Cast, day: date) -> CasePlan:
    village = rng.choice(cast.villages)
    township = cast.township_of(village)
    category = _category(rng, day)
    source = rng.choices(list(SOURCES), list(SOURCES.values()))[0]
    at_village = source in VILLAGE_SOURCES and rng.random() < 0.95
    registrar = (
        (village.grid_worker if source == "grid_patrol" else village.mediator)
        if at_village
        else township.centre
    )
    risky = rng.random() < (
        0.06 if category in ("marriage_family", "neighbour", "damages") else 0.02
    )
    plan = CasePlan(day, _minute(rng), registrar, village, category, source, risky)
    Planner(rng, cast, township, plan).draw("village" if at_village else "township")
    return plan


HOTLINE = "hotline_12345"
# 12345 orders returned (退单) or reassigned (改派): chosen by the registration minute already
# drawn (no extra draw, so every other case's plan stays as it was) — about 1 order in 10 each.
RETURNED_MINUTES, REASSIGNED_MINUTES = frozenset({3}), frozenset({7})
RETURN = s.ReturnOrder(return_reason="not_our_duty", reason="属供电企业职责，已告知12345平台")
# 司法确认 (人民调解法 art. 33): the application date is the day the route is recorded, filled in
# when it is played (demo.history.Player), as it must lie within 30 days of the agreement.
JUDICIAL = s.PursuePerformance(
    route="judicial_confirmation", note="双方当事人共同向人民法院申请司法确认调解协议"
)
LITIGATION = s.PursuePerformance(
    route="litigation", note="协议未履行，告知当事人可就协议履行提起诉讼"
)


class Planner:
    """Draws the steps of one case, level by level (小事不出村、大事不出乡、难事不出县)."""

    def __init__(self, rng: random.Random, cast: Cast, township: Township, plan: CasePlan):
        self.rng, self.cast, self.township, self.plan = rng, cast, township, plan
        self.agreed = False  # an agreement was recorded (司法确认 is then open to the parties)

    def add(self, action: str, actor: str, params: BaseModel | None, delay: int = 0) -> None:
        self.plan.steps.append(Step(action, actor, params, delay, _minute(self.rng)))

    def centre(self, level: str) -> str:
        return self.cast.county_centre if level in ("county", "city") else self.township.centre

    def draw(self, level: str) -> None:
        rng = self.rng
        if rng.random() < 0.04:
            reason = "不属于人民调解受理范围，已告知当事人依法通过其他途径解决"
            reject = s.Reject(channel=rng.choice(LEGAL), reason=reason)
            self.add("reject", self.township.centre, reject, rng.randint(0, 1))
            return
        late = rng.random() < 0.03
        self.add(
            "accept",
            self.centre(level),
            s.Accept(),
            rng.randint(3, 5) if late else rng.choice([0, 0, 0, 1, 1, 2]),
        )
        self._share_across_the_boundary()
        minor = self.plan.category in MINOR
        if level == "township" and rng.random() < (0.7 if minor else 0.3):
            refer = s.ReferDown(reason="属村级调解范围，交村调委会办理")
            self.add("refer_down", self.township.centre, refer, rng.randint(0, 1))
            level = "village"
        if level == "township" and self._order_returned():
            return
        final = self._final_level(level)
        while LEVELS.index(level) < LEVELS.index(final):
            self._work_at(level)
            self._escalate(level)
            level = LEVELS[LEVELS.index(level) + 1]
        if final == "city":
            self._at_city()
        else:
            self._work_at(level)
            self._finish(level)

    def _share_across_the_boundary(self) -> None:
        """联调: a forest or land dispute of one of the two boundary townships is shared with
        the other as co-handler the day it is accepted (one in two, by the minute drawn, so
        that no random draw is added and the rest of the history stays the same)."""
        partner = JOINT_PARTNERS.get(self.township.code)
        plan = self.plan
        wanted = plan.category in JOINT_CATEGORIES and plan.source != HOTLINE
        if partner and wanted and plan.minute % 2 == 0:
            share = s.Share(jurisdiction_code=partner)  # as co-handler (协办)
            plan.steps.append(Step("share", self.township.centre, share))

    def _order_returned(self) -> bool:
        """A 12345 order at the township: 退单 the day it is routed (the unit's window is one
        working day), or 改派 from the 司法所 to the mediation committee the same day (whose
        mediator then takes it: never in nobody's queue). True when the order has ended."""
        plan, centre = self.plan, self.township.centre
        if plan.source != HOTLINE or plan.minute % 10 not in RETURNED_MINUTES | REASSIGNED_MINUTES:
            return False
        prefix = self.township.code[:9]
        if plan.minute % 10 in RETURNED_MINUTES:
            assign = s.Assign(mediator=self.assignee("township"))
            plan.steps += [Step("assign", centre, assign), Step("return_order", centre, RETURN)]
            return True
        moved = s.Reassign(unit_code=f"{prefix}-mediation", reason="职责调整，改派人民调解委员会")
        plan.steps += [Step("assign", centre, s.Assign(unit_code=f"{prefix}-justice")),
                       Step("reassign", centre, moved)]  # fmt: skip
        return False

    def _final_level(self, start: str) -> str:
        """Where the case ends: most at the level it starts, few beyond the county."""
        table = FINAL_LEVELS[start]
        return self.rng.choices([lvl for lvl, _ in table], [w for _, w in table])[0]

    def assignee(self, level: str) -> str:
        village = self.plan.village
        return {"village": village.mediator, "township": self.township.mediator}.get(
            level, self.cast.county_centre
        )

    def _work_at(self, level: str) -> None:
        rng, centre = self.rng, self.centre(level)
        if level == "county":
            self.add("assign", centre, s.Assign(unit_code=COUNTY_MEDIATION_UNIT), rng.randint(0, 1))
        else:
            self.add("assign", centre, s.Assign(mediator=self.assignee(level)), rng.randint(0, 1))
        if rng.random() < 0.15:
            summary = "召集双方当事人到调解室，听取陈述，释法说理，双方初步达成谅解意向"
            record = s.RecordSession(
                held_on=self.plan.registered_on,
                summary=summary,
                participants=["当事人双方", "调解员"],
            )
            self.add("record_session", self.assignee(level), record, rng.randint(1, 3))

    def _escalate(self, level: str) -> None:
        rng = self.rng
        if level in ("village", "township") and rng.random() < 0.35:
            self.add("sweep_yellow", "system", None)  # the real sweep flags it ...
            self.add("sweep_due", "system", None)  # ... and escalates it when overdue
            return
        reason = {
            "village": "村级调解未果，矛盾有激化苗头，上报镇综治中心",
            "township": "涉及多部门职责，镇级难以化解，上报县综治中心",
            "county": "涉及跨县事项，超出县级处理权限，报市级",
        }[level]
        self.add("escalate", self.centre(level), s.Escalate(reason=reason), rng.randint(3, 12))

    def _finish(self, level: str) -> None:
        rng, handler, centre = self.rng, self.assignee(level), self.centre(level)
        self._clock_events(level, centre)
        if rng.random() < 0.05:
            reason = "双方分歧较大，经多次调解未能达成协议，调解终止"
            self.add(
                "terminate",
                handler,
                s.Terminate(reason=reason, routes_told=["litigation"]),
                rng.randint(5, 12),
            )
            return
        self._resolve(level, handler, first=True)
        worker = self.plan.village.grid_worker if level == "village" else centre
        satisfaction = rng.choices(
            ["satisfied", "basically_satisfied", "unsatisfied"], [82, 14, 4]
        )[0]
        self._follow_up(worker, satisfaction)
        reopened = satisfaction == "unsatisfied" and rng.random() < 0.8
        if reopened and not self.agreed:  # with an agreement: 司法确认 is the parties' route
            self.add(
                "reopen",
                centre,
                s.Reopen(reason="回访群众不满意，协议未履行，返工重办"),
                rng.randint(1, 3),
            )
            self._resolve(level, handler, first=False)
            self._follow_up(worker, "basically_satisfied")
        elif satisfaction == "unsatisfied":  # not performed: 司法确认 or 诉讼 (issue 15.12)
            route = JUDICIAL if self.agreed else LITIGATION
            # appended without drawing from rng, so the rest of the history stays as it was
            self.plan.steps.append(Step("pursue_performance", centre, route, 1))
        self.add("close", centre, s.Close(), rng.randint(0, 3))

    def _at_city(self) -> None:
        """矛盾上交: the city replies after a few weeks; the county centre records the reply
        and carries the case to its end as the reply says (most resolved, some terminated
        with the legal routes told; the most recent still wait for the reply)."""
        rng, centre = self.rng, self.cast.county_centre
        if rng.random() < 0.8:
            reply = "市矛盾纠纷调处中心协调相关部门，双方达成一致，由县里督促履行"
            self.add("city_reply", centre, s.CityReply(reply=reply), rng.randint(8, 25))
            note = "按市级答复意见，双方达成协议并已履行"
            self.add("resolve", centre, s.Resolve(outcome_note=note), rng.randint(1, 5))
            self._follow_up(centre, rng.choices(["satisfied", "basically_satisfied"], [3, 1])[0])
            self.add("close", centre, s.Close(), rng.randint(0, 3))
        else:
            reply = "经市级研判，属于法院受理范围，请告知当事人依法提起诉讼"
            self.add("city_reply", centre, s.CityReply(reply=reply), rng.randint(8, 25))
            ending = s.Terminate(reason="按市级答复意见终止调解", routes_told=["litigation"])
            self.add("terminate", centre, ending, rng.randint(1, 3))

    def _clock_events(self, level: str, centre: str) -> None:
        rng = self.rng
        if rng.random() < 0.03:
            extend = s.Extend(
                days=10, approved_by="分管领导", reason="需等待土地确权资料", parties_consent=True
            )
            self.add("extend", centre, extend, rng.randint(3, 8))
        elif rng.random() < 0.02:
            suspend = s.Suspend(reason="当事人外出务工，暂无法联系")
            self.add("suspend", self.assignee(level), suspend, rng.randint(2, 5))
            self.add("resume", self.assignee(level), s.Resume(), rng.randint(4, 10))
        elif rng.random() < 0.1:
            self.add("sweep_yellow", "system", None)

    def _resolve(self, level: str, handler: str, first: bool) -> None:
        rng = self.rng
        method = "handled"
        if first and rng.random() < 0.12:
            terms = "双方同意按原界线恢复，责任方赔偿损失并赔礼道歉"
            deadline = self.plan.registered_on + timedelta(days=30)
            agreement = s.RecordAgreement(
                terms=terms,
                responsibilities="责任方赔偿损失并赔礼道歉，另一方不再追究",
                performance_manner="当场履行",
                performance_place="村调解室",
                performance_deadline=deadline,
            )
            self.add("record_agreement", handler, agreement, rng.randint(1, 3))
            method = "mediation_agreement"
            self.agreed = True
        limit = {"village": 14, "township": 14, "county": 45}[level]
        delay = min(int(rng.lognormvariate(1.4, 0.7)), limit)
        if level == "county" and first and rng.random() < 0.2:  # 疑难案件: past the limit
            self.add("sweep_yellow", "system", None)  # the real sweep flags it yellow, then
            self.add("sweep_due", "system", None)  # red (the county does not auto-escalate)
            delay = rng.randint(5, 30)
        resolve = s.Resolve(outcome_note="经调解双方达成一致，纠纷化解", method=method)
        self.add("resolve", handler, resolve, delay)

    def _follow_up(self, worker: str, satisfaction: str) -> None:
        performance = "performed" if satisfaction != "unsatisfied" else "not_performed"
        params = s.FollowUp(
            performance=performance,
            satisfaction=satisfaction,
            remaining_risk="none",
            method=self.rng.choice(["visit", "phone"]),
        )
        self.add("follow_up", worker, params, self.rng.randint(2, 8))
