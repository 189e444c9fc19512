"""Who acts in the demo history: the named seed staff where they sit, and generated staff
(a grid worker and a village mediator per village, a centre clerk and a mediator per
township) elsewhere. Generated accounts have no password: they never log in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role
from grassroots.accounts.users.actions import do_create_user
from grassroots.demo.county import COUNTY_CODE, Node
from grassroots.demo.history.text import person_name


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    township_code: str
    grids: list[tuple[str, BaseGeometry]]  # grid code, boundary
    grid_worker: str
    mediator: str


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    centre: str  # 综治中心受理员: accepts, assigns, escalates, closes village and township cases
    mediator: str  # 镇人民调解委员会 mediator
    villages: list[Village] = field(default_factory=list)


@dataclass(frozen=True)
class Cast:
    townships: list[Township]
    county_centre: str  # 县综治中心受理员 (qian)

    @property
    def villages(self) -> list[Village]:
        return [v for t in self.townships for v in t.villages]

    def township_of(self, village: Village) -> Township:
        return next(t for t in self.townships if t.code == village.township_code)


# The named seed staff in the posts they hold (demo/staff.py): 青石镇 and 柳河镇.
SEEDED = {
    ("township", 1): {"centre": "zhao", "mediator": "li"},
    ("township", 2): {"centre": "zhou"},
    ("village", 1, 0): {"grid_worker": "wang"},
    ("village", 2, 0): {"grid_worker": "wu"},
}


def _user(
    session: Session,
    rng: random.Random,
    username: str,
    role: Role,
    place: str,
    unit: str | None = None,
) -> str:
    do_create_user(
        session,
        username=username,
        display_name=person_name(rng),
        role=role,
        jurisdiction_code=place,
        unit_code=unit,
    )
    return username


def _village(
    session: Session, rng: random.Random, t_index: int, v_index: int, node: Node, township: Node
) -> Village:
    seeded = SEEDED.get(("village", t_index, v_index), {})
    short = node.code[6:]
    worker = seeded.get("grid_worker") or _user(
        session, rng, f"gw{short}", Role.grid_worker, node.code
    )
    mediator = _user(session, rng, f"tj{short}", Role.mediator, node.code, f"{node.code}-mediation")
    grids = [(g.code, g.geometry) for g in node.children if g.geometry is not None]
    return Village(node.code, node.name, township.code, grids, worker, mediator)


def create_cast(session: Session, county: Node, rng: random.Random) -> Cast:
    """Create the generated staff (the seed staff exist already) and say who is where."""
    townships = []
    for t_index, node in enumerate(county.children):
        seeded = SEEDED.get(("township", t_index), {})
        prefix = node.code[:9]
        centre = seeded.get("centre") or _user(
            session, rng, f"zx{node.code[6:9]}", Role.centre_staff, node.code, f"{prefix}-centre"
        )
        mediator = seeded.get("mediator") or _user(
            session, rng, f"ty{node.code[6:9]}", Role.mediator, node.code, f"{prefix}-mediation"
        )
        township = Township(node.code, node.name, centre, mediator)
        township.villages.extend(
            _village(session, rng, t_index, v_index, v, node)
            for v_index, v in enumerate(node.children)
        )
        townships.append(township)
    return Cast(townships, county_centre="qian")


COUNTY_MEDIATION_UNIT = f"{COUNTY_CODE[:6]}-mediation"
