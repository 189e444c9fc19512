"""What a user's Word template may contain: an allow-list over the parsed Jinja tree.

docxtpl turns a .docx into one Jinja template per part (body, headers, footers, footnotes,
document properties) and compiles each with the environment it is given. ReportEnvironment
walks every parsed tree before compiling it and refuses anything this module does not list
(docs/reports.md): the documented placeholders, fields of the documented lists inside a
`{% for %}` over them, a few `loop` fields, a few text filters with literal arguments, `==`/`!=`
against literals, `not`/`and`/`or`, and the tags `if`/`elif`/`else` and `for`. Everything else
— calls, subscripts, arithmetic, other attributes, `set`, `macro`, `import`, `include`, … —
is refused with the expression written out. The environment is also Jinja's immutable
sandbox, allowing no call at all and only the listed attributes at run time, so a tree that
somehow passed the walk still cannot reach Python's internals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from grassroots.errors import Problem
from grassroots.reports.content.context import CHART_PLACEHOLDERS, LIST_FIELDS, PLACEHOLDERS

LOOP_FIELDS = frozenset({"index", "index0", "revindex", "first", "last", "length"})
# filter → the types of its literal arguments (required first, then optional)
FILTERS: dict[str, tuple[tuple[type, ...], tuple[type, ...]]] = {
    "default": ((), (str, bool)),  # default('—', true): also when the value is empty
    "d": ((), (str, bool)),
    "trim": ((), ()),
    "upper": ((), ()),
    "lower": ((), ()),
    "length": ((), ()),
    "count": ((), ()),
    "replace": ((str, str), ()),
}
COUNTING = {"length", "count"}  # their result is a number: nothing to count in it
COMPARISONS = {"eq": "==", "ne": "!="}
LITERALS = (str, int, float, bool, type(None))
MAX_SHOWN = 80  # characters of an offending expression quoted back
MAX_LISTED = 10  # offending expressions (or names) named in one refusal


@dataclass
class Findings:
    unknown: list[str] = field(default_factory=list)  # names that are no placeholder
    refused: list[str] = field(default_factory=list)  # constructs outside the allow-list

    def add(self, bucket: list[str], text: str) -> None:
        shown = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
        if shown not in bucket and len(bucket) < MAX_LISTED:
            bucket.append(shown)


def check_tree(tree: nodes.Template) -> Findings:
    """Everything in one parsed template that the allow-list does not accept."""
    found = Findings()
    _body(tree.body, {}, found)
    return found


def refuse_unless_allowed(tree: nodes.Template) -> None:
    """Raise the 422 naming every unknown placeholder and refused expression."""
    found = check_tree(tree)
    if found.refused:
        shown = "、".join(found.refused)
        raise Problem(
            422,
            "expression_not_allowed",
            f"不允许的表达式：{shown}（模板可用的写法见 docs/reports.md） / "
            f"expression not allowed in a report template: {', '.join(found.refused)}",
            errors=_errors(found),
        )
    if found.unknown:
        raise Problem(
            422,
            "unknown_placeholder",
            f"模板中有未知的占位符：{'、'.join(found.unknown)}（可用占位符见 docs/reports.md） / "
            f"unknown placeholder(s) in the template: {', '.join(found.unknown)}",
            errors=_errors(found),
        )


def _errors(found: Findings) -> list[dict[str, Any]]:
    kinds = [("expression_not_allowed", found.refused), ("unknown_placeholder", found.unknown)]
    return [
        {"field": "template", "message": text, "type": kind}
        for kind, texts in kinds
        for text in texts
    ]


Scope = dict[str, str]  # loop variable → the documented list it walks ("loop" → "loop")


def _body(body: Iterable[nodes.Node], scope: Scope, found: Findings) -> None:
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    _expr(child, scope, found)
        elif isinstance(node, nodes.If):
            _expr(node.test, scope, found)
            _body([*node.body, *node.elif_, *node.else_], scope, found)
        elif isinstance(node, nodes.For):
            _for(node, scope, found)
        else:
            found.add(found.refused, _tag(node))


def _for(node: nodes.For, scope: Scope, found: Findings) -> None:
    """`{% for x in <documented list> %}`, not nested, no filter, no recursion."""
    target, walked = node.target, node.iter
    if (
        isinstance(target, nodes.Name)
        and target.name not in PLACEHOLDERS
        and target.name != "loop"
        and isinstance(walked, nodes.Name)
        and walked.name in LIST_FIELDS
        and "loop" not in scope
        and node.test is None
        and not node.recursive
    ):
        _body(node.body, {**scope, target.name: walked.name, "loop": "loop"}, found)
        _body(node.else_, scope, found)
    else:
        found.add(found.refused, f"{{% for {describe(target)} in {describe(walked)} %}}")


def _expr(node: nodes.Node, scope: Scope, found: Findings) -> None:
    if isinstance(node, nodes.Name):
        if node.name not in scope and node.name not in PLACEHOLDERS:
            found.add(found.unknown, node.name)
    elif isinstance(node, nodes.Const):
        if not isinstance(node.value, LITERALS):
            found.add(found.refused, describe(node))
    elif isinstance(node, nodes.Getattr):
        if _field_of(node, scope) is None:
            found.add(found.refused, describe(node))
    elif isinstance(node, nodes.Filter):
        _filter(node, scope, found)
    elif isinstance(node, nodes.Not):
        _expr(node.node, scope, found)
    elif isinstance(node, nodes.And | nodes.Or):
        _expr(node.left, scope, found)
        _expr(node.right, scope, found)
    elif isinstance(node, nodes.Compare) and all(op.op in COMPARISONS for op in node.ops):
        for part in (node.expr, *(op.expr for op in node.ops)):
            _expr(part, scope, found)
    else:
        found.add(found.refused, describe(node))


def _field_of(node: nodes.Getattr, scope: Scope) -> str | None:
    """`c.name` where c walks a documented list with that field, or `loop.index` etc."""
    base = node.node
    if not isinstance(base, nodes.Name) or base.name not in scope:
        return None
    walked = scope[base.name]
    allowed = LOOP_FIELDS if walked == "loop" else LIST_FIELDS[walked]
    return node.attr if node.attr in allowed else None


def _filter(node: nodes.Filter, scope: Scope, found: Findings) -> None:
    """A listed filter with literal arguments, on anything but a picture; `length` only
    on a placeholder, a list item or its field (not on a number: `loop.index`, a length)."""
    spec, subject = FILTERS.get(node.name), node.node
    picture = isinstance(subject, nodes.Name) and subject.name in CHART_PLACEHOLDERS
    counted = node.name in COUNTING and not _sized(subject, scope)
    if spec is None or subject is None or picture or counted or not _literal_args(node, *spec):
        found.add(found.refused, describe(node))
        return
    _expr(subject, scope, found)


def _sized(node: nodes.Node | None, scope: Scope) -> bool:
    """A placeholder, a list item or an item's field: text or a list, never a number."""
    base = node.node if isinstance(node, nodes.Getattr) else node
    return isinstance(base, nodes.Name) and scope.get(base.name) != "loop"


