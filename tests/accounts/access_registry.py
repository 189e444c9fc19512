"""The access matrix's registry: what the matrix needs to know beyond the route table.

Extend it when a route brings something new; tests/accounts/test_access_matrix.py says
exactly what is missing when it fails:

- PUBLIC: (method, path) that answer without authentication (login, public intake).
- SAMPLES: path parameter name → Sample(inside, outside): a value in the acting user's scope
  and one beyond it (or an absent one when the user sees everything); fixed("v") for a
  parameter that names nothing scoped. ROUTE_SAMPLES overrides per (path, parameter).
- BODIES / FORMS: a valid JSON / form body for routes whose scope check only runs on valid
  input. INSIDE_MAY_404: routes whose in-scope sample may legitimately be absent, with why.

Samples for the cases domain import it lazily: they run only where its routes exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.accounts.users.actions import do_create_user
from grassroots.geo.models import Jurisdiction, Level

# Routes that answer without authentication (DESIGN: /healthz, login and public intake).
PUBLIC: set[tuple[str, str]] = {
    ("GET", "/healthz"),
    # 信息联通 (docs/federation.md): a partner deployment's documents are authenticated by
    # their signatures (request and document, Ed25519, a registered partner's key), not by
    # a session or token; unsigned requests are refused 400/401 before anything is read
    ("POST", "/federation/v1/documents"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/v1/auth/login"),
    # the public leads path (举报, 查询码): rate-limited in the database
    ("POST", "/api/v1/public/leads"),
    ("POST", "/api/v1/public/leads/lookup"),
    ("POST", "/api/v1/public/leads/supplement"),
    # the residents' channel (群众上报, 查询码, 评价; docs/public.md): rate-limited in the
    # database, a report needs a proof of work
    ("GET", "/api/v1/public/challenge"),
    ("POST", "/api/v1/public/reports"),
    ("POST", "/api/v1/public/reports/lookup"),
    ("POST", "/api/v1/public/reports/rating"),
    ("GET", "/public/report"),
    ("POST", "/public/report"),
    ("GET", "/public/progress"),
    ("POST", "/public/progress"),
    ("POST", "/public/rating"),
    ("GET", "/public/map/villages.geojson"),
    # the field kit's manifest and service worker (web/pwa.py): addresses of static files only
    ("GET", "/manifest.webmanifest"),
    ("GET", "/sw.js"),
    # the big screen (docs/screens.md): the pairing form of a wall PC nobody signed in to,
    # and its one-time code (rate-limited in the database)
    ("GET", "/screen"),
    ("POST", "/screen/pair"),
}
# Routes that take a paired screen's own cookie (screens.authn.paired_screen) and no
# person's credential: 401 to anyone without one, signed-in people and tokens included.
SCREEN_ROUTES: set[tuple[str, str]] = {
    ("GET", "/screen/events"),
    ("GET", "/screen/boundaries.geojson"),
}
# The Open311 GeoReport v2 server (docs/open311.md): public by the spec; POST requests asks
# for a client's api_key, not a login, and so answers 403 to anyone without one (KEY_ROUTES).
OPEN311 = "/open311/v2"
PUBLIC |= {
    ("GET", f"{OPEN311}/discovery.{{fmt}}"),
    ("GET", f"{OPEN311}/services.{{fmt}}"),
    ("GET", f"{OPEN311}/services/{{service_code}}.{{fmt}}"),
    ("GET", f"{OPEN311}/requests.{{fmt}}"),
    ("GET", f"{OPEN311}/requests/{{service_request_id}}.{{fmt}}"),
    ("GET", f"{OPEN311}/tokens/{{token}}.{{fmt}}"),
    *((m, f"{OPEN311}/{{rest:path}}") for m in ("GET", "POST", "PUT", "PATCH", "DELETE")),
}
KEY_ROUTES: set[tuple[str, str]] = {("POST", f"{OPEN311}/requests.{{fmt}}")}
PUBLIC |= KEY_ROUTES
# Path values for public routes (anything not listed: "1").
PUBLIC_VALUES: dict[str, str] = {"fmt": "xml"}
# Mounted sub-apps (static files) that are public by design.
PUBLIC_MOUNTS: set[str] = {"/static"}

# One seed user per role acts in the matrix.
ACTORS: dict[Role, str] = {
    Role.grid_worker: "wang",
    Role.mediator: "li",
    Role.centre_staff: "zhao",
    Role.unit_handler: "sun",
    Role.leader: "chen",
    Role.system_admin: "admin",
    Role.security_admin: "security",
    Role.auditor: "audit",
}

_counter = itertools.count(1)


@dataclass(frozen=True)
class Sample:
    """Values for one path parameter, given the session and the acting user.

    `outside` is None when the parameter names nothing scoped (a year, an action name, a
    dictionary code): then only the inside value is sent and must be allowed.
    """

    # (session, acting user, values already chosen for earlier parameters of the path) → value
    inside: Callable[[Session, User, dict[str, str]], str]  # an object the actor may reach
    outside: Callable[[Session, User, dict[str, str]], str] | None = None  # beyond, or absent


def fixed(value: str) -> Sample:
    """An unscoped parameter that takes the same value for everyone."""
    return Sample(lambda _session, _actor, _values: value)


def _fresh_user(session: Session, jurisdiction_code: str) -> str:
    name = f"matrix{next(_counter)}"
    do_create_user(
        session,
        username=name,
        display_name="矩阵",
        role=Role.grid_worker,
        jurisdiction_code=jurisdiction_code,
        password="Juzhen-Ceshi-01",
    )
    return name


def _code_outside(session: Session, actor: User) -> str | None:
    """A current township/village code beyond the actor's post, if there is one."""
    prefix = actor.jurisdiction.prefix if actor.jurisdiction else ""
    return session.scalar(
        select(Jurisdiction.code)
        .where(
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.level.in_([Level.township.value, Level.village.value]),
            ~Jurisdiction.code.startswith(prefix),
        )
        .limit(1)
    )


