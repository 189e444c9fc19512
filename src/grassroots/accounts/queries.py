"""Reads for accounts. access_user is the only way a route gets another user's account."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import Session, aliased, joinedload

from grassroots.accounts.credentials import digest
from grassroots.accounts.models import ApiToken, AuthSession, Role, User
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.scope import subtree_condition

NOT_FOUND_USER = "用户不存在 / no such user"


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def user_scope(actor: User) -> ColumnElement[bool]:
    """Accounts an administrator may see: those posted in their subtree (grassroots.scope)."""
    post = aliased(Jurisdiction)
    posted_below = (
        select(post.id)
        .where(post.id == User.jurisdiction_id, subtree_condition(actor, post.code))
        .exists()
    )
    return posted_below & (User.role != Role.system.value)


def list_users(session: Session, actor: User) -> Sequence[User]:
    return session.scalars(select(User).where(user_scope(actor)).order_by(User.username)).all()


def access_user(session: Session, actor: User, username: str) -> User:
    """The account `username` if the actor may administer it; 404 alike for absent or out of
    scope."""
    user = session.scalar(select(User).where(User.username == username, user_scope(actor)))
    if user is None or user.role == Role.system.value:
        raise Problem(404, "not_found", NOT_FOUND_USER)
    return user


# Authentication reads the credential with its user and the user's post in one query: every
# request needs all three (is_active, the role, the scope), three round trips otherwise.
# Every request runs one of these two, so each is built once: a statement built anew per
# call costs SQLAlchemy its cache key again (a third of the query's Python time).
_SESSION_BY_HASH = (
    select(AuthSession)
    .where(AuthSession.token_hash == bindparam("token_hash"))
    .options(joinedload(AuthSession.user).joinedload(User.jurisdiction))
)
_TOKEN_BY_HASH = (
    select(ApiToken)
    .where(ApiToken.token_hash == bindparam("token_hash"))
    .options(joinedload(ApiToken.user).joinedload(User.jurisdiction))
)


def session_by_id(session: Session, raw_session_id: str) -> AuthSession | None:
    found: AuthSession | None = session.scalar(
        _SESSION_BY_HASH, {"token_hash": digest(raw_session_id)}
    )
    return found


def token_by_value(session: Session, raw_token: str) -> ApiToken | None:
    found: ApiToken | None = session.scalar(_TOKEN_BY_HASH, {"token_hash": digest(raw_token)})
    return found


def tokens_of(session: Session, user: User) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()


def access_own_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Problem(404, "not_found", "令牌不存在 / no such token")
    return token


def descendant_tokens(session: Session, token: ApiToken) -> list[ApiToken]:
    """Every token `token` minted, and those they minted, and so on (parents first)."""
    found: list[ApiToken] = []
    level = [token.id]
    while level:
        children = session.scalars(
            select(ApiToken).where(ApiToken.parent_id.in_(level)).order_by(ApiToken.id)
        ).all()
        found += children
        level = [c.id for c in children]
    return found


def postable_jurisdictions(session: Session, actor: User) -> Sequence[Jurisdiction]:
    """Current county/township/village nodes an administrator may post a new account in."""
    stmt = select(Jurisdiction).where(
        Jurisdiction.valid_to.is_(None),
        Jurisdiction.level.in_(["county", "township", "village"]),
    )
    stmt = stmt.where(subtree_condition(actor, Jurisdiction.code))
    return session.scalars(stmt.order_by(Jurisdiction.code)).all()


def mediators_at(session: Session, jurisdiction_id: int) -> Sequence[User]:
    stmt = select(User).where(
        User.jurisdiction_id == jurisdiction_id, User.role == "mediator", User.is_active
    )
    return session.scalars(stmt.order_by(User.username)).all()


def display_names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {i: n for i, n in rows}
