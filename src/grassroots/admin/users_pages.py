"""管理 → users and roles: the same accounts do_* and permissions as /api/v1/users.

三权分立: the system admin (users.manage) creates accounts of business roles, disables,
enables and resets passwords of business-role accounts; the security admin (roles.grant,
security.manage) changes roles and resets a lost second factor. Both see the accounts of
their jurisdiction's subtree (users.read). Every form carries the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.login.actions import do_reset_totp
from grassroots.accounts.login.passwords import policy_problems
from grassroots.accounts.models import Role, User
from grassroots.accounts.permissions import BUSINESS_ROLES, HUMAN_ROLES
from grassroots.accounts.queries import access_user, list_users, postable_jurisdictions
from grassroots.accounts.schemas import RoleIn, UserIn
from grassroots.accounts.users.actions import (
    do_create_user,
    do_disable_user,
    do_enable_user,
    do_reset_password,
    do_set_role,
)
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.queries import units
from grassroots.i18n import gettext_for, request_locale
from grassroots.ratelimit.limits import client_ip
from grassroots.web.flash import set_flash
from grassroots.web.forms import blank_to_none, field_errors, form_fields, problem_errors
from grassroots.web.nav import role_label
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
UserReader = Annotated[User, requires("users.read")]
UserManager = Annotated[User, requires("users.manage")]
RoleGranter = Annotated[User, requires("roles.grant")]
SecurityManager = Annotated[User, requires("security.manage")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
NEW_USER_FIELDS = ("username", "display_name", "role", "jurisdiction_code", "unit_code")
# Problem codes of the actions → the form field they are about.
PROBLEM_FIELDS = {
    "user_exists": "username",
    "unknown_unit": "unit_code",
    "unknown_jurisdiction": "jurisdiction_code",
    "out_of_scope": "jurisdiction_code",
    "own_role": "role",
}


def _role_options(request: Request, roles: Collection[Role]) -> list[tuple[str, str]]:
    t = gettext_for(request_locale(request))
    return [(r.value, t(role_label(r.value))) for r in HUMAN_ROLES if r in roles]


def _list_context(
    request: Request,
    session: DbSession,
    actor: User,
    values: dict[str, Any],
    errors: dict[str, str],
) -> dict[str, Any]:
    posts = postable_jurisdictions(session, actor)
    return {
        "users": list_users(session, actor),
        "role_options": _role_options(request, BUSINESS_ROLES),
        "jurisdiction_options": [(j.code, f"{j.name} {j.code}") for j in posts],
        "unit_options": [(u.code, u.name) for u in units(session, None, None)],
        "values": values,
        "errors": errors,
    }


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: DbSession, user: UserReader) -> HTMLResponse:
    context = _list_context(request, session, user, {}, {})
    return render(request, "admin/users.html", context, user=user)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request, session: DbSession, user: UserManager, form: FormFields
) -> Response:
    """Validated with the API's UserIn plus the password policy; errors under each field,
    everything typed kept except the password."""
    t = gettext_for(request_locale(request))
    data = blank_to_none({k: form.get(k, "") for k in NEW_USER_FIELDS}, ("unit_code",))
    password = str(form.get("password", ""))
    try:
        errors = _create(request, session, user, data, password)
    except ValidationError as exc:
        errors = field_errors(exc, t, lambda loc: str(loc[0]), "username")
    if not errors:
        response = RedirectResponse(f"/admin/users/{data['username']}", status_code=303)
        set_flash(response, "user_created", str(data["username"]))
        return response
    context = _list_context(
        request, session, user, {k: form.get(k, "") for k in NEW_USER_FIELDS}, errors
    )
    return render(request, "admin/users.html", context, user=user, status_code=422)


def _create(
    request: Request, session: DbSession, actor: User, data: dict[str, Any], password: str
) -> dict[str, str]:
    body = UserIn.model_validate(data)
    errors: dict[str, str] = {}
    if body.role not in BUSINESS_ROLES:
        errors["role"] = "管理员角色须由安全管理员授予 / admin roles need roles.grant"
    if problems := policy_problems(password, username=body.username):
        errors["password"] = "；".join(problems)
    if errors:
        return errors
    try:
        do_create_user(
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
    except Problem as exc:
        return problem_errors(exc, PROBLEM_FIELDS.get(exc.code, "username"), {})
    return {}


def _detail(
    request: Request, session: DbSession, actor: User, target: User, errors: dict[str, str]
) -> HTMLResponse:
    context = {
        "account": target,
        "role_options": _role_options(request, HUMAN_ROLES),
        "errors": errors,
    }
    status = 422 if errors else 200
    return render(request, "admin/user.html", context, user=actor, status_code=status)


def _done(username: str) -> Response:
    response = RedirectResponse(f"/admin/users/{username}", status_code=303)
    set_flash(response, "saved")
    return response


@router.get("/admin/users/{username}", response_class=HTMLResponse)
def user_page(request: Request, session: DbSession, user: UserReader, username: str) -> Response:
    return _detail(request, session, user, access_user(session, user, username), {})


@router.post("/admin/users/{username}/disable")
def disable_user(
    request: Request, session: DbSession, user: UserManager, username: str
) -> Response:
    target = access_user(session, user, username)
    try:
        do_disable_user(session, target, actor=user, ip=client_ip(request))
    except Problem as exc:
        return _detail(request, session, user, target, {"status": exc.message})
    return _done(username)


@router.post("/admin/users/{username}/enable")
def enable_user(request: Request, session: DbSession, user: UserManager, username: str) -> Response:
    target = access_user(session, user, username)
    do_enable_user(session, target, actor=user, ip=client_ip(request))
    return _done(username)


@router.post("/admin/users/{username}/password")
def reset_password(
    request: Request, session: DbSession, user: UserManager, username: str, form: FormFields
) -> Response:
    """Only accounts of business roles: an administrator's password is not another
    administrator's to set (三权分立)."""
    target = access_user(session, user, username)
    if Role(target.role) not in BUSINESS_ROLES:
        raise Problem(
            403, "admin_account", "管理员账户的密码不由系统管理员重置 / not yours to reset"
        )
    try:
        do_reset_password(
            session, target, str(form.get("password", "")), actor=user, ip=client_ip(request)
        )
    except Problem as exc:
        return _detail(request, session, user, target, {"password": exc.message})
    return _done(username)


@router.post("/admin/users/{username}/role")
def set_role(
    request: Request, session: DbSession, user: RoleGranter, username: str, form: FormFields
) -> Response:
    target = access_user(session, user, username)
    t = gettext_for(request_locale(request))
    try:
        role = RoleIn.model_validate({"role": form.get("role", "")}).role
        do_set_role(session, target, role, actor=user, ip=client_ip(request))
    except ValidationError as exc:
        return _detail(
            request, session, user, target, field_errors(exc, t, lambda _loc: "role", "role")
        )
    except Problem as exc:
        return _detail(request, session, user, target, {"role": exc.message})
    return _done(username)


@router.post("/admin/users/{username}/totp-reset")
def reset_totp(
    request: Request, session: DbSession, user: SecurityManager, username: str
) -> Response:
    target = access_user(session, user, username)
    do_reset_totp(session, target, actor=user, ip=client_ip(request))
    return _done(username)
