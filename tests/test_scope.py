"""grassroots.scope: the one subtree rule, and the rule for a user with no post (nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.accounts.queries import list_users, postable_jurisdictions
from grassroots.calendar.today import china_today
from grassroots.cases.actions import do_register
from grassroots.cases.listing.queries import CaseFilter, list_cases
from grassroots.cases.schemas import NewCase
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.geo.units.queries import scoped_units
from grassroots.reports.queries import list_reports
from grassroots.scope import (
    current_jurisdiction,
    in_subtree,
    on_path_to_post,
    post_prefix,
    subtree_condition,
)
from grassroots.stats.queries import access_jurisdiction


def unposted(session: Session, role: Role) -> User:
    user = User(username=f"nopost-{role.value}", display_name="无岗位", role=role.value)
    session.add(user)
    session.flush()
    return user


def codes_in_subtree(session: Session, user: User) -> set[str]:
    stmt = select(Jurisdiction.code).where(subtree_condition(user, Jurisdiction.code))
    return set(session.scalars(stmt))


def test_a_post_sees_its_own_subtree_and_nothing_beside_it(session, users):
    zhao, wu = users["zhao"], users["wu"]  # one township's centre; a grid worker elsewhere
    township = zhao.jurisdiction
    assert post_prefix(zhao) == township.prefix and in_subtree(zhao, township.code)
    assert in_subtree(zhao, wu.jurisdiction.code) is False
    codes = codes_in_subtree(session, zhao)
    assert township.code in codes and wu.jurisdiction.code not in codes
    assert all(code.startswith(township.prefix) for code in codes)
    assert current_jurisdiction(session, township.code) == township


@pytest.mark.parametrize("role", [Role.centre_staff, Role.leader, Role.system_admin])
def test_a_user_with_no_post_has_an_empty_subtree(session, users, role):
    nobody = unposted(session, role)
    county = users["chen"].jurisdiction
    assert post_prefix(nobody) is None
    assert in_subtree(nobody, county.code) is False and in_subtree(nobody, "") is False
    assert codes_in_subtree(session, nobody) == set()


def test_no_post_grants_nothing_in_any_domain(session, users):
    """Every list filter and access_* built on the scope: accounts, units, jurisdictions to
    post in, statistics, reports and cases located anywhere."""
    admin, staff = unposted(session, Role.system_admin), unposted(session, Role.centre_staff)
    assert list_users(session, admin) == [] and scoped_units(session, admin) == []
    assert list(postable_jurisdictions(session, admin)) == []
    with pytest.raises(Problem) as refused:
        access_jurisdiction(session, staff, users["chen"].jurisdiction.code)
    assert refused.value.status == 404
    assert list_reports(session, staff) == []
    grid = session.scalars(
        select(Jurisdiction.code).where(Jurisdiction.level == "grid").order_by(Jurisdiction.code)
    ).first()
    data = NewCase(category_code="neighbour", source_code="grid_patrol", title="邻里纠纷",
                   description="院墙排水", grid_code=grid)  # fmt: skip
    case = do_register(session, data, actor=users["qian"])  # the county's centre
    seen, _ = list_cases(session, users["chen"], CaseFilter(), china_today())
    assert case.code in {c.code for c in seen}  # the county's leader sees it
    rows, _ = list_cases(session, staff, CaseFilter(), china_today())
    assert rows == []


def test_on_path_to_post_walks_the_tree_up_from_the_post(users):
    zhao, chen, zhou, wang = users["zhao"], users["chen"], users["zhou"], users["wang"]
    township, county = zhao.jurisdiction, chen.jurisdiction
    assert on_path_to_post(zhao, township.code) and on_path_to_post(zhao, county.code)
    assert on_path_to_post(wang, township.code)  # wang's village lies in zhao's township
    assert not on_path_to_post(chen, township.code)  # below the post, not on its path
    assert not on_path_to_post(zhao, zhou.jurisdiction.code)  # a sibling township
    assert not on_path_to_post(zhao, wang.jurisdiction.code) and not on_path_to_post(zhao, "")
