"""Figures of the import graph of src/grassroots (docs/architecture.md §4).

files: modules; rooms: top-level modules and packages; arrows: distinct room → room imports
(imports inside functions count); back up: arrows from a room to a room in a higher layer of
the first import contract in the pyproject.toml beside this script, so that another tree
(ROOT) is measured against the same layers (rooms in one `:` layer may import each other);
loops: strongly connected sets of modules. Usage: python3 scripts/import_graph.py [ROOT] [-v]
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "-v" else Path(__file__).parents[1]


def modules(package: Path) -> dict[str, Path]:
    found = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for mod, path in mods.items():
        package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, package, mods):
                while target not in mods and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in mods and target != mod:
                    edges[mod].add(target)
    return edges


def _targets(node: ast.AST, package: list[str], mods: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("grassroots")]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
        if base.startswith("grassroots"):
            return [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
    return []


def loops(edges: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer_ranks(pyproject: Path) -> dict[str, tuple[int, bool]]:
    """room → (rank from the bottom, whether its layer lets its members import each other)."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    ranks = {}
    for i, layer in enumerate(layers):
        shared = ":" in layer
        for name in layer.replace(":", "|").split("|"):
            ranks[name.strip().removeprefix("grassroots.")] = (len(layers) - i, shared)
    return ranks


def main() -> None:
    mods = modules(ROOT / "src" / "grassroots")
    edges = imports(mods)

    def room(mod: str) -> str:
        return mod.split(".")[1] if "." in mod else ""

    arrows = {(room(a), room(b)) for a, bs in edges.items() for b in bs}
    arrows = {(a, b) for a, b in arrows if a and b and a != b}
    ranks = layer_ranks(Path(__file__).parents[1] / "pyproject.toml")  # this tree's layers
    up = sorted((a, b) for a, b in arrows
                if a in ranks and b in ranks and ranks[a][0] < ranks[b][0])  # fmt: skip
    rooms = {room(m) for m in mods} - {""}
    print(f"files {len(mods)}, rooms {len(rooms)}, arrows {len(arrows)}, "
          f"back up {len(up)}, module import loops {len(loops(edges))}")  # fmt: skip
    if "-v" in sys.argv:
        print("back up:", ", ".join(f"{a} -> {b}" for a, b in up) or "none")
        print("loops:", loops(edges) or "none")
        print("unlayered rooms:", sorted(rooms - set(ranks)) or "none")


if __name__ == "__main__":
    main()
