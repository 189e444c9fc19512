"""JSON routes under /api/v1/auth: login, logout, me, the TOTP steps, password, own tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from grassroots.accounts.authn import (
    SESSION_COOKIE,
    clear_session_cookies,
    request_now,
    set_session_cookies,
)
from grassroots.accounts.credentials import csrf_token_for
from grassroots.accounts.login import totp
from grassroots.accounts.login.actions import (
    do_confirm_totp,
    do_login,
    do_logout,
    do_start_totp_enrolment,
    do_verify_second_factor,
    second_factor_state,
)
from grassroots.accounts.login.csrf import same_site_login
from grassroots.accounts.login.ratelimit import rate_limit
from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.accounts.queries import access_own_token, tokens_of
from grassroots.accounts.schemas import (
    CodeIn,
    LoginIn,
    MeOut,
    NewTokenOut,
    PasswordChangeIn,
    RecoveryCodesOut,
    TokenIn,
    TokenOut,
    TotpEnrolOut,
)
from grassroots.accounts.tokens.actions import do_create_token, do_revoke_token
from grassroots.accounts.users.actions import do_change_own_password
from grassroots.bounds import DbId
from grassroots.deps import Authn, DbSession, FullAuth, requires
from grassroots.errors import Problem
from grassroots.ratelimit.limits import client_ip

router = APIRouter(prefix="/auth", tags=["auth"])
SelfUser = Annotated[User, requires("account.self")]


def me_out(
    user: User, pending: str | None, csrf: str, permissions: frozenset[str] | None = None
) -> MeOut:
    """`permissions`: the request's (role ∩ token scopes); a new session's: the role's."""
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        jurisdiction_code=user.jurisdiction.code if user.jurisdiction else None,
        unit_code=user.unit.code if user.unit else None,
        permissions=sorted(granted(user.role) if permissions is None else permissions),
        second_factor=pending,
        totp_enrolled=user.totp_enabled_at is not None,
        csrf_token=csrf,
    )


@router.post("/login", dependencies=[Depends(same_site_login), rate_limit("login")])
def login(body: LoginIn, request: Request, response: Response, session: DbSession) -> MeOut:
    """Password step. Sets the session cookie; `second_factor` says what is still owed."""
    settings = request.app.state.settings
    new = do_login(
        session,
        body.username,
        body.password,
        ip=client_ip(request),
        old_session_id=request.cookies.get(SESSION_COOKIE),
        now=request_now(request),
        settings=settings,
    )
    set_session_cookies(response, new.session_id, settings)
    pending = second_factor_state(new.row.user, new.row, settings)
    return me_out(new.row.user, pending, csrf_token_for(new.session_id))


@router.post("/logout", status_code=204)
def logout(request: Request, auth: Authn, session: DbSession) -> Response:
    response = Response(status_code=204)
    if auth.session is not None:
        do_logout(session, auth.session, ip=client_ip(request))
        clear_session_cookies(response)
    return response


@router.get("/me")
def me(auth: Authn) -> MeOut:
    return me_out(auth.user, auth.pending, auth.csrf_token, auth.permissions)


@router.post("/totp/enrol")
def totp_enrol(auth: Authn, session: DbSession) -> TotpEnrolOut:
    """Start enrolment: a new secret as otpauth URI and QR code (SVG) for the authenticator."""
    if auth.session is None:
        raise _session_only()
    secret = do_start_totp_enrolment(session, auth.user)
    uri = totp.provisioning_uri(secret, auth.user.username)
    return TotpEnrolOut(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))


@router.post("/totp/confirm")
def totp_confirm(
    body: CodeIn, request: Request, response: Response, auth: Authn, session: DbSession
) -> RecoveryCodesOut:
    """Finish enrolment with a code from the authenticator; returns the recovery codes."""
    if auth.session is None:
        raise _session_only()
    new, codes = do_confirm_totp(session, auth.session, body.code, ip=client_ip(request))
    set_session_cookies(response, new.session_id, request.app.state.settings)
    return RecoveryCodesOut(recovery_codes=codes, csrf_token=csrf_token_for(new.session_id))


@router.post("/totp/verify", dependencies=[rate_limit("login")])
def totp_verify(
    body: CodeIn, request: Request, response: Response, auth: Authn, session: DbSession
) -> MeOut:
    """Second step of login: a TOTP code or an unused recovery code."""
    if auth.session is None:
        raise _session_only()
    settings = request.app.state.settings
    new = do_verify_second_factor(
        session,
        auth.session,
        body.code,
        ip=client_ip(request),
        now=request_now(request),
        settings=settings,
    )
    set_session_cookies(response, new.session_id, settings)
    return me_out(new.row.user, None, csrf_token_for(new.session_id))


@router.post("/password", status_code=204)
def change_password(
    body: PasswordChangeIn, request: Request, auth: FullAuth, user: SelfUser, session: DbSession
) -> Response:
    """Change your own password; your other sessions end. Wrong current passwords are
    throttled (429 with Retry-After): per (you, address) from a browser, per token with one."""
    keep = auth.session.id if auth.session else -1
    do_change_own_password(
        session,
        user,
        body.current_password,
        body.new_password,
        keep_session_id=keep,
        ip=client_ip(request),
        token_id=auth.token.id if auth.token else None,
        now=request_now(request),
        settings=request.app.state.settings,
    )
    return Response(status_code=204)


@router.get("/tokens")
def list_tokens(user: SelfUser, session: DbSession) -> list[TokenOut]:
    return [TokenOut.model_validate(t, from_attributes=True) for t in tokens_of(session, user)]


@router.post("/tokens", status_code=201)
def create_token(
    body: TokenIn, request: Request, auth: FullAuth, user: SelfUser, session: DbSession
) -> NewTokenOut:
    """A bearer token for an integration, limited to `scopes` (a subset of your permissions;
    asked with a token: of that token's scopes, expiring no later than it, else 403). It
    expires at `expires_at` (with a time zone), by default after GRASSROOTS_TOKEN_DEFAULT_DAYS,
    at most GRASSROOTS_TOKEN_MAX_DAYS."""
    token, raw = do_create_token(
        session,
        user,
        name=body.name,
        scopes=body.scopes,
        expires_at=body.expires_at,
        actor=user,
        ip=client_ip(request),
        parent=auth.token,
        settings=request.app.state.settings,
    )
    out = TokenOut.model_validate(token, from_attributes=True)
    return NewTokenOut(**out.model_dump(), token=raw)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: DbId, request: Request, user: SelfUser, session: DbSession) -> Response:
    """Revoke one of your tokens and every token it minted."""
    token = access_own_token(session, user, token_id)
    do_revoke_token(session, token, actor=user, ip=client_ip(request))
    return Response(status_code=204)


def _session_only() -> Problem:
    return Problem(409, "session_only", "仅限浏览器会话 / only for a browser session")
