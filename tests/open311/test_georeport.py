"""The GeoReport v2 server against the spec's examples: discovery, services, a service
definition, POST and GET requests, tokens; XML parsed, JSON read, errors in the spec's form."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case, Party
from grassroots.crypto import keyring
from grassroots.open311.actions import do_revoke_key
from grassroots.open311.models import Open311Request

V2 = "/open311/v2"


def xml(response: Any) -> ET.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def errors_of(response: Any) -> list[tuple[str, str]]:
    root = xml(response)
    assert root.tag == "errors"
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root]


def post(client: Any, fields: dict[str, Any], fmt: str = "xml") -> Any:
    return client.post(f"{V2}/requests.{fmt}", data=fields)


def test_discovery_in_both_formats(client):
    root = xml(client.get(f"{V2}/discovery.xml"))
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url", "").endswith("/open311/v2")
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    for field in ("changeset", "contact", "key_service"):
        assert root.findtext(field)
    data = client.get(f"{V2}/discovery.json").json()
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_services_are_the_categories(client):
    root = xml(client.get(f"{V2}/services.xml?jurisdiction_id=grassroots"))
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    neighbour = services["neighbour"]
    assert neighbour.findtext("service_name") == "邻里"
    assert neighbour.findtext("metadata") == "true"
    assert neighbour.findtext("type") == "realtime"
    listed = client.get(f"{V2}/services.json").json()
    assert isinstance(listed, list) and {s["service_code"] for s in listed} == set(services)
    assert set(listed[0]) == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }  # fmt: skip


def test_service_definition_with_attributes(client):
    root = xml(client.get(f"{V2}/services/neighbour.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "neighbour"
    kind = root.find("attributes/attribute[code='kind']")
    assert kind is not None and kind.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in kind.findall("values/value")] == ["dispute", "request"]
    data = client.get(f"{V2}/services/neighbour.json").json()
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3]
    missing = client.get(f"{V2}/services/potholes.xml")
    assert missing.status_code == 404 and errors_of(missing)[0][0] == "404"


def test_post_the_spec_example_registers_a_case(client, session: Session, spec_example, grid):
    r = post(client, spec_example)
    assert r.status_code == 200, r.text
    request = xml(r).find("request")
    assert request is not None and request.find("token") is None  # realtime: the id only
    code = request.findtext("service_request_id")
    assert request.findtext("account_id") == "123456"
    case = session.scalars(select(Case).where(Case.code == code)).one()
    assert (case.source_code, case.category_code, case.kind) == ("open311", "neighbour", "dispute")
    assert case.grid_code == grid.code and case.level == "township"
    assert case.holder.code == case.township_code and case.people_involved == 2
    assert case.registered_by_id is not None and case.address == "青石镇 5 组 12 号"
    (party,) = session.scalars(select(Party).where(Party.case_id == case.id))
    assert party.name == "张三" and keyring().decrypt("phone", party.phone_enc) == "13800138000"
    row = session.scalars(select(Open311Request).where(Open311Request.case_id == case.id)).one()
    assert keyring().decrypt("email", row.email_enc) == "smit333@example.org"
    assert b"smit333" not in row.email_enc
    audit = session.scalars(select(AuditEntry).where(AuditEntry.object_id == code)).one()
    assert audit.action == "case.register"


def test_a_retried_post_answers_the_same_request(client, session: Session, spec_example):
    first = post(client, spec_example, "json").json()[0]["service_request_id"]
    second = post(client, spec_example, "json").json()[0]["service_request_id"]
    assert first == second
    assert session.scalar(select(Case.id).where(Case.code == first)) is not None
    count = len(session.scalars(select(Open311Request)).all())
    other = post(client, spec_example | {"description": "另一件事：路灯坏了"}, "json")
    assert other.json()[0]["service_request_id"] != first
    assert len(session.scalars(select(Open311Request)).all()) == count + 1


def test_get_shows_status_and_never_personal_data(client, spec_example):
    code = post(client, spec_example, "json").json()[0]["service_request_id"]
    (one,) = client.get(f"{V2}/requests/{code}.json").json()
    assert one["status"] == "open" and one["status_notes"].startswith("已收到")
    assert one["service_code"] == "neighbour" and one["service_name"] == "邻里"
    assert one["media_url"] == spec_example["media_url"]
    assert one["requested_datetime"].endswith("+08:00")
    assert "139****9000" in one["description"]
    text = client.get(f"{V2}/requests/{code}.xml").text
    for secret in ("13800138000", "13900139000", "张三", "smit333", "tt222111"):
        assert secret not in text
    root = ET.fromstring(text.encode())
    assert root.findtext("request/service_request_id") == code
    assert root.findtext("request/lat") == spec_example["lat"]


def test_get_requests_filters(client, spec_example):
    code = post(client, spec_example, "json").json()[0]["service_request_id"]
    ids = [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()]
    assert code in ids
    closed = client.get(f"{V2}/requests.json?status=closed").json()
    assert code not in [r["service_request_id"] for r in closed]
    assert client.get(f"{V2}/requests.json?service_code=labour").json() == []
    by_id = client.get(f"{V2}/requests.xml?service_request_id={code},nope&status=closed")
    assert [r.findtext("service_request_id") for r in xml(by_id)] == [code]  # id overrides
    old = "start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z"
    assert client.get(f"{V2}/requests.json?{old}").json() == []
    paged = client.get(f"{V2}/requests.json?page_size=1&page=1").json()
    assert len(paged) == 1


def test_get_requests_refuses_bad_arguments(client):
    for query in (
        "start_date=yesterday", "start_date=2010-01-01T00:00:00",
        "start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z", "status=pending",
        "page_size=1001", "page_size=0", "service_request_id=" + ",".join(["x"] * 101),
    ):  # fmt: skip
        r = client.get(f"{V2}/requests.xml?{query}")
        assert r.status_code == 400, query
        assert errors_of(r)[0][0] == "400"


def test_staff_cases_are_not_served(client, session: Session, spec_example):
    staff_case = session.scalars(select(Case.code).where(Case.source_code != "open311")).first()
    if staff_case is None:
        staff_case = "990101-2026-999999"
    assert client.get(f"{V2}/requests/{staff_case}.xml").status_code == 404
    assert client.get(f"{V2}/requests/no-such.json").json()[0]["code"] == 404


def test_tokens(client, session: Session, spec_example):
    code = post(client, spec_example).status_code and post(client, spec_example)
    row = session.scalars(select(Open311Request)).first()
    assert row is not None and code is not None
    root = xml(client.get(f"{V2}/tokens/{row.token}.xml"))
    assert root.findtext("request/token") == row.token
    assert root.findtext("request/service_request_id")
    assert client.get(f"{V2}/tokens/nope.json").status_code == 404


def test_api_key_is_required_to_post(client, session: Session, spec_example):
    before = session.scalar(select(Case.id).order_by(Case.id.desc()))
    missing = post(client, {k: v for k, v in spec_example.items() if k != "api_key"})
    assert missing.status_code == 403 and "api_key" in errors_of(missing)[0][1]
    wrong = post(client, spec_example | {"api_key": "o311_wrong"}, "json")
    assert wrong.status_code == 403 and wrong.json()[0]["code"] == 403
    do_revoke_key(session, "georeporter")
    revoked = post(client, spec_example)
    assert revoked.status_code == 403 and "Invalid api_key" in errors_of(revoked)[0][1]
    assert session.scalar(select(Case.id).order_by(Case.id.desc())) == before


def test_post_errors(client, spec_example, grid):
    no_code = post(client, {k: v for k, v in spec_example.items() if k != "service_code"})
    assert no_code.status_code == 400 and "service_code" in errors_of(no_code)[0][1]
    unknown = post(client, spec_example | {"service_code": "potholes"})
    assert unknown.status_code == 404
    nowhere = {k: v for k, v in spec_example.items() if k not in ("lat", "long", "address_string")}
    assert post(client, nowhere).status_code == 400
    far = post(client, spec_example | {"lat": "10", "long": "10"})
    assert far.status_code == 400
    several = post(
        client, spec_example | {"lat": "95", "email": "not-mail", "media_url": "ftp://x"}
    )
    assert several.status_code == 400 and len(errors_of(several)) == 3
    long_text = post(client, spec_example | {"description": "长" * 4001})
    assert long_text.status_code == 400
    json_body = client.post(f"{V2}/requests.json", json=spec_example)
    assert json_body.status_code == 400 and json_body.json()[0]["code"] == 400


def test_address_id_and_address_string_place_the_request(client, session, spec_example, grid):
    unlocated = {k: v for k, v in spec_example.items() if k not in ("lat", "long")}
    by_id = post(client, unlocated | {"address_id": grid.code}, "json").json()[0]
    named = f"{grid.parent.name}{grid.name}东头"  # grid names repeat: the village says which
    by_name = post(client, unlocated | {"address_string": named, "description": "x"})
    assert by_name.status_code == 200, by_name.text
    for code in (by_id["service_request_id"], xml(by_name).findtext("request/service_request_id")):
        assert session.scalar(select(Case.grid_code).where(Case.code == code)) == grid.code
    vague = post(client, unlocated | {"address_string": "村口大树下", "description": "y"})
    assert vague.status_code == 400


def test_jurisdiction_id(client, spec_example, grid):
    code = post(client, spec_example, "json").json()[0]["service_request_id"]
    assert client.get(f"{V2}/services.xml?jurisdiction_id=nowhere.gov").status_code == 404
    township = grid.code[:9] + "000"
    inside = client.get(f"{V2}/requests.json?jurisdiction_id={township}").json()
    assert code in [r["service_request_id"] for r in inside]
    elsewhere = "990101099000" if township != "990101099000" else "990101098000"
    assert client.get(f"{V2}/requests.json?jurisdiction_id={elsewhere}").status_code == 404
    post_elsewhere = post(client, spec_example | {"jurisdiction_id": "nowhere.gov"})
    assert post_elsewhere.status_code == 404


def test_unknown_paths_and_formats(client):
    r = client.get(f"{V2}/potholes.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    assert client.get(f"{V2}/services.html").status_code == 400
    assert errors_of(client.delete(f"{V2}/requests.xml"))[0][0] == "404"