def user_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    assert actor.jurisdiction is not None
    return _fresh_user(session, actor.jurisdiction.code)


def user_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    code = _code_outside(session, actor)
    return _fresh_user(session, code) if code else "no-such-user"


def token_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    token, _ = do_create_token(session, actor, name="m", scopes=["account.self"], actor=actor)
    return str(token.id)


def token_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    other_name = "wang" if actor.username != "wang" else "zhao"
    other = session.scalars(select(User).where(User.username == other_name)).one()
    token, _ = do_create_token(session, other, name="m", scopes=["account.self"], actor=other)
    return str(token.id)


def _grid(session: Session, prefix: str, inside: bool) -> str | None:
    condition = Jurisdiction.code.startswith(prefix)
    return session.scalar(
        select(Jurisdiction.code)
        .where(
            Jurisdiction.level == Level.grid.value,
            Jurisdiction.valid_to.is_(None),
            condition if inside else ~condition,
        )
        .order_by(Jurisdiction.code)
        .limit(1)
    )


def _register_case(session: Session, grid_code: str) -> Any:
    """A case registered by the county centre (qian) in `grid_code`, with one party."""
    from grassroots.cases.actions import do_register  # the cases domain (core)
    from grassroots.cases.schemas import NewCase

    qian = session.scalars(select(User).where(User.username == "qian")).one()
    data = NewCase(
        category_code="neighbour", source_code="grid_patrol", title="矩阵样本",
        description="访问矩阵的样本案件", grid_code=grid_code,
        parties=[{"role": "applicant", "name": "样本", "phone": "13800138000"}],
    )  # fmt: skip
    return do_register(session, data, actor=qian)


def case_inside(session: Session, actor: User) -> Any:
    prefix = actor.jurisdiction.prefix if actor.jurisdiction else ""
    case = _register_case(session, _grid(session, prefix, inside=True) or "")
    if actor.role == Role.unit_handler.value:  # a unit handler sees what is routed to the unit
        case.unit_id = actor.unit_id
        session.commit()
    return case


def case_outside(session: Session, actor: User) -> Any:
    grid = _grid(session, actor.jurisdiction.prefix if actor.jurisdiction else "", inside=False)
    return _register_case(session, grid) if grid else None


def _party(session: Session, values: dict[str, str]) -> int | None:
    from grassroots.cases.models import Case

    if "code" not in values:
        return None
    case = session.scalar(select(Case).where(Case.code == values["code"]))
    return case.parties[0].id if case is not None else int(ABSENT_ID)


def _report(session: Session, code: str | None) -> str:
    """A stored xlsx report of jurisdiction `code` (made by the real action), or an absent id."""
    from grassroots.config import get_settings
    from grassroots.reports.actions import do_generate_report
    from grassroots.scope import current_jurisdiction
    from grassroots.stats.periods import parse_period

    j = current_jurisdiction(session, code) if code else None
    if j is None:
        return ABSENT_ID
    folder = get_settings().data_dir / "reports"
    rows = do_generate_report(
        session, j, parse_period("2026-01"), ["xlsx"], actor=None, folder=folder
    )
    return str(rows[0].id)


