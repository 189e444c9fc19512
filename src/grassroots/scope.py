"""Who may see which jurisdiction's objects: the one rule every access_* and list filter
builds on.

A user's post (岗位) is a node of the jurisdiction tree. The user's subtree is that node and
every node below it: the codes that start with the node's significant prefix (a county
`990101000000` → `990101`, a township → 9 digits, a village → 12; geo.models.code_prefix).
Every protected object that lies somewhere in the tree (a case by its location, a report by
its jurisdiction, an account by its post, a unit by its jurisdiction) is visible to a user
exactly when its code lies in the user's subtree — plus whatever a domain grants on other
grounds (a case assigned to the user, registered by them or routed to their unit).

**A user with no post has an empty subtree.** in_subtree is False and subtree_condition is
SQL false for them, whatever their role: no cases by location, no statistics, no reports, no
accounts and no units to administer. Nothing is granted by the absence of a post; an
administrator of the whole deployment is posted at its top node (the county, or the city
of a multi-county deployment). Commands run by the operator (the CLI, acting with no user
at all) are not users and are not scoped.

"Current" nodes are the ones valid now (valid_to empty): a code that was renamed or merged
keeps its old node for the cases registered under it.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from grassroots.geo.models import Jurisdiction


class Posted(Protocol):
    """Anything with a post: an account (accounts.models.User)."""

    @property
    def jurisdiction(self) -> Jurisdiction | None: ...


def current_jurisdiction(session: Session, code: str) -> Jurisdiction | None:
    """The node that carries `code` now (valid_to is empty), or None."""
    return session.scalar(
        select(Jurisdiction).where(Jurisdiction.code == code, Jurisdiction.valid_to.is_(None))
    )


def post_prefix(user: Posted) -> str | None:
    """The code prefix of the user's subtree; None for a user with no post."""
    post = user.jurisdiction
    return post.prefix if post is not None else None


def within(prefix: str | None, code: str | None) -> bool:
    """Whether `code` lies in the subtree of `prefix` (a post_prefix): False without a post
    (prefix None) and for an empty code."""
    return prefix is not None and bool(code) and str(code).startswith(prefix)


def in_subtree(user: Posted, code: str | None) -> bool:
    """Whether the node (or object located at) `code` lies in the user's subtree. False for
    a user with no post and for an empty code."""
    return within(post_prefix(user), code)


def on_path_to_post(user: Posted, code: str | None) -> bool:
    """Whether the node `code` is the user's post or one of its ancestors, found by walking up
    the jurisdiction tree (parent links), never by comparing code strings: an object of a
    node above the post (a county's report template) serves the post. False without a post."""
    node = user.jurisdiction
    while node is not None and code:
        if node.code == code:
            return True
        node = node.parent
    return False


def subtree_condition(user: Posted, column: Any) -> ColumnElement[bool]:
    """SQL: the code in `column` lies in the user's subtree (false for a user with no post)."""
    prefix = post_prefix(user)
    if prefix is None:
        return false()
    condition: ColumnElement[bool] = column.startswith(prefix, autoescape=True)
    return condition
