"""The package layout keeps its promises: each sub-package's import rules (the "Must not import:"
line of its `__init__` docstring) hold for every import in it, module-level imports between
sub-packages form no cycle, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "qa"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module_level_only: bool = False, name: str = "") -> set[str]:
    """Absolute names of the `qa` modules that `path` (module `name`, by default where it lies)
    imports; TYPE_CHECKING blocks excluded."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    here = (name or _module_name(path)).split(".")
    base = here if is_package else here[:-1]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == "qa")
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] == "qa":
                    found.add(target)
                    found.update(f"{target}.{a.name}" for a in node.names)  # `from . import x`
            if module_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for field in ("body", "orelse", "handlers", "finalbody"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit([c for c in children if isinstance(c, ast.stmt)])

    visit(tree.body)
    return found


def _part(module: str) -> str:
    """The layer a module belongs to: its sub-package, or its top-level module's name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "qa"


def _rules() -> dict[str, set[str]]:
    rules = {}
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        match = re.search(r"Must not import:(.*?)\.\s*$", doc, re.S | re.M)
        assert match, f"{init} has no 'Must not import:' line in its docstring"
        rules[init.parent.name] = set(re.findall(r"`(\w+)`", match.group(1)))
    return rules


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_sub_package_states_its_rules() -> None:
    rules = _rules()
    assert {"language", "backends", "index", "retrieve", "answer", "eval", "bench", "ui"} <= set(rules)
    for banned in rules.values():
        assert banned, "an empty rule says nothing"


def test_import_rules_hold() -> None:
    rules = _rules()
    broken = []
    for path in _modules():
        module = _module_name(path)
        layer = _part(module)
        for target in _imports(path):
            if _part(target) in rules.get(layer, set()):
                broken.append(f"{module} imports {target}")
    assert not broken, "\n".join(broken)


def test_the_rule_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: imports that climb into a banned package are found, in functions too."""
    fake = tmp_path / "documents.py"
    fake.write_text("from ..errors import QAError\n"
                    "def later():\n    from ..answer.pipeline import stream_answer\n")
    found = _imports(fake, name="qa.index.documents")
    assert found >= {"qa.errors", "qa.answer.pipeline"}
    assert {_part(t) for t in found} & _rules()["index"] == {"answer"}
    assert "qa.answer.pipeline" not in _imports(fake, module_level_only=True, name="qa.index.documents")


def test_no_cycle_between_layers_at_import_time() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        source = _part(_module_name(path))
        for target in _imports(path, module_level_only=True):
            if _part(target) != source and _part(target) != "qa":
                edges[source].add(_part(target))
    seen: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if seen.get(node) == 1:
            pytest.fail("import cycle: " + " -> ".join([*trail, node]))
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in sorted(edges[node]):
            visit(nxt, [*trail, node])
        seen[node] = 2

    for start in sorted(edges):
        visit(start, [])


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_LINES