def report_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _report(session, actor.jurisdiction.code if actor.jurisdiction else None)


def report_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _report(session, _code_outside(session, actor))


def unit_inside(_session: Session, actor: User, _values: dict[str, str]) -> str:
    """A unit at the actor's post (every seed administrator is posted at the county)."""
    code = actor.jurisdiction.code if actor.jurisdiction else "990101000000"
    return f"{code[:6]}-mediation"


ABSENT_CASE = "990101-2099-999999"
ABSENT_ID = "999999999"
ABSENT_GRID = "990101999999999"


def _prefix(actor: User) -> str:
    return actor.jurisdiction.prefix if actor.jurisdiction else ""


def grid_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _grid(session, _prefix(actor), True) or ABSENT_GRID


def grid_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _grid(session, _prefix(actor), False) or ABSENT_GRID


def _post(session: Session, actor: User, grid_code: str | None) -> str:
    """A 网格员 post in grid `grid_code` (a row, as the seed has none), or an absent id."""
    from grassroots.geo.posts.models import GridPost
    from grassroots.scope import current_jurisdiction

    grid = current_jurisdiction(session, grid_code) if grid_code else None
    if grid is None:
        return ABSENT_ID
    post = GridPost(grid_id=grid.id, user_id=actor.id, kind="worker", start_on=date(2026, 1, 1))
    session.add(post)
    session.commit()
    return str(post.id)


def post_inside(session: Session, actor: User, values: dict[str, str]) -> str:
    return _post(session, actor, values.get("code") or grid_inside(session, actor, values))


def post_outside(session: Session, actor: User, values: dict[str, str]) -> str:
    return _post(session, actor, values.get("code") or grid_outside(session, actor, values))


def _notice(session: Session, user: User) -> str:
    """A notice (a row, as the seed has none) in `user`'s inbox."""
    from grassroots.notifications.models import Notification

    notice = Notification(user_id=user.id, kind="mentioned", case_code="", params={})
    session.add(notice)
    session.commit()
    return str(notice.id)


def notice_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _notice(session, actor)


def notice_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    """Someone else's notice: only its recipient may read it or mark it read."""
    other = session.scalars(select(User).where(User.id != actor.id).order_by(User.id)).first()
    assert other is not None
    return _notice(session, other)


def _lead(session: Session, actor: User, code: str | None, assign: bool) -> str:
    """A lead received by the county centre (qian) in jurisdiction `code`, assigned to the
    actor when `assign` (grid workers, mediators and unit handlers see only those)."""
    from grassroots.leads.actions import do_create  # the leads domain
    from grassroots.leads.schemas import NewLead

    if code is None:
        return "XS990101-2099-99999"
    qian = session.scalars(select(User).where(User.username == "qian")).one()
    data = NewLead(
        source="report", category_code="other", title="矩阵样本", content="访问矩阵的样本线索",
        jurisdiction_code=code[:12].ljust(12, "0"), persons="样本人员",
        informant_name="样本举报人",
    )  # fmt: skip
    lead = do_create(session, data, actor=qian)
    if assign:
        lead.assignee_id = actor.id
        session.commit()
    return lead.code


def lead_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _lead(session, actor, actor.jurisdiction.code if actor.jurisdiction else None, True)


def lead_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _lead(session, actor, _code_outside(session, actor), False)


def channel_any(session: Session, _actor: User, _values: dict[str, str]) -> str:
    """An active notification channel (a row, as the seed has none): channels are set for
    the whole deployment, nothing scoped (administrators configure, staff choose)."""
    from grassroots.notifications.models import Channel

    channel = Channel(name=f"矩阵渠道{next(_counter)}", kind="email")
    session.add(channel)
    session.commit()
    return str(channel.id)


def fixed_absent(_session: Session, _actor: User, _values: dict[str, str]) -> str:
    return ABSENT_ID


def _failed_delivery(session: Session, *, direct: bool) -> str:
    """A failed outbox row on a fresh webhook (rows, as the seed has none): a 12345 reply, or
    an SMS to a resident. Both belong to no subtree: every administrator sees them."""
    from grassroots.db import utcnow
    from grassroots.notifications.delivery.direct import queue_direct
    from grassroots.notifications.models import Channel, Delivery

    channel = Channel(name=f"矩阵投递{next(_counter)}", kind="webhook", url="https://x.test/")
    session.add(channel)
    session.flush()
    now = utcnow()
    if direct:
        row: Any = queue_direct(session, channel, "public_receipt", "13900000000", "矩阵", now)
    else:
        key = f"hotline_reply:MX{next(_counter)}"
        row = Delivery(channel_id=channel.id, topic="hotline_reply", payload={}, dedupe_key=key,
                       next_attempt_at=now)  # fmt: skip
        session.add(row)
    row.state, row.attempts = "failed", 1
    session.commit()
    return str(row.id)


