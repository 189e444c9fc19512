"""What a report template may contain still works: the default template and one using every
documented placeholder, filter and tag render correctly; random expressions are either
refused or render safely in the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy.orm import Session

from grassroots.calendar.today import china_today
from grassroots.errors import Problem
from grassroots.reports.content.context import LIST_FIELDS, PLACEHOLDERS, figures
from grassroots.reports.content.data import gather
from grassroots.reports.office.template_rules import ReportEnvironment, check_tree
from grassroots.reports.office.word import DEFAULT_TEMPLATE, check_template, sample_context
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.reports.docx_build import docx_with, upload
from tests.reports.read import BAD_TEXT, docx_text
from tests.stats import history as h

COUNTY = "990101000000"
TABLE = [
    ["单位", "排查", "化解", "化解率", "就地化解率", "超期"],
    ["{%tr for r in rows %}", "", "", "", "", ""],
    [
        "{{ r.name }}",
        "{{ r.registered }}",
        "{{ r.resolved }}",
        "{{ r.resolution_rate }}",
        "{{ r.local_resolution_rate }}",
        "{{ r.overdue }}",
    ],
    ["{%tr endfor %}", "", "", "", "", ""],
]
EVERY_CONSTRUCT = (
    "{{ jurisdiction_name|trim }}|{{ period_label|lower }}|{{ period_label|upper }}"
    "|{{ registered|default('0') }}|{{ rows|length }}|{{ top_categories|count }}"
    "|{{ resolution_rate|replace('%', '％') }}|{{ charts_note|d('无说明', true) }}",
    "{% if registered == '0' %}无{% elif not overdue or overdue != '0' and charts_note %}甲"
    "{% else %}乙{% endif %}",
    "{%p for c in top_categories %}",
    "{{ loop.index }}/{{ loop.length }}、{{ c.name }}{{ c.count }}件{{ c.share }}{{ c.yoy }}"
    "{{ c.mom }}{% if loop.first %}（首）{% endif %}{% if loop.last %}（末）{% endif %}",
    "{%p endfor %}",
    "{% for c in top_categories %}{{ c.name }}{% else %}无类别{% endfor %}",
    "{{ chart_categories }}",
    "{{ author_unit }}{{ generated_date }}",
)


def _expected(f: dict[str, object]) -> list[str]:
    top, rows = f["top_categories"], f["rows"]
    assert isinstance(top, list) and isinstance(rows, list)
    note = f["charts_note"] or "无说明"
    first = (
        f"{f['jurisdiction_name']}|{str(f['period_label']).lower()}|{f['period_label']}"
        f"|{f['registered']}|{len(rows)}|{len(top)}|{str(f['resolution_rate']).replace('%', '％')}"
        f"|{note}"
    )
    overdue_noted = f["overdue"] != "0" and f["charts_note"]
    branch = "无" if f["registered"] == "0" else ("甲" if overdue_noted else "乙")
    loop = [
        f"{i}/{len(top)}、{c['name']}{c['count']}件{c['share']}{c['yoy']}{c['mom']}"
        + ("（首）" if i == 1 else "")
        + ("（末）" if i == len(top) else "")
        for i, c in enumerate(top, start=1)
    ]
    names = "".join(c["name"] for c in top) or "无类别"
    table = ["|".join(r[k] for k in ("name", "registered", "resolved", "resolution_rate",
             "local_resolution_rate", "overdue")) for r in rows]  # fmt: skip
    return [first, branch, *loop, names, *table]


def test_every_documented_construct_renders(session: Session, client_as) -> None:  # type: ignore[no-untyped-def]
    h.build_history(session, 14, seed=7, first=datetime(2026, 2, 2, tzinfo=UTC), days=25)
    chen = client_as("chen")
    r = upload(chen, docx_with(*EVERY_CONSTRUCT, header="{{ jurisdiction_name }}", table=TABLE))
    assert r.status_code == 201, r.text
    body = {"jurisdiction": COUNTY, "period": "2026-02", "formats": ["docx"]}
    made = chen.post("/api/v1/reports", json={**body, "template_id": r.json()["id"]})
    assert made.status_code == 201, made.text
    text = docx_text(chen.get(made.json()[0]["download_url"]).content)
    county = current_jurisdiction(session, COUNTY)
    assert county is not None
    f = figures(gather(session, county, parse_period("2026-02"), china_today()))
    assert f["top_categories"] and len(f["rows"]) > 1
    lines = text.splitlines()
    for want in _expected(f):
        assert want in lines, f"{want!r} not in {lines}"
    assert not [b for b in BAD_TEXT if b in text]


def test_the_default_template_passes_the_allow_list() -> None:
    check_template(DEFAULT_TEMPLATE)


def test_the_sandbox_holds_even_without_the_allow_list() -> None:
    """Defence in depth: a tree compiled past the check still makes no call and reads no
    attribute outside the documented fields."""
    env = ReportEnvironment()
    unchecked = ImmutableSandboxedEnvironment.from_string
    with pytest.raises(SecurityError):
        unchecked(env, "{{ registered.upper() }}").render(sample_context())
    with pytest.raises(SecurityError):
        unchecked(env, "{{ cycler.__init__.__globals__ }}").render(sample_context())
    walked = unchecked(env, "{% for r in rows %}[{{ r.__class__ }}{{ loop.cycle }}]{% endfor %}")
    assert walked.render(sample_context()) == "[]"
    with pytest.raises(Problem):
        env.from_string("{{ registered.upper() }}")


NAMES = [*sorted(PLACEHOLDERS), "c", "loop", "cycler", "self", "range", "''", "1", "x"]
FIELDS = [*sorted(set().union(*LIST_FIELDS.values())), "index", "first", "length"]
ATTRS = [*FIELDS, "__class__", "__globals__", "__init__", "items", "upper", "cycle", "mro"]
FILTERS = ["|upper", "|length", "|default('—')", "|replace('1', '2')", "|trim", "|safe",
           "|attr('__class__')", "|map('upper')", "|list", "|default(registered)"]  # fmt: skip
UNLISTED_FILTERS = {"safe", "attr", "map", "list"}


def _dangerous(tree: nodes.Template, expr: str) -> bool:
    """A call, subscript, operator, dunder or unlisted filter anywhere: never accepted."""
    kinds = (nodes.Call, nodes.Getitem, nodes.BinExpr, nodes.Concat)
    filters = {f.name for f in tree.find_all(nodes.Filter)}
    return "__" in expr or any(tree.find_all(kinds)) or bool(filters & UNLISTED_FILTERS)


STEP = st.one_of(
    st.sampled_from(ATTRS).map(lambda a: "." + a),
    st.sampled_from(FILTERS),
    st.sampled_from(["[0]", "()", "(1)", " ~ 'a'", " == '0'", " != c", "*9", " and x"]),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    name=st.sampled_from(NAMES),
    steps=st.lists(STEP, max_size=3),
    in_loop=st.booleans(),
)
def test_an_expression_is_refused_or_renders_safely(
    name: str, steps: list[str], in_loop: bool
) -> None:
    expr = name + "".join(steps)
    source = "{{ " + expr + " }}"
    if in_loop:
        source = "{% for c in top_categories %}" + source + "{% endfor %}"
    env = ReportEnvironment()
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:
        return  # refused at upload as a syntax error
    found = check_tree(tree)
    if _dangerous(tree, expr):
        assert found.refused or found.unknown, source
    if not (found.refused or found.unknown):
        rendered = env.from_string(source).render(sample_context())
        assert "class" not in rendered and "function" not in rendered
