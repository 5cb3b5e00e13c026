"""The package reads as the pipeline (issue 16): stage folders that import only the stages
below them, no module reaching into another's private names or MkDocs' and Material's, and
no module too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gxsite"
STAGES = ["reading", "parsing", "checks", "site"]  # in pipeline order
# Top-level modules every stage may use: the record's keys and the machinery around it.
SHARED = {"files", "record", "report", "jsonio", "cache", "version", "parallel", "progress", "collector"}


def modules() -> list[tuple[str, ast.Module]]:
    return [(path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", "."),
             ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(PACKAGE.rglob("*.py"))]


def imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module imported, names imported from it) of every import of the package's own modules."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "gxsite":
            names = [alias.name for alias in node.names]
            if node.module == "gxsite":  # from gxsite import checks: a module each
                found.extend((f"gxsite.{name}", []) for name in names)
            else:
                found.append((node.module, names))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names if alias.name.split(".")[0] == "gxsite")
    return found


def test_the_package_is_the_stages_as_folders():
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(STAGES)


def test_each_stage_imports_only_itself_the_stages_below_and_the_shared_modules():
    wrong = []
    for name, tree in modules():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] not in STAGES:
            continue
        rank = STAGES.index(parts[1])
        for target, _ in imports(tree):
            top = target.split(".")[1]
            allowed = (top in STAGES and STAGES.index(top) <= rank) or top in SHARED
            if not allowed:
                wrong.append(f"{name} imports {target}")
    assert wrong == []
    assert len([name for name, _ in modules() if name.startswith("gxsite.site.")]) > 10  # the test sees the stages


def test_no_module_imports_another_modules_private_names():
    wrong = [f"{name} imports {target}.{imported}" for name, tree in modules()
             for target, names in imports(tree) for imported in names
             if imported.startswith("_") and target != name]
    assert wrong == []


def test_mkdocs_and_material_are_used_through_public_names_only():
    wrong = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("mkdocs", "material"):
                wrong += [f"{name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
                wrong += [f"{name}: {node.module}" for part in node.module.split(".") if part.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                    wrong.append(f"{name}: .{node.attr} (line {node.lineno})")
    assert wrong == []


def test_no_module_is_longer_than_a_reader_can_hold():
    lengths = {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
               for path in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in lengths.items() if n > 420} == {}
    assert len(lengths) > 40