def _round(session: Session, actor: User, grid_code: str | None) -> str:
    """A 排查 round in grid `grid_code` (a row, as the seed has none) with one noted matter
    (seq 1, which a coordinator may make a lead), or an absent id."""
    from grassroots.rounds.models import PatrolRound, RoundMatter
    from grassroots.scope import current_jurisdiction

    grid = current_jurisdiction(session, grid_code) if grid_code else None
    if grid is None or grid_code is None:
        return ABSENT_ID
    found = PatrolRound(
        grid_id=grid.id, grid_code=grid_code, county_code=grid_code[:6] + "000000",
        township_code=grid_code[:9] + "000", village_code=grid_code[:12],
        held_on=date(2026, 3, 2), recorded_by_id=actor.id, checks=["dispute_hotspot"], note="",
        matters=[RoundMatter(seq=1, summary="矩阵排查事项", details="", category_code="neighbour",
                             outcome="noted")],
    )  # fmt: skip
    session.add(found)
    session.commit()
    return str(found.id)


def _township(session: Session, actor: User, inside: bool) -> str:
    """A current township in (or beyond) the actor's subtree, or an absent code."""
    condition = Jurisdiction.code.startswith(_prefix(actor))
    found = session.scalar(
        select(Jurisdiction.code)
        .where(
            Jurisdiction.level == Level.township.value,
            Jurisdiction.valid_to.is_(None),
            condition if inside else ~condition,
        )
        .order_by(Jurisdiction.code)
        .limit(1)
    )
    return found or "990101999000"


def _attachment(session: Session, values: dict[str, str]) -> str:
    """A photo attached (by the real action, into the settings' folder) to the case of the
    same path, or an absent id when that case is absent."""
    import io

    from PIL import Image

    from grassroots.cases.attachments.actions import do_attach_files
    from grassroots.cases.models import Case
    from grassroots.config import get_settings

    case = session.scalar(select(Case).where(Case.code == values.get("code", "")))
    if case is None:
        return ABSENT_ID
    photo = io.BytesIO()
    Image.new("RGB", (32, 24), (next(_counter) % 256, 0, 0)).save(photo, "PNG")
    qian = session.scalars(select(User).where(User.username == "qian")).one()
    rows = do_attach_files(
        session, case, [photo.getvalue()], keep_location=False, event_id=None,
        settings=get_settings(), actor=qian,
    )  # fmt: skip
    return str(rows[0].id)


def _joint(session: Session, actor: User, case: Any, inside: bool) -> str:
    """Make `case` a joint case (shared as co with another township); inside the actor's
    scope it is assigned to them, so that they handle it. None: the absent code."""
    from grassroots.cases.models import CaseShare
    from grassroots.scope import current_jurisdiction

    if case is None:
        return ABSENT_CASE
    if inside:
        case.assignee_id = actor.id
    place = current_jurisdiction(session, "990101003000")
    case.shares.append(CaseShare(jurisdiction=place, role="co"))
    session.commit()
    return str(case.code)


def _partner(session: Session) -> str:
    """A registered partner deployment (made once per transaction)."""
    from grassroots.federation.actions import do_add_partner
    from grassroots.federation.queries import partner_by_code
    from grassroots.federation.schemas import PartnerIn
    from grassroots.federation.signing import new_private_key, public_of

    if partner_by_code(session, "990102") is None:
        data = PartnerIn(name="邻县", code="990102", base_url="https://b.example.cn",
                         public_key=public_of(new_private_key()))  # fmt: skip
        do_add_partner(session, data, actor=None)
    return "990102"


def _link(session: Session, actor: User, inside: bool) -> str:
    """A case of ours shared with a partner deployment: inside the actor's scope assigned
    to them (so that they handle it), or beyond it; the absent id when there is none."""
    from grassroots.federation.models import FederationLink
    from grassroots.federation.queries import partner_by_code
    from grassroots.federation.signing import seal

    case = case_inside(session, actor) if inside else case_outside(session, actor)
    if case is None:
        return ABSENT_ID
    if inside:
        case.assignee_id = actor.id
    link = FederationLink(partner=partner_by_code(session, _partner(session)),
                          origin_code="990101", case_code=case.code, case_id=case.id,
                          title_enc=seal("title", "矩阵"), state=case.state,
                          registered_at=case.registered_at)  # fmt: skip
    session.add(link)
    session.commit()
    return str(link.id)


