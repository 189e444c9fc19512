"""Each GeoReport v2 response compared with the spec's example of it (wiki.open311.org/
GeoReport_v2, the open311.github.io text): the same root and element names in XML, the same
keys in JSON, the error form, the list arguments (comma-delimited service_code and status),
the default 90 days, and a request merged as a duplicate answered "closed" with a note like
the spec's example ("Duplicate request.")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from tests.open311.test_georeport import V2, post, xml

# The spec's example responses: their element names, in order.
SERVICE = ["service_code", "service_name", "description", "metadata", "type", "keywords",
           "group"]  # fmt: skip
ATTRIBUTE = ["variable", "code", "datatype", "required", "datatype_description", "order",
             "description", "values"]  # fmt: skip
CREATED = {"service_request_id", "service_notice", "account_id"}  # realtime: no token
TOKEN = ["service_request_id", "token"]
REQUEST = ["service_request_id", "status", "status_notes", "service_name", "service_code",
           "description", "agency_responsible", "service_notice", "requested_datetime",
           "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
           "long", "media_url"]  # fmt: skip
ENDPOINT = ["specification", "url", "changeset", "type", "formats"]


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def test_services_and_definition_have_the_spec_fields(client):
    root = xml(client.get(f"{V2}/services.xml"))
    assert root.tag == "services" and tags(root)[0] == "service"
    assert sorted(tags(root[0])) == sorted(SERVICE)
    assert list(client.get(f"{V2}/services.json").json()[0]) == SERVICE
    definition = xml(client.get(f"{V2}/services/neighbour.xml"))
    assert tags(definition) == ["service_code", "attributes"]
    attribute = definition.find("attributes/attribute")
    assert attribute is not None and tags(attribute) == ATTRIBUTE
    value = attribute.find("values/value")
    assert value is not None and tags(value) == ["key", "name"]
    data = client.get(f"{V2}/services/neighbour.json").json()
    assert list(data) == ["service_code", "attributes"] and list(data["attributes"][0]) == ATTRIBUTE
    assert {type(a["variable"]) for a in data["attributes"]} == {bool}  # true/false, not text


def test_discovery_has_the_spec_fields(client):
    root = xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(tags(root))
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None and tags(endpoint) == ENDPOINT
    assert list(client.get(f"{V2}/discovery.json").json()["endpoints"][0]) == ENDPOINT


def test_post_and_get_answer_as_the_spec_examples(client, spec_example):
    root = xml(post(client, spec_example))
    assert root.tag == "service_requests" and tags(root) == ["request"]
    assert set(tags(root[0])) == CREATED
    (created,) = post(client, spec_example, "json").json()
    assert set(created) == CREATED
    code = created["service_request_id"]
    listed = xml(client.get(f"{V2}/requests.xml?service_request_id={code}"))
    assert listed.tag == "service_requests" and tags(listed[0]) == REQUEST
    (one,) = client.get(f"{V2}/requests/{code}.json").json()
    assert list(one) == REQUEST
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert datetime.fromisoformat(one[field]).utcoffset() is not None  # w3, with offset
    assert one["status"] in ("open", "closed") and isinstance(one["lat"], float)


def test_tokens_answer_as_the_spec_example(client, session: Session, spec_example):
    from grassroots.open311.models import Open311Request

    post(client, spec_example)
    row = session.scalars(select(Open311Request)).first()
    assert row is not None
    root = xml(client.get(f"{V2}/tokens/{row.token}.xml"))
    assert root.tag == "service_requests" and tags(root[0]) == TOKEN
    assert list(client.get(f"{V2}/tokens/{row.token}.json").json()[0]) == TOKEN


def test_errors_have_the_spec_form(client, spec_example):
    wrong = spec_example | {"api_key": "xyz"}
    root = xml(post(client, wrong))
    assert root.tag == "errors" and tags(root) == ["error"]
    assert tags(root[0]) == ["code", "description"] and root[0].findtext("code") == "403"
    answer = post(client, wrong, "json")
    assert answer.status_code == 403
    assert answer.json() == [{"code": 403, "description": answer.json()[0]["description"]}]


def test_list_arguments_are_comma_delimited(client, spec_example):
    code = post(client, spec_example, "json").json()[0]["service_request_id"]
    both = client.get(f"{V2}/requests.json?status=open,closed&service_code=labour,neighbour")
    assert code in [r["service_request_id"] for r in both.json()]
    assert client.get(f"{V2}/requests.json?service_code=labour,consumer").json() == []


def test_the_default_range_is_the_last_90_days(client, session: Session, spec_example):
    code = post(client, spec_example, "json").json()[0]["service_request_id"]
    case = session.scalars(select(Case).where(Case.code == code)).one()
    case.registered_at = case.registered_at - timedelta(days=91)  # through the ORM: tallies kept
    session.commit()
    listed = [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()]
    assert code not in listed
    old = case.registered_at
    start = (old - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (old + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ranged = client.get(f"{V2}/requests.json?start_date={start}&end_date={end}").json()
    assert code in [r["service_request_id"] for r in ranged]


def test_a_request_merged_as_a_duplicate_is_closed_as_duplicate(
    client, client_as: Any, spec_example
):
    first = post(client, spec_example, "json").json()[0]["service_request_id"]
    again = spec_example | {"description": "院墙排水沟又堵了，污水漫进院子"}
    second = post(client, again, "json").json()[0]["service_request_id"]
    zhao = client_as("zhao")
    version = zhao.get(f"/api/v1/cases/{second}").json()["version"]
    merged = zhao.post(f"/api/v1/cases/{second}/actions/merge",
                       json={"expected_version": version, "primary_code": first})  # fmt: skip
    assert merged.status_code == 200, merged.text
    (one,) = client.get(f"{V2}/requests/{second}.json").json()
    assert one["status"] == "closed" and "Duplicate request" in one["status_notes"]
    assert first not in one["status_notes"]
    (kept,) = client.get(f"{V2}/requests/{first}.json").json()
    assert kept["status"] == "open"
