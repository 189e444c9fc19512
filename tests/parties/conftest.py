"""Cases with parties for the parties tests, built directly in the test's transaction."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case, Party
from grassroots.crypto import Keyring
from grassroots.db import transaction
from grassroots.dictionary.models import Category, Source
from grassroots.geo.models import Jurisdiction
from grassroots.parties.contact import seal_contact
from tests.support.personal_data import SEEDED_ID_NUMBERS, SEEDED_PHONES

DICTIONARY_CODE = "audit_test"


def _codes(place: Jurisdiction) -> dict[str, str]:
    codes: dict[str, str] = {}
    node: Jurisdiction | None = place
    while node is not None:
        codes[node.level] = node.code
        node = node.parent
    return codes


def new_case(session: Session, holder: Jurisdiction, registered_by: User, code: str) -> Case:
    if session.get(Category, DICTIONARY_CODE) is None:
        session.add(Category(code=DICTIONARY_CODE, name="测试类别"))
        session.add(Source(code=DICTIONARY_CODE, name="测试来源"))
        session.flush()  # the case refers to them by column only
    codes = _codes(holder)
    case = Case(
        code=code,
        kind="dispute",
        category_code=DICTIONARY_CODE,
        source_code=DICTIONARY_CODE,
        title="邻里漏水纠纷",
        description="楼上漏水",
        county_code=codes["county"],
        township_code=codes.get("township"),
        village_code=codes.get("village"),
        level=holder.level,
        holder_jurisdiction_id=holder.id,
        registered_by_id=registered_by.id,
    )
    session.add(case)
    return case


def add_party(
    case: Case, name: str, phone: str | None, id_number: str | None, ring: Keyring | None = None
) -> Party:
    party = Party(role="applicant", name=name)
    seal_contact(party, phone=phone, id_number=id_number, ring=ring)
    case.parties.append(party)
    return party


@dataclass
class Qingshi:
    """A case in wang's village (青石镇) with two parties; the second ID number is mistyped."""

    case: Case
    applicant: Party
    respondent: Party
    applicant_phone: str
    applicant_id: str
    respondent_id: str


@pytest.fixture
def qingshi(session: Session, users: dict[str, User]) -> Qingshi:
    village = users["wang"].jurisdiction
    assert village is not None
    bad_id = SEEDED_ID_NUMBERS[1][:-1] + ("0" if SEEDED_ID_NUMBERS[1][-1] != "0" else "1")
    with transaction(session):
        case = new_case(session, village, users["wang"], "990101-2026-900001")
        applicant = add_party(case, "张三", SEEDED_PHONES[0], SEEDED_ID_NUMBERS[0])
        respondent = add_party(case, "李四", SEEDED_PHONES[1], bad_id)
    return Qingshi(case, applicant, respondent, SEEDED_PHONES[0], SEEDED_ID_NUMBERS[0], bad_id)


def party_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Party.id).order_by(Party.id)))
