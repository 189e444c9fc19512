"""JSON routes under /api/v1/users: account administration, split by 三权分立.

system_admin (users.manage): create accounts of business roles, disable, enable.
security_admin (roles.grant / security.manage): change roles, reset a lost second factor.
Both see the accounts of their jurisdiction's subtree (users.read).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from grassroots.accounts.login.actions import do_reset_totp
from grassroots.accounts.login.passwords import generate_password
from grassroots.accounts.models import User
from grassroots.accounts.permissions import BUSINESS_ROLES
from grassroots.accounts.queries import access_user, list_users
from grassroots.accounts.schemas import NewUserOut, RoleIn, UserIn, UserOut
from grassroots.accounts.users.actions import (
    do_create_user,
    do_disable_user,
    do_enable_user,
    do_set_role,
)
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.ratelimit.limits import client_ip

router = APIRouter(prefix="/users", tags=["users"])


def user_out(user: User) -> UserOut:
    locked = user.locked_until is not None and user.locked_until > utcnow()
    return UserOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        jurisdiction_code=user.jurisdiction.code if user.jurisdiction else None,
        unit_code=user.unit.code if user.unit else None,
        is_active=user.is_active,
        locked=locked,
        totp_enrolled=user.totp_enabled_at is not None,
    )


@router.get("")
def users_list(actor: Annotated[User, requires("users.read")], session: DbSession) -> list[UserOut]:
    return [user_out(u) for u in list_users(session, actor)]


@router.post("", status_code=201)
def users_create(
    body: UserIn,
    request: Request,
    actor: Annotated[User, requires("users.manage")],
    session: DbSession,
) -> NewUserOut:
    """A new account of a business role with a generated initial password (shown once).
    Administrator roles are granted afterwards by the security admin (roles.grant)."""
    if body.role not in BUSINESS_ROLES:
        raise Problem(
            403, "role_needs_grant", "管理员角色须由安全管理员授予 / admin roles need roles.grant"
        )
    password = generate_password()
    user = do_create_user(
        session,
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        jurisdiction_code=body.jurisdiction_code,
        unit_code=body.unit_code,
        password=password,
        actor=actor,
        ip=client_ip(request),
    )
    return NewUserOut(**user_out(user).model_dump(), initial_password=password)


@router.post("/{username}/disable")
def users_disable(
    username: str,
    request: Request,
    actor: Annotated[User, requires("users.manage")],
    session: DbSession,
) -> UserOut:
    user = access_user(session, actor, username)
    return user_out(do_disable_user(session, user, actor=actor, ip=client_ip(request)))


@router.post("/{username}/enable")
def users_enable(
    username: str,
    request: Request,
    actor: Annotated[User, requires("users.manage")],
    session: DbSession,
) -> UserOut:
    user = access_user(session, actor, username)
    return user_out(do_enable_user(session, user, actor=actor, ip=client_ip(request)))


@router.put("/{username}/role")
def users_set_role(
    username: str,
    body: RoleIn,
    request: Request,
    actor: Annotated[User, requires("roles.grant")],
    session: DbSession,
) -> UserOut:
    """Change the role (ends the user's sessions and tokens). Not your own."""
    user = access_user(session, actor, username)
    return user_out(do_set_role(session, user, body.role, actor=actor, ip=client_ip(request)))


@router.post("/{username}/totp-reset")
def users_totp_reset(
    username: str,
    request: Request,
    actor: Annotated[User, requires("security.manage")],
    session: DbSession,
) -> UserOut:
    """Clear a lost second factor; the user enrols again at the next login."""
    user = access_user(session, actor, username)
    do_reset_totp(session, user, actor=actor, ip=client_ip(request))
    return user_out(user)
