"""JSON routes of the deadline policies."""

from __future__ import annotations

from fastapi import APIRouter, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.cases.deadlines import actions, queries
from grassroots.cases.deadlines import recompute as recompute  # registers the schedule hook
from grassroots.cases.deadlines.schemas import PolicyIn, PolicyOut
from grassroots.deps import DbSession, requires

router = APIRouter(tags=["deadlines"])


@router.get("/deadline-policies", dependencies=[requires("case.read")])
def get_policies(session: DbSession) -> list[PolicyOut]:
    """Every policy row; category_code "" is a level's default, source_code "" applies to
    every source (a source's own rows, e.g. hotline_12345, are looked up first)."""
    return [PolicyOut.model_validate(r) for r in queries.list_policies(session)]


@router.put("/deadline-policies")
def put_policy(
    session: DbSession, body: PolicyIn, actor: User = requires("config.write")
) -> PolicyOut:
    """Create or replace the policy for (source_code, category_code, level, violence_risk)."""
    return PolicyOut.model_validate(actions.do_set_policy(session, body, actor=actor))


@router.delete("/deadline-policies/{policy_id}", status_code=204)
def delete_policy(
    session: DbSession, policy_id: DbId, actor: User = requires("config.write")
) -> Response:
    actions.do_delete_policy(session, policy_id, actor=actor)
    return Response(status_code=204)
