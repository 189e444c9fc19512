"""The layers of src/grassroots (pyproject.toml [tool.importlinter], docs/architecture.md):
no module imports from a layer above its own, except the listed, reasoned exceptions.
`make lint` runs the same check; here it runs in its own process because import-linter
configures logging globally."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


MAX_MODULES = 12  # the house rule: more than this and a folder gets child packages


def _modules(package: Path) -> list[str]:
    return sorted(p.name for p in package.glob("*.py") if p.name != "__init__.py")


def test_no_package_folder_holds_more_than_twelve_modules():
    src = ROOT / "src" / "grassroots"
    packages = [src, *(p.parent for p in src.rglob("__init__.py"))]
    crowded = {
        str(p.relative_to(src.parent)): len(_modules(p))
        for p in packages
        if len(_modules(p)) > MAX_MODULES
    }
    assert crowded == {}, f"folders over {MAX_MODULES} modules (split into child packages)"


def test_the_module_count_sees_a_crowded_folder(tmp_path):
    for i in range(MAX_MODULES + 1):
        (tmp_path / f"m{i}.py").write_text("")
    (tmp_path / "__init__.py").write_text("")
    assert len(_modules(tmp_path)) == MAX_MODULES + 1