def _outgoing(session: Session, actor: User, _values: dict[str, str]) -> str:
    """A failed document in the federation outbox (deployment-wide: "outside" is absent):
    a case not yet shared, shared with the matrix's partner by the real action (a real signed
    envelope), its document then marked failed; the absent id without such a case."""
    from grassroots.cases.models import Case
    from grassroots.federation.actions import do_ensure_key, do_share_with_partner
    from grassroots.federation.models import FederationLink, FederationOutgoing
    from grassroots.federation.schemas import ShareIn

    shared = select(FederationLink.case_id).where(FederationLink.case_id.is_not(None))
    case = session.scalars(select(Case).where(Case.id.not_in(shared)).order_by(Case.id)).first()
    if case is None:
        return ABSENT_ID
    do_ensure_key(session, actor=None)
    link = do_share_with_partner(session, case, ShareIn(partner_code=_partner(session)),
                                 actor=actor)  # fmt: skip
    row = session.scalars(
        select(FederationOutgoing).where(FederationOutgoing.link_id == link.id)
    ).one()
    row.state, row.attempts, row.last_error = "failed", 1, "矩阵"
    session.commit()
    return str(row.id)


def _partner_key_form(session: Session) -> dict[str, str]:
    """A partner's new public key: the partner exists (the form names it, not the path)."""
    from grassroots.federation.signing import new_private_key, public_of

    return {"partner_code": _partner(session), "new_key": public_of(new_private_key())}


def _joint_task(session: Session, actor: User, values: dict[str, str]) -> str:
    """A task of the joint case in the path given to the actor's own post, or an absent id."""
    from grassroots.cases.models import Case
    from grassroots.joint.models import JointTask
    from grassroots.joint.sealing import seal

    case = session.scalar(select(Case).where(Case.code == values.get("code", "")))
    if case is None:
        return ABSENT_ID
    task = JointTask(case_id=case.id, jurisdiction_id=actor.jurisdiction_id,
                     text_enc=seal("task", "矩阵任务"), created_by_id=actor.id)  # fmt: skip
    session.add(task)
    session.commit()
    return str(task.id)


def _meeting(session: Session, actor: User, code: str | None) -> str:
    """A 边界联席会议 (by the real action) of jurisdiction `code`, with a partner outside
    the deployment, or an absent id."""
    from grassroots.border.meetings.actions import do_create_meeting
    from grassroots.border.meetings.schemas import MeetingIn, OutsideParty

    if code is None:
        return ABSENT_ID
    data = MeetingIn(held_on=date(2026, 3, 2), place="矩阵", jurisdiction_codes=[code[:12]],
                     outside=[OutsideParty(name="邻县综治中心")], topics="矩阵议题")  # fmt: skip
    qian = session.scalars(select(User).where(User.username == "qian")).one()
    return str(do_create_meeting(session, data, actor=qian).id)


def _hazard(session: Session, code: str | None) -> str:
    """A 边界隐患 (by the real action) owned by jurisdiction `code`, or an absent id."""
    from grassroots.border.hazards.actions import do_register_hazard
    from grassroots.border.hazards.schemas import HazardIn

    if code is None:
        return ABSENT_ID
    data = HazardIn(name="矩阵草场", kind="pasture", risk="low", description="矩阵隐患",
                    geometry={"type": "Point", "coordinates": [112.4, 30.6]},
                    jurisdiction_codes=[code[:12]])  # fmt: skip
    qian = session.scalars(select(User).where(User.username == "qian")).one()
    return str(do_register_hazard(session, data, actor=qian).id)


HAZARD = Sample(
    lambda s, u, _v: _hazard(s, u.jurisdiction.code if u.jurisdiction else None),
    lambda s, u, _v: _hazard(s, _code_outside(s, u)),
)
MEETING = Sample(
    lambda s, u, _v: _meeting(s, u, u.jurisdiction.code if u.jurisdiction else None),
    lambda s, u, _v: _meeting(s, u, _code_outside(s, u)),
)


