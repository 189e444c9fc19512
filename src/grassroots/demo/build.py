"""`grassroots init --demo`: the whole demo county in one go, deterministic for a seed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.users.actions import do_create_user
from grassroots.calendar.today import china_today
from grassroots.demo.border import build_demo_border
from grassroots.demo.county import Node, build_tree, walk
from grassroots.demo.history.cases import build_history
from grassroots.demo.leads import build_demo_leads
from grassroots.demo.partner import build_demo_partner
from grassroots.demo.staff import demo_staff
from grassroots.demo.units import demo_units
from grassroots.geo.actions import NewNode, do_create_tree
from grassroots.geo.models import Jurisdiction

DEFAULT_SEED = 2026


def county_of(tree: Node) -> Node:
    return tree.children[0].children[0]


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Jurisdiction)) or 0) == 0


def build_demo_geography(session: Session, seed: int = DEFAULT_SEED) -> Node:
    """Jurisdictions, boundaries, units and named staff."""
    tree = build_tree(seed)
    nodes = [NewNode(n.code, n.name, n.level.value, n.parent_code, n.geometry) for n in walk(tree)]
    do_create_tree(session, nodes, demo_units(county_of(tree)))
    for staff in demo_staff(county_of(tree)):
        do_create_user(
            session,
            username=staff.username,
            display_name=staff.display_name,
            role=staff.role,
            jurisdiction_code=staff.jurisdiction_code,
            unit_code=staff.unit_code,
            password=staff.password,
        )
    return tree


def build_demo(session: Session, seed: int = DEFAULT_SEED) -> Node:
    """Everything `init --demo` creates. Later domains append their part here."""
    tree = build_demo_geography(session, seed)
    build_history(session, county_of(tree), seed)  # 13 months of cases (demo/history/cases.py)
    build_demo_leads(session, county_of(tree))  # two batches of leads (demo/leads.py)
    build_demo_border(session, county_of(tree), china_today())  # meetings, hazards (border.py)
    build_demo_partner(session, china_today())  # 石岭县's documents received (partner.py)
    return tree
