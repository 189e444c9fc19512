"""Keys and partners (信息联通, slice 1): this deployment's Ed25519 key pair, sealed at rest;
`grassroots partners key/add/list/disable`; the administrator's /admin/partners page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.audit.models import AuditEntry
from grassroots.cli.main import app as cli
from grassroots.config import get_settings
from grassroots.db import make_session_factory, writer_engine
from grassroots.demo.build import build_demo_geography
from grassroots.federation.actions import do_ensure_key
from grassroots.federation.models import FederationKey, Partner
from grassroots.federation.sending import private_key
from grassroots.federation.signing import canonical, new_private_key, public_of, sign, verify

runner = CliRunner()
PARTNER_KEY = public_of(new_private_key())


@pytest.fixture
def county(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(False))
    get_settings.cache_clear()
    with make_session_factory(writer_engine(fresh_engine))() as session:
        build_demo_geography(session)
    yield fresh_engine
    get_settings.cache_clear()


def run(*args: str) -> Any:
    return runner.invoke(cli, list(args))


def test_canonical_json_and_signatures():
    assert (
        canonical({"b": 1, "a": "县", "c": [True, None]})
        == '{"a":"县","b":1,"c":[true,null]}'.encode()
    )
    with pytest.raises(ValueError):
        canonical({"a": 1.5})
    private = new_private_key()
    signature = sign(private, b"doc")
    assert verify(public_of(private), b"doc", signature)
    assert not verify(public_of(private), b"doc!", signature)
    assert not verify(PARTNER_KEY, b"doc", signature)  # another key
    assert not verify(public_of(private), b"doc", "not base64!")


def test_the_key_pair_is_made_once_and_the_private_key_is_sealed(session: Session):
    key = do_ensure_key(session)
    again = do_ensure_key(session)
    assert (
        again.id == key.id
        and session.scalar(select(FederationKey.id).where(FederationKey.id != key.id)) is None
    )
    raw = private_key(key)
    assert raw not in key.private_enc and public_of(raw) == key.public_key  # sealed at rest


def test_cli_key_add_list_disable(county: Engine):
    first, second = run("partners", "key"), run("partners", "key")
    assert first.exit_code == 0, first.output
    assert first.output == second.output and "990101" in first.output  # one key, the top code
    r = run("partners", "add", "邻县综治中心", "--code", "990102", "--url", "https://b.example.cn/",
            "--public-key", PARTNER_KEY)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert run("partners", "add", "again", "--code", "990102", "--url", "https://c.example.cn",
               "--public-key", PARTNER_KEY).exit_code == 1  # fmt: skip
    bad = run(
        "partners", "add", "x", "--code", "990103", "--url", "https://x.cn", "--public-key", "AAAA"
    )
    assert bad.exit_code == 1 and "public_key" in bad.output
    listed = run("partners", "list").output
    assert "990102" in listed and "active" in listed and "https://b.example.cn " in listed
    assert run("partners", "disable", "990102").exit_code == 0
    assert "disabled" in run("partners", "list").output
    assert run("partners", "disable", "nobody").exit_code == 1
    with Session(county) as s:
        assert s.scalar(select(Partner.active).where(Partner.code == "990102")) is False
        actions = set(
            s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("federation.%")))
        )
    assert actions == {
        "federation.key_created",
        "federation.partner_added",
        "federation.partner_disabled",
    }


def _counts(session: Session) -> tuple[int, int]:
    session.expire_all()
    keys = session.scalar(select(func.count()).select_from(FederationKey))
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(keys or 0), int(audits or 0)


def test_the_page_reads_only_and_a_post_makes_the_key(client_as: Any, session: Session):
    admin = client_as("admin")
    before = _counts(session)
    page = admin.get("/admin/partners")
    assert page.status_code == 200 and 'id="no-key"' in page.text and "partners key" in page.text
    assert _counts(session) == before and before[0] == 0  # the GET wrote nothing
    assert admin.post("/admin/partners/key", follow_redirects=False).status_code == 303
    key = session.scalar(select(FederationKey))
    assert key is not None and key.public_key in admin.get("/admin/partners").text
    assert admin.post("/admin/partners/key").status_code == 200  # once only: the same key
    assert _counts(session) == (1, before[1] + 1)
    made = session.scalar(select(AuditEntry).where(AuditEntry.action == "federation.key_created"))
    assert made is not None and made.actor_id is not None
    assert client_as("zhao").post("/admin/partners/key").status_code == 403


def test_admin_page_adds_and_disables_a_partner(client_as: Any, session: Session):
    admin = client_as("admin")
    page = admin.get("/admin/partners")
    assert page.status_code == 200 and 'id="partner-form"' in page.text
    form = {"name": "邻县<综治>中心", "code": "990102", "base_url": "https://b.example.cn",
            "public_key": PARTNER_KEY}  # fmt: skip
    bad = admin.post("/admin/partners", data=form | {"public_key": "nope"})
    assert bad.status_code == 422 and "Ed25519" in bad.text
    assert admin.post("/admin/partners", data=form, follow_redirects=False).status_code == 303
    listed = admin.get("/admin/partners").text
    assert "邻县&lt;综治&gt;中心" in listed and 'id="partner-990102"' in listed
    assert admin.post("/admin/partners", data=form).status_code == 409  # the code once only
    assert admin.post("/admin/partners/990102/toggle", follow_redirects=False).status_code == 303
    partner = session.scalar(select(Partner).where(Partner.code == "990102"))
    assert partner is not None and partner.active is False
    assert admin.post("/admin/partners/nobody/toggle").status_code == 404


def test_staff_may_not_see_partners(client_as: Any):
    assert client_as("zhao").get("/admin/partners").status_code == 403