def _ledger_upload(session: Session, owner: User) -> str:
    """An upload on the ledger import page (a row, as the seed has none) owned by `owner`: a
    CSV whose one row names an unknown village, so that it has errors to annotate."""
    import base64

    from grassroots.crypto import keyring
    from grassroots.db import utcnow
    from grassroots.ledgers.models import LedgerUpload

    data = "受理日期,当事人,村（社区）,纠纷类型,纠纷简要情况\n2025-3-5,张三,无此村,邻里纠纷,堵塞\n"
    sealed = keyring().encrypt("ledger.upload", base64.b64encode(data.encode()).decode())
    upload = LedgerUpload(actor_id=owner.id, filename="矩阵.csv", file_sha256="0" * 64,
                          size=len(data), data_enc=sealed, sheet="", mapping_toml="",
                          expires_at=utcnow() + timedelta(hours=1))  # fmt: skip
    session.add(upload)
    session.commit()
    return str(upload.id)


def upload_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    """Someone else's upload: only its uploader may see it."""
    other = session.scalars(select(User).where(User.id != actor.id).order_by(User.id)).first()
    assert other is not None
    return _ledger_upload(session, other)


JOINT = Sample(
    lambda s, u, _v: _joint(s, u, case_inside(s, u), inside=True),
    lambda s, u, _v: _joint(s, u, case_outside(s, u), inside=False),
)


def _screen(session: Session, code: str | None) -> str:
    from grassroots.screens.actions import do_issue_code

    if code is None:
        return "no-such-screen"
    return do_issue_code(session, f"matrix{next(_counter)}", code, "standard", 10)[0].name


def screen_inside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _screen(session, actor.jurisdiction.code if actor.jurisdiction else None)


def screen_outside(session: Session, actor: User, _values: dict[str, str]) -> str:
    return _screen(session, _code_outside(session, actor))


