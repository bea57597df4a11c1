"""The core never imports Textual: the CLI and importers stay light and usable without it."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "netinbox"


def core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        if relative.parts[1] == "tui":
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert "netinbox.store" in modules and "netinbox.cli" in modules
    script = (
        "import importlib, json, sys\n"
        "report = {}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'textual' in sys.modules:\n"
        "        report['textual'] = name\n"
        "        break\n"
        "print(json.dumps(report))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}, "imports textual"


def test_no_textual_import_outside_the_tui() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "tui":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(n == "textual" or n.startswith("textual.") for n in names):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


def test_the_import_contracts_name_every_core_module() -> None:
    """pyproject's contracts (`lint-imports`) name modules one by one: a new module must be
    in "the core never imports the app or Textual" (unless it is an entry point, which
    starts the app: the script's launcher and the app's opening, the CLI, `python -m
    netinbox`) and in "only the store's front"."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    core = next(c for c in contracts if c["name"].startswith("The core never imports"))
    top_level = {".".join(name.split(".")[:2]) for name in core_modules()} - {"netinbox"}
    entry_points = {"netinbox.launch", "netinbox.starting", "netinbox.cli", "netinbox.__main__"}
    wanted = top_level - entry_points
    assert set(core["source_modules"]) == wanted, f"list {sorted(wanted)} in {core['name']!r}"
    front = next(c for c in contracts if c["name"].startswith("Outside the store"))
    wanted = top_level - {"netinbox.store"} | {"netinbox.tui"}
    assert set(front["source_modules"]) == wanted, f"list {sorted(wanted)} in {front['name']!r}"


def test_the_import_contracts_hold() -> None:
    """pyproject's import contracts (`lint-imports`): the core never imports the app or
    Textual, the store is reached only through its front, its rooms form no circle."""
    script = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_store_runs_sql_on_its_tables() -> None:
    """Every statement on the store's tables is in netinbox/store/ (and the migrations):
    the rest of netinbox asks `Store`, so each write rule there holds for every write.
    (query.py only builds the WHERE clauses of the filter language, which the store runs.)"""
    tables = "requests|persons|follow_ups|events|drafts|tombstones|context_messages|search"
    statement = re.compile(rf"\b(FROM|UPDATE|INTO|JOIN) ({tables})\b")
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "store" or relative.name == "migrations.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if statement.search(line):
                offenders.append(f"{relative}:{number}")
    assert offenders == []


def test_no_import_circle_anywhere_in_netinbox() -> None:
    """No two modules of netinbox import each other, not even through an import made
    inside a function (import-linter's graph, grimp, sees those too)."""
    import grimp

    graph = grimp.build_graph("netinbox")
    circles = sorted(
        {
            tuple(sorted((module, imported)))
            for module in graph.modules
            for imported in graph.find_modules_directly_imported_by(module)
            if graph.chain_exists(importer=imported, imported=module)
        }
    )
    assert circles == []
