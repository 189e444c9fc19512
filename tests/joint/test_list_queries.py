"""The joint-case list reads each case's holder and shares with the list: the number of
queries does not grow with the number of joint cases (it did: two or three per case)."""

from __future__ import annotations

from sqlalchemy import event

from grassroots.joint.queries import joint_cases


def _queries(session, user) -> tuple[int, int]:
    """(queries run, rows listed) for one listing with nothing loaded beforehand."""
    session.expunge_all()
    user = session.merge(user, load=True)
    seen: list[str] = []
    engine = session.get_bind()

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        rows = joint_cases(session, user)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen), len(rows)


def test_the_list_does_not_query_per_case(session, users, joint_case):
    zhou = users["zhou"]
    joint_case(), joint_case()
    few, listed = _queries(session, zhou)
    assert listed == 2
    for _ in range(4):
        joint_case()
    many, listed = _queries(session, zhou)
    assert listed == 6 and many == few, (few, many)
