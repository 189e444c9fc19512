"""Two (or more) writers at the same moment, each in a thread with its own session and
connection: the set-up of the concurrency tests. With a meeting point the threads wait for
each other there (a barrier), so that both have read before either writes — the race itself.
A refused action gives its problem code instead of a result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from grassroots.errors import Problem

T = TypeVar("T")
# Given the shared barrier: the session event to listen to and the hook that waits there.
Meeting = Callable[[threading.Barrier], tuple[str, Callable[..., None]]]


def at_once(
    factory: Callable[[], Session], act: Callable[[Session, T], Any], inputs: Sequence[T],
    meet: Meeting | None = None,
) -> list[Any]:  # fmt: skip
    """act(session, input) for every input, each in its own thread and session, all at once;
    the results (or problem codes) in the order of `inputs`."""
    barrier = threading.Barrier(len(inputs), timeout=10)

    def one(item: T) -> Any:
        with factory() as session:
            if meet is not None:
                event.listen(session, *meet(barrier))
            try:
                return act(session, item)
            except Problem as problem:
                return problem.code

    with ThreadPoolExecutor(len(inputs)) as pool:
        return list(pool.map(one, inputs))


def before_the_row_lock(barrier: threading.Barrier) -> tuple[str, Callable[..., None]]:
    """Meet before each SELECT … FOR UPDATE: both have read before either locks the rows."""

    def hook(state: Any) -> None:
        if getattr(state.statement, "_for_update_arg", None) is not None:
            barrier.wait()

    return "do_orm_execute", hook


def before_the_flush(barrier: threading.Barrier) -> tuple[str, Callable[..., None]]:
    """Meet before each flush: both have checked before either inserts."""
    return "before_flush", lambda *_: barrier.wait()
