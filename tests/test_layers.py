"""Imports inside mbc_graph run one way: from a layer to the layers below it, never up, never round.

The import graph is read from the source with ``ast``: every import counts,
those inside functions and under ``TYPE_CHECKING`` too, since a function-level
import that only breaks a cycle still makes the modules depend on each other.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mbc_graph"

#: The layers, lowest first, as patterns of module names (without ``mbc_graph.``); the package
#: itself is ``""``. A module may import its own layer and those before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("errors", "namespaces", "files", "text", "caching", "cache", "bundled", "search", "codes",
              "name_index", "evidence", "scope", "query_text", "terms", "cohort_turtle", "infrastructure",
              "export_formats")),
    ("queries and stores", ("options", "queries", "bindings", "stores", "stores.*", "results", "relation_graph", "launchers",
                            "workers")),
    ("model", ("concepts", "qualifiers", "paths", "relations", "corpus")),
    ("core", ("core",)),
    ("views", ("evidence_index", "export", "export_tables", "viz", "viz.*", "validate", "validate.*", "publish", "provenance")),
    ("facade", ("graph",)),
    ("programs", ("loading", "synth", "demo", "worker_process", "cli", "cli.*", "server", "server.*", "", "__main__")),
]

def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _resolve(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The module ``from <level dots><module> import`` names, relative to the package (``""`` is the package)."""
    if level == 0:
        return (module or "").removeprefix("mbc_graph").removeprefix(".") if module and (
            module == "mbc_graph" or module.startswith("mbc_graph.")) else "<outside>"
    base = importer.split(".") if importer else []
    if not is_package:
        base = base[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports, anywhere in its source."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(node.module, node.level, name, is_package)
                for alias in node.names:  # `from . import paths` imports the module paths
                    sub = f"{target}.{alias.name}" if target else alias.name
                    imported.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                imported |= {_resolve(alias.name, 0, name, is_package) for alias in node.names}
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


def layer_of(module: str) -> int:
    for rank, (_, patterns) in enumerate(LAYERS):
        if any(module == pattern if not pattern else fnmatch(module, pattern) for pattern in patterns):
            return rank
    raise LookupError(f"mbc_graph.{module} is in no layer: add it to LAYERS in {__file__}")


def test_every_module_has_a_layer():
    for module in import_graph():
        layer_of(module)


def test_no_layer_imports_a_higher_one():
    upward = sorted((importer, imported) for importer, targets in import_graph().items() for imported in targets
                    if layer_of(imported) > layer_of(importer))
    assert not upward, "imports from a lower layer to a higher one: " + ", ".join(f"{a} -> {b}" for a, b in upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert _cycles(import_graph()) == []


@pytest.mark.parametrize("source, expected", [
    ("from . import paths", {"paths"}),
    ("from .stores.oxigraph import to_rdflib", {"stores.oxigraph"}),
    ("def f():\n    from ..graph import KnowledgeGraph", {"graph"}),
])
def test_the_graph_reads_every_kind_of_import(tmp_path, monkeypatch, source, expected):
    (tmp_path / "stores").mkdir()
    for name in ("__init__", "paths", "graph", "stores/__init__", "stores/oxigraph"):
        (tmp_path / f"{name}.py").write_text("")
    importer = tmp_path / "stores" / "oxigraph.py" if source.startswith("def") else tmp_path / "__init__.py"
    importer.write_text(source)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path)
    graph = import_graph()
    assert graph["stores.oxigraph" if source.startswith("def") else ""] == expected