def _literal_args(
    node: nodes.Filter, required: tuple[type, ...], optional: tuple[type, ...]
) -> bool:
    if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
        return False
    if not len(required) <= len(node.args) <= len(required) + len(optional):
        return False
    kinds = (*required, *optional)
    return all(
        isinstance(a, nodes.Const) and type(a.value) is kinds[i] for i, a in enumerate(node.args)
    )


TAGS = {
    "Assign": "set",
    "AssignBlock": "set",
    "FromImport": "from … import",
    "ScopedEvalContextModifier": "autoescape",
    "EvalContextModifier": "autoescape",
    "Scope": "autoescape",
    "FilterBlock": "filter",
    "CallBlock": "call",
    "ExprStmt": "do",
}


def _tag(node: nodes.Node) -> str:
    kind = type(node).__name__
    return f"{{% {TAGS.get(kind, kind.lower())} %}}"


def describe(node: nodes.Node | None) -> str:
    """A Jinja expression written back as text (near enough to find it in the template)."""
    if node is None:
        return ""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Getattr):
        return f"{describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{describe(node.node)}[{describe(node.arg)}]"
    if isinstance(node, nodes.Call | nodes.Filter | nodes.Test):
        return _describe_call(node)
    return _describe_operator(node)


def _describe_call(node: nodes.Call | nodes.Filter | nodes.Test) -> str:
    args = [describe(a) for a in node.args]
    args += [f"{k.key}={describe(k.value)}" for k in node.kwargs]
    args += [f"*{describe(node.dyn_args)}"] if node.dyn_args is not None else []
    args += [f"**{describe(node.dyn_kwargs)}"] if node.dyn_kwargs is not None else []
    listed = f"({', '.join(args)})" if args or isinstance(node, nodes.Call) else ""
    if isinstance(node, nodes.Call):
        return f"{describe(node.node)}{listed}"
    joiner = "|" if isinstance(node, nodes.Filter) else " is "
    return f"{describe(node.node)}{joiner}{node.name}{listed}"


def _describe_operator(node: nodes.Node) -> str:
    if isinstance(node, nodes.BinExpr):
        # no spaces around symbols: " / " would split the bilingual message (grassroots.i18n)
        space = " " if node.operator.isalpha() else ""
        return f"{describe(node.left)}{space}{node.operator}{space}{describe(node.right)}"
    if isinstance(node, nodes.UnaryExpr):
        space = " " if node.operator == "not" else ""
        return f"{node.operator}{space}{describe(node.node)}"
    if isinstance(node, nodes.Compare):
        ops = " ".join(f"{COMPARISONS.get(o.op, o.op)} {describe(o.expr)}" for o in node.ops)
        return f"{describe(node.expr)} {ops}"
    if isinstance(node, nodes.Concat):
        return " ~ ".join(describe(n) for n in node.nodes)
    if isinstance(node, nodes.Slice):
        return f"{describe(node.start)}:{describe(node.stop)}"
    if isinstance(node, nodes.List | nodes.Tuple):
        return f"[{', '.join(describe(n) for n in node.items)}]"
    return type(node).__name__


SAFE_ATTRIBUTES = LOOP_FIELDS.union(*LIST_FIELDS.values())


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The one Jinja environment report templates are rendered in (the default one too).

    Every source is checked against the allow-list before it is compiled; at run time no
    call is made and only the listed attributes are read. Autoescape: the values go into
    Word's XML.
    """

    def __init__(self) -> None:
        super().__init__(autoescape=True)

    def from_string(
        self, source: str | nodes.Template, globals: Any = None, template_class: Any = None
    ) -> Any:
        tree = self.parse(source) if isinstance(source, str) else source
        refuse_unless_allowed(tree)
        return super().from_string(tree, globals, template_class)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr in SAFE_ATTRIBUTES and super().is_safe_attribute(obj, attr, value)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError(f"no call is allowed in a report template: {obj!r}")
