"""Random link / unlink sequences over a few cases (Hypothesis stateful testing) against a
model of the rules: every outcome (done, or the exact refusal) is the model's; a refusal
changes nothing; duplicate chains stay one step long (so never a cycle); the duplicate mark
on the case and the link rows agree; each timeline still replays to its version."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from hypothesis.stateful import run_state_machine_as_test as run
from sqlalchemy import select

from grassroots.cases import schemas as s
from grassroots.cases.actions import do_link_cases, do_register, do_unlink_cases
from grassroots.cases.models import Case, CaseEvent, CaseLink
from grassroots.cases.workflow.transitions import replay
from grassroots.errors import Problem
from tests.cases.conftest import grid_in

MINE = 4  # cases 0..3 in zhao's township; case 4 in zhou's, beyond zhao's scope
Pair = frozenset[int]


def expected_link(links: dict[Pair, tuple[int, str]], dup: dict[int, int], i: int, j: int,
                  kind: str) -> str | None:  # fmt: skip
    """The refusal the rules give for linking i to j, or None."""
    if i == j:
        return "self_link"
    if j >= MINE:
        return "invalid_target"
    if frozenset((i, j)) in links:
        return "already_linked"
    if kind == "duplicate":
        if i in dup:
            return "already_duplicate"
        if j in dup:
            return "duplicate_of_duplicate"
        if i in dup.values():
            return "has_duplicates"
    return None


def expected_unlink(links: dict[Pair, tuple[int, str]], i: int, j: int) -> str | None:
    if not any(i in pair for pair in links):  # the table's guard: a case without any link
        return "not_linked"
    if i == j:
        return "self_link"
    if j >= MINE:
        return "invalid_target"
    found = links.get(frozenset((i, j)))
    if found is None:
        return "not_linked"
    owner, kind = found
    return "unlink_on_duplicate" if kind == "duplicate" and owner != i else None


def machine(session, users):  # type: ignore[no-untyped-def]
    zhao = users["zhao"]

    class Links(RuleBasedStateMachine):
        @initialize()
        def register(self) -> None:
            self.links: dict[Pair, tuple[int, str]] = {}
            self.dup: dict[int, int] = {}
            self.codes = [self._register(users["wang"]) for _ in range(MINE)]
            self.codes.append(self._register(users["wu"]))

        def _register(self, who) -> str:  # type: ignore[no-untyped-def]
            data = s.NewCase(category_code="neighbour", source_code="visit", title="关联",
                             description="随机关联", grid_code=grid_in(session, who))  # fmt: skip
            return do_register(session, data, actor=who).code

        def _cases(self) -> list[Case]:
            session.expire_all()
            by_code = {
                c.code: c for c in session.scalars(select(Case).where(Case.code.in_(self.codes)))
            }
            return [by_code[c] for c in self.codes]

        def _snapshot(self) -> tuple[list[int], list[tuple[int, int, str]]]:
            ids = [c.id for c in self._cases()]
            rows = session.scalars(select(CaseLink).where(CaseLink.case_id.in_(ids))).all()
            return [c.version for c in self._cases()], sorted(
                (r.case_id, r.other_id, r.kind) for r in rows
            )

        def _run(self, do, i: int, params, predicted: str | None) -> bool:  # type: ignore[no-untyped-def]
            before = self._snapshot()
            version = self._cases()[i].version
            try:
                do(session, self.codes[i], params, actor=zhao, expected_version=version)
            except Problem as problem:
                assert problem.code == predicted, (problem.code, predicted)
                assert self._snapshot() == before
                return False
            assert predicted is None, f"should have been refused: {predicted}"
            assert self._cases()[i].version == version + 1
            return True

        @rule(i=st.integers(0, MINE - 1), j=st.integers(0, MINE),
              kind=st.sampled_from(["related", "duplicate"]))  # fmt: skip
        def link(self, i: int, j: int, kind: str) -> None:
            predicted = expected_link(self.links, self.dup, i, j, kind)
            params = s.Link(other_code=self.codes[j], kind=s.LinkKind(kind))
            if self._run(do_link_cases, i, params, predicted):
                self.links[frozenset((i, j))] = (i, kind)
                if kind == "duplicate":
                    self.dup[i] = j

        @rule(i=st.integers(0, MINE - 1), j=st.integers(0, MINE))
        def unlink(self, i: int, j: int) -> None:
            predicted = expected_unlink(self.links, i, j)
            if self._run(do_unlink_cases, i, s.Unlink(other_code=self.codes[j]), predicted):
                _, kind = self.links.pop(frozenset((i, j)))
                if kind == "duplicate":
                    del self.dup[i]

        @invariant()
        def stored_as_modelled(self) -> None:
            cases = self._cases()
            index = {c.id: n for n, c in enumerate(cases)}
            assert {n: index[c.duplicate_of_id] for n, c in enumerate(cases)
                    if c.duplicate_of_id is not None} == self.dup  # fmt: skip
            rows = session.scalars(select(CaseLink).where(CaseLink.case_id.in_(index))).all()
            stored = {frozenset((index[r.case_id], index[r.other_id])): (index[r.case_id], r.kind)
                      for r in rows}  # fmt: skip
            assert stored == self.links and len(rows) == len(self.links)
            for original in self.dup.values():  # one step: an original is no duplicate
                assert original not in self.dup

        @invariant()
        def timelines_replay(self) -> None:
            for case in self._cases():
                events = session.scalars(
                    select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
                ).all()
                assert replay(events).steps == case.version

    return Links


@pytest.mark.slow
def test_random_link_sequences(session, users):
    run(
        machine(session, users),
        settings=settings(
            max_examples=10, stateful_step_count=20, deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )  # fmt: skip