# Path parameter name → samples. Add a line when a route brings a new parameter.
SAMPLES: dict[str, Sample] = {
    "username": Sample(user_inside, user_outside),
    "token_id": Sample(token_inside, token_outside),
    # cases (core)
    "code": Sample(
        lambda s, u, _v: case_inside(s, u).code,
        lambda s, u, _v: c.code if (c := case_outside(s, u)) else ABSENT_CASE,
    ),
    # A party of the case in the same path when there is one, else of a new case.
    "party_id": Sample(
        lambda s, u, v: str(_party(s, v) or case_inside(s, u).parties[0].id),
        lambda s, u, v: str(
            _party(s, v) or (c.parties[0].id if (c := case_outside(s, u)) else ABSENT_ID)
        ),
    ),
    # The grid page shows only the cases in the user's scope; the grid itself is geo.read data.
    "grid_code": Sample(lambda s, _u, _v: _grid(s, "99", True) or ""),
    "action": fixed("accept"),
    # calendar and deadline policies (clock)
    "year": fixed("2026"),
    "day": fixed("2026-10-08"),
    "policy_id": fixed(ABSENT_ID),
    # stored reports (stats/reports)
    "report_id": Sample(report_inside, report_outside),
    # organisational units (geo): every seed unit lies in the county, so "outside" is absent
    "unit_code": Sample(unit_inside, lambda _s, _u, _v: "no-such-unit"),
    # grid posts (geo.posts): a post in a grid of the actor's subtree, or beyond it
    "post_id": Sample(post_inside, post_outside),
    "notice_id": Sample(notice_inside, notice_outside),
    # leads: one the actor sees (assigned to them, in their post), one beyond their post
    "lead_code": Sample(lead_inside, lead_outside),
    "channel_id": Sample(channel_any),
    # the outbox (administrators): a failed 12345 reply / SMS, or an absent one
    "delivery_id": Sample(lambda s, _u, _v: _failed_delivery(s, direct=False), fixed_absent),
    "message_id": Sample(lambda s, _u, _v: _failed_delivery(s, direct=True), fixed_absent),
    # 排查 rounds: a round in a grid of the actor's subtree, or beyond it
    "round_id": Sample(
        lambda s, u, v: _round(s, u, grid_inside(s, u, v)),
        lambda s, u, v: _round(s, u, grid_outside(s, u, v)),
    ),
    "seq": fixed("1"),  # the one matter of a sample round
    # a case's attachment: one in the case of the same path (inside or beyond the scope)
    "attachment_id": Sample(lambda s, _u, v: _attachment(s, v), lambda s, _u, v: _attachment(s, v)),
    "task_id": Sample(_joint_task),  # a joint case's task (its case is the scoped part)
    # 边界联席会议: one of the actor's post, or one of a jurisdiction beyond it
    "meeting_id": MEETING,
    # partner deployments (信息联通): deployment-wide settings, so "outside" is absent
    "link_id": Sample(lambda s, u, _v: _link(s, u, True), lambda s, u, _v: _link(s, u, False)),
    "partner_code": Sample(lambda s, _u, _v: _partner(s), lambda _s, _u, _v: "no-such-partner"),
    # the federation outbox (/admin/partners/outbox): one deployment-wide queue, so "outside"
    # is absent; access_outbox refuses a non-deployment administrator before the row is read
    "row_id": Sample(_outgoing, fixed_absent),
    # the ledger import page: the actor's own upload, or another user's
    "upload_id": Sample(lambda s, u, _v: _ledger_upload(s, u), upload_outside),
    # the big screens (管理 → 大屏): one showing the actor's post, one beyond it (or absent)
    "screen_name": Sample(screen_inside, screen_outside),
    "hazard_id": HAZARD,  # 边界隐患: the same rule (an owning jurisdiction in the subtree)
}
# (route path, parameter) → samples, where one name means different things on different
# routes (e.g. {code} of a case and {code} of a dictionary entry). Looked up first.
ROUTE_SAMPLES: dict[tuple[str, str], Sample] = {
    ("/api/v1/case-categories/{code}", "code"): fixed("neighbour"),
    ("/api/v1/case-sources/{code}", "code"): fixed("grid_patrol"),
    ("/api/v1/lead-categories/{code}", "code"): fixed("other"),
    ("/api/v1/leads/{lead_code}/actions/{action}", "action"): fixed("start"),
    ("/leads/{lead_code}/act/{action}", "action"): fixed("start"),
    # jurisdictions are readable by every holder of geo.read (the map is not personal data)
    ("/admin/categories/{code}", "code"): fixed("neighbour"),
    ("/api/v1/jurisdictions/{code}", "code"): fixed("990101002000"),
    ("/api/v1/jurisdictions/{code}/children", "code"): fixed("990101002000"),
    # the township roster (队伍建设): a township in the actor's subtree or beyond it
    ("/api/v1/townships/{code}/roster", "code"): Sample(
        lambda s, u, _v: _township(s, u, True), lambda s, u, _v: _township(s, u, False)
    ),
    # joint cases (联调): a case in the actor's scope made joint and assigned to them
    **{
        (path, "code"): JOINT
        for path in (
            "/api/v1/joint/{code}",
            "/api/v1/joint/{code}/messages",
            "/api/v1/joint/{code}/tasks",
            "/api/v1/joint/{code}/tasks/{task_id}/done",
            "/joint/{code}",
            "/joint/{code}/messages",
            "/joint/{code}/tasks",
            "/joint/{code}/tasks/{task_id}/done",
        )
    },
    ("/api/v1/federation/cases/{code}/share", "code"): JOINT,
    ("/joint/partners/share/{code}", "code"): JOINT,
    # grid posts: {code} is a grid, in the actor's subtree or beyond it
    **{
        (path, "code"): Sample(grid_inside, grid_outside)
        for path in (
            "/api/v1/grids/{code}/posts",
            "/grids/{code}",
            "/grids/{code}/posts",
            "/grids/{code}/posts/{post_id}/end",
            "/grids/{code}/posts/{post_id}/change",
        )
    },
}


def sample_for(path: str, name: str) -> Sample | None:
    return ROUTE_SAMPLES.get((path, name)) or SAMPLES.get(name)


