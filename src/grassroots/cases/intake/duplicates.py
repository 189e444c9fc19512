"""Likely duplicates of a case about to be registered (查重): the same or a nearby place
(same grid, or within duplicate_distance_m), the same parties (the blind index of phone and
ID numbers), similar text (Jaccard of the Chinese characters that carry meaning), within a
window of days.

A registered case is a likely duplicate when it shares a party with the new one, or lies
near it and its text is at least duplicate_text_threshold similar. `is_likely_duplicate` is
the rule on two sketches (the labelled set in tests/cases/intake/labelled_pairs.py measures
its precision and recall; `python -m bench.duplicates` prints them per threshold);
`find_duplicates` applies it to the cases the registering user may see.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.models import Case, Party
from grassroots.cases.queries import case_scope
from grassroots.crypto import keyring

MAX_SCANNED = 500  # recent cases of the place compared at most
MAX_SHOWN = 10
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
# Function characters that two unrelated complaints share as often as two tellings of one:
# left out of the comparison.
FUNCTION_CHARS = frozenset(
    "的了在和与及是有为不也就都还把被让给对到从向说要会能很太好一个这那着过吗呢吧啊"
)


@dataclass(frozen=True)
class Thresholds:
    window_days: int
    distance_m: float
    text: float


@dataclass(frozen=True)
class Sketch:
    """What the rule compares of a case."""

    text: str
    grid_code: str | None
    lat: float | None
    lng: float | None
    party_keys: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    code: str
    title: str
    state: str
    registered_at: datetime
    similarity: float
    reasons: list[str]  # same_party, same_grid, nearby, similar_text


def characters(text: str) -> set[str]:
    return set(NOISE.sub("", text.lower())) - FUNCTION_CHARS


def similarity(a: str, b: str) -> float:
    """Jaccard index of the two texts' meaningful characters (0 unrelated … 1 the same).
    Characters, not bigrams: two people tell one event in different words that share its
    key characters (垃圾 / 臭 / 路口) far more often than its word pairs — on the labelled
    set, bigrams found a third of the same-grid duplicates at 0.2, characters all but one."""
    x, y = characters(a), characters(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def metres(a: Sketch, b: Sketch) -> float | None:
    if None in (a.lat, a.lng, b.lat, b.lng):
        return None
    lat1, lng1, lat2, lng2 = map(math.radians, (a.lat, a.lng, b.lat, b.lng))  # type: ignore[arg-type]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def reasons(a: Sketch, b: Sketch, t: Thresholds) -> tuple[float, list[str]]:
    """(text similarity, the reasons `b` is a likely duplicate of `a`; empty: it is not)."""
    found = []
    if a.party_keys & b.party_keys:
        found.append("same_party")
    distance = metres(a, b)
    if a.grid_code is not None and a.grid_code == b.grid_code:
        found.append("same_grid")
    elif distance is not None and distance <= t.distance_m:
        found.append("nearby")
    score = similarity(a.text, b.text)
    if score >= t.text:
        found.append("similar_text")
    near = "same_grid" in found or "nearby" in found
    likely = "same_party" in found or (near and "similar_text" in found)
    return score, found if likely else []


def is_likely_duplicate(a: Sketch, b: Sketch, t: Thresholds) -> bool:
    return bool(reasons(a, b, t)[1])


def party_keys(parties: list[s.PartyIn]) -> frozenset[str]:
    ring = keyring()
    keys = {ring.blind_index("phone", p.phone) for p in parties if p.phone}
    keys |= {ring.blind_index("id_number", p.id_number) for p in parties if p.id_number}
    return frozenset(keys)


def sketch_of(data: s.NewCase, grid_code: str | None) -> Sketch:
    text = f"{data.title} {data.description}"
    return Sketch(text, grid_code, data.lat, data.lng, party_keys(data.parties))


def _stored(session: Session, case: Case) -> Sketch:
    rows = session.execute(
        select(Party.phone_bidx, Party.id_number_bidx).where(Party.case_id == case.id)
    )
    keys = frozenset(k for row in rows for k in row if k)
    return Sketch(f"{case.title} {case.description}", case.grid_code, case.lat, case.lng, keys)


def _nearby_cases(
    session: Session, user: User, new: Sketch, village: str | None, since: datetime
) -> list[Case]:
    """Recent cases the user may see in the same village (the distance check's bound) or
    sharing a party."""
    place = [Case.village_code == village] if village else []
    keys = list(new.party_keys)
    shared = or_(Party.phone_bidx.in_(keys), Party.id_number_bidx.in_(keys))
    party = [Case.id.in_(select(Party.case_id).where(shared))] if keys else []
    query = (
        select(Case)
        .where(case_scope(user), Case.registered_at >= since, or_(*place, *party))
        .order_by(Case.registered_at.desc())
        .limit(MAX_SCANNED)
    )
    return list(session.scalars(query))


def find_duplicates(
    session: Session, user: User, data: s.NewCase, grid_code: str | None, village_code: str | None,
    now: datetime, t: Thresholds,
) -> list[Candidate]:  # fmt: skip
    """The likely duplicates among the recent cases `user` may see, most similar first."""
    new = sketch_of(data, grid_code)
    since = now - timedelta(days=t.window_days)
    found = []
    for case in _nearby_cases(session, user, new, village_code, since):
        score, why = reasons(new, _stored(session, case), t)
        if why:
            found.append(
                Candidate(
                    case.code, case.title, case.state, case.registered_at, round(score, 3), why
                )
            )
    found.sort(key=lambda c: ("same_party" not in c.reasons, -c.similarity))
    return found[:MAX_SHOWN]
