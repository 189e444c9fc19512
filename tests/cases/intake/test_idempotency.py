"""POST /cases with an Idempotency-Key: replay, mismatch, in flight, crashed, per user."""

from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack
from datetime import timedelta

import pytest
import rfc8785
from sqlalchemy import func, select

from grassroots.audit.chain import _plain
from grassroots.cases.intake.idempotency import advisory_lock_id, in_flight, request_hash
from grassroots.cases.intake.models import IdempotencyKey
from grassroots.cases.models import Case
from grassroots.cases.schemas import NewCase
from grassroots.db import utcnow
from grassroots.errors import Problem


def post(client, body, key):
    return client.post("/api/v1/cases", json=body, headers={"Idempotency-Key": key})


def left_in_flight(session, user, key: str, digest: str, started_at) -> None:
    """A key row still in flight, as older versions left one while registering."""
    row = IdempotencyKey(user_id=user.id, key=key, request_hash=digest, state="in_flight",
                         started_at=started_at)  # fmt: skip
    session.add(row)
    session.commit()


def count_cases(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Case))


def test_same_key_same_body_replays_the_first_response(client_as, new_case_body, session):
    wang = client_as("wang")
    before = count_cases(session)
    first = post(wang, new_case_body, "k-1")
    assert first.status_code == 201, first.text
    reordered = json.loads(json.dumps(dict(reversed(list(new_case_body.items())))))
    again = post(wang, reordered, "k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_cases(session) == before + 1


def test_replay_is_the_first_response_even_after_the_case_moved(client_as, new_case_body):
    wang, zhao = client_as("wang"), client_as("zhao")
    first = post(wang, new_case_body, "k-2").json()
    zhao.post(f"/api/v1/cases/{first['code']}/actions/accept", json={"expected_version": 1})
    assert post(wang, new_case_body, "k-2").json() == first


def test_same_key_other_body_is_refused(client_as, new_case_body, session):
    wang = client_as("wang")
    assert post(wang, new_case_body, "k-3").status_code == 201
    before = count_cases(session)
    r = post(wang, {**new_case_body, "title": "另一件事"}, "k-3")
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    assert count_cases(session) == before


def test_retry_while_the_first_is_running_gets_409(client_as, new_case_body, session, users):
    digest = request_hash(NewCase.model_validate(new_case_body).model_dump(mode="json"))
    left_in_flight(session, users["wang"], "k-4", digest, utcnow())  # still running
    r = post(client_as("wang"), new_case_body, "k-4")
    assert r.status_code == 409
    assert r.json()["code"] == "request_in_progress"


def test_retry_while_the_first_holds_its_transaction_gets_409(
    client_as, new_case_body, engine, users
):
    """The first request holds (user, key) until its transaction ends: on PostgreSQL the
    advisory lock (another connection plays the first request's transaction here), on SQLite
    the process's in-flight registry (held here the way the first request holds it)."""
    wang = client_as("wang")
    with ExitStack() as first:
        if engine.dialect.name == "postgresql":
            conn = first.enter_context(engine.connect())
            lock = func.pg_try_advisory_xact_lock(advisory_lock_id(users["wang"].id, "k-run"))
            assert conn.execute(select(lock)).scalar_one()
        else:
            first.enter_context(in_flight(users["wang"].id, "k-run"))
        r = post(wang, new_case_body, "k-run")
        assert r.status_code == 409
        assert r.json()["code"] == "request_in_progress"
        other = post(wang, new_case_body, "k-other")  # other keys are not held up
        assert other.status_code == 201, other.text
    assert post(wang, new_case_body, "k-run").status_code == 201


def test_the_in_flight_registry_refuses_a_second_holder_and_frees_on_error(users):
    uid = users["wang"].id
    with in_flight(uid, "k-reg"):
        with pytest.raises(Problem) as refused, in_flight(uid, "k-reg"):
            pass
        assert refused.value.status == 409
    with pytest.raises(RuntimeError), in_flight(uid, "k-reg"):
        raise RuntimeError("the request failed")
    with in_flight(uid, "k-reg"):  # free again
        pass


def test_a_crashed_request_expires_and_the_retry_registers(
    client_as, new_case_body, session, users
):
    digest = request_hash(NewCase.model_validate(new_case_body).model_dump(mode="json"))
    left_in_flight(session, users["wang"], "k-5", digest, utcnow() - timedelta(minutes=5))
    wang = client_as("wang")
    first = post(wang, new_case_body, "k-5")
    assert first.status_code == 201, first.text
    assert post(wang, new_case_body, "k-5").json() == first.json()


def test_keys_are_per_user(client_as, new_case_body):
    a = post(client_as("wang"), new_case_body, "shared-key")
    b = post(client_as("zhao"), new_case_body, "shared-key")
    assert a.status_code == b.status_code == 201
    assert a.json()["code"] != b.json()["code"]


def test_a_refused_registration_frees_its_key(client_as, new_case_body):
    wang = client_as("wang")
    r = post(wang, {**new_case_body, "category_code": "no_such"}, "k-6")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category_code"
    assert post(wang, new_case_body, "k-6").status_code == 201


def test_without_a_key_each_post_registers(client_as, new_case_body):
    wang = client_as("wang")
    a = wang.post("/api/v1/cases", json=new_case_body).json()["code"]
    b = wang.post("/api/v1/cases", json=new_case_body).json()["code"]
    assert a != b


def test_an_intake_body_hashes_as_rfc8785_on_the_fast_path():
    body = {"category_code": "neighbour", "title": "邻里排水纠纷\n", "lat": 39.91234567,
            "lng": 116.4073963, "parties": [{"role": "applicant", "phone": "13800138000"}],
            "people_involved": 2, "amount_involved": None, "violence_risk": False}  # fmt: skip
    assert _plain(body)
    assert request_hash(body) == hashlib.sha256(rfc8785.dumps(body)).hexdigest()