# A valid body for routes whose handler (and so whose scope check) only runs on valid input:
# (method, path) → JSON. Routes not listed get {} (a 422 there counts as allowed).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/users/{username}/role"): {"role": "leader"},
    ("POST", "/api/v1/parties/{party_id}/reveal"): {"field": "phone", "reason": "矩阵测试查看"},
    ("POST", "/api/v1/leads/{lead_code}/informant/reveal"): {"reason": "矩阵测试查看"},
    ("POST", "/api/v1/rounds/{round_id}/matters/{seq}/lead"): {"category_code": "dispute_risk"},
    ("POST", "/api/v1/grids/{code}/posts"): {
        "username": "wang",
        "kind": "worker",
        "start_on": "2026-01-01",
    },
    ("POST", "/api/v1/grid-posts/{post_id}/end"): {"end_on": "2026-06-30"},
    ("POST", "/api/v1/grid-posts/{post_id}/change"): {"username": "wang", "on": "2026-06-01"},
    ("PUT", "/api/v1/roster/{username}/phone"): {"phone": "13800138000"},
    ("POST", "/api/v1/roster/{username}/phone/reveal"): {"reason": "矩阵测试查看"},
    ("POST", "/api/v1/roster/{username}/trainings"): {"held_on": "2026-03-02", "title": "培训"},
    ("POST", "/api/v1/joint/{code}/messages"): {"text": "矩阵测试留言"},
    # no such partner: 422 for every handler (after the case's access check)
    ("POST", "/api/v1/federation/cases/{code}/share"): {"partner_code": "990188"},
    ("POST", "/api/v1/federation/links/{link_id}/messages"): {"text": "矩阵测试留言"},
    # the matrix's link is our own case: 422 our_case for every handler (after access_link)
    ("POST", "/api/v1/federation/links/{link_id}/hand"): {"jurisdiction_code": "990101002000"},
    ("POST", "/api/v1/federation/links/{link_id}/meetings"): {
        "title": "边界联席会议",
        "held_on": "2026-03-02",
    },
    ("POST", "/api/v1/federation/links/{link_id}/sessions"): {
        "held_on": "2026-03-02",
        "summary": "矩阵测试调解",
    },
    # a side that is not the case's: 422 for every handler (the lead check comes after)
    ("POST", "/api/v1/joint/{code}/tasks"): {"side": "j:990101999000", "text": "矩阵任务"},
    ("PUT", "/api/v1/border/meetings/{meeting_id}"): {
        "held_on": "2026-03-02",
        "place": "矩阵",
        "jurisdiction_codes": ["990101002000"],
        "topics": "矩阵议题",
    },
    ("PUT", "/api/v1/border/hazards/{hazard_id}"): {
        "name": "矩阵草场",
        "kind": "pasture",
        "risk": "low",
        "description": "矩阵隐患",
        "geometry": {"type": "Point", "coordinates": [112.4, 30.6]},
        "jurisdiction_codes": ["990101002000"],
    },
    ("POST", "/api/v1/border/hazards/{hazard_id}/status"): {"to": "preventing"},
}
# The same for HTML form posts (sent form-encoded).
FORMS: dict[tuple[str, str], dict[str, str] | Callable[[Session], dict[str, str]]] = {
    ("POST", "/joint/partners/share/{code}"): {"partner_code": "990188"},
    ("POST", "/joint/partners/{link_id}/messages"): {"text": "矩阵测试留言"},
    ("POST", "/joint/partners/{link_id}/hand"): {"jurisdiction_code": "990101002000"},
    ("POST", "/joint/partners/{link_id}/sessions"): {"held_on": "2026-03-02", "summary": "矩阵"},
    ("POST", "/admin/partners"): {
        "name": "矩阵",
        "code": "990199",
        "base_url": "https://m.cn",
        "public_key": "A" * 43 + "=",
    },
    ("POST", "/open311/v2/requests.{fmt}"): {"service_code": "neighbour", "lat": "0", "long": "0"},
    ("POST", "/admin/units/{unit_code}"): {"name": "示范县人民调解委员会"},
    ("POST", "/admin/screens/{screen_name}/preset"): {"preset": "map"},
    ("POST", "/admin/screens/pair"): {"name": "matrix", "jurisdiction": "990101002000"},
    ("POST", "/admin/partners/partner-key"): _partner_key_form,
    ("POST", "/cases/{code}/agreement/document"): {"format": "docx", "reason": "矩阵测试导出"},
    ("POST", "/cases/{code}/parties/{party_id}/reveal"): {
        "field": "phone",
        "reason": "矩阵测试查看",
    },
    ("POST", "/roster/{username}/phone"): {"phone": "13800138000"},
    ("POST", "/roster/{username}/reveal"): {"reason": "矩阵测试查看"},
    ("POST", "/roster/{username}/trainings"): {"held_on": "2026-03-02", "title": "培训"},
}
# Routes whose in-scope sample may still be absent (404) for a reason of their own; their
# out-of-scope check still runs. Say why; prefer a sample that makes the object exist.
INSIDE_MAY_404: dict[tuple[str, str], str] = {
    ("GET", "/cases/{code}/agreement"): "no agreement before a mediated resolution",
    ("GET", "/cases/{code}/open311"): "the seed's sample case did not come in through Open311",
    ("POST", "/cases/{code}/agreement/document"): "no agreement before a mediated resolution",
    ("DELETE", "/api/v1/calendar/days/{day}"): "no admin entry for that day in the seed",
    ("DELETE", "/api/v1/deadline-policies/{policy_id}"): "no policy row in the seed",
    ("POST", "/admin/policies/{policy_id}/delete"): "no policy row in the seed",
    ("POST", "/api/v1/roster/{username}/phone/reveal"): "a fresh worker has no phone recorded",
    ("POST", "/roster/{username}/reveal"): "a fresh worker has no phone recorded",
}
