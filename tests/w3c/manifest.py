"""Reading the W3C SPARQL test manifests vendored here (see README.md).

A test is a :class:`W3CTest`: its kind (``eval``, ``syntax+``, ``syntax-``),
query file, default-graph data file and expected result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

HERE = Path(__file__).parent
ROOTS = (HERE / "dawg-data-r2" / "manifest-evaluation.ttl", HERE / "dawg-data-r2" / "manifest-syntax.ttl",
         HERE / "sparql11" / "manifest-all.ttl")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
KINDS = {MF.QueryEvaluationTest: "eval", MF.PositiveSyntaxTest: "syntax+", MF.PositiveSyntaxTest11: "syntax+",
         MF.NegativeSyntaxTest: "syntax-", MF.NegativeSyntaxTest11: "syntax-"}


@dataclass(frozen=True)
class W3CTest:
    name: str  # folder/local name, e.g. "bind/bind01"
    kind: str
    query: Path
    data: Path | None = None
    result: Path | None = None
    other_inputs: bool = False  # named graphs or service data: not a default-graph test

    def __str__(self) -> str:
        return self.name


def _local(iri) -> Path:
    return Path(str(iri).removeprefix("file://"))


def read_tests() -> list[W3CTest]:
    """Every query test of the vendored manifests whose files were vendored."""
    found: list[W3CTest] = []
    manifests = [path for path in ROOTS]
    while manifests:
        path = manifests.pop(0)
        if not path.exists():
            continue
        graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
        for include in graph.objects(None, MF.include):
            manifests += [_local(item) for item in Collection(graph, include)]
        for entries in graph.objects(None, MF.entries):
            for test in Collection(graph, entries):
                found += _test(graph, test, path)
    return found


def _test(graph: Graph, test: URIRef, manifest: Path) -> list[W3CTest]:
    kind = KINDS.get(graph.value(test, RDF.type))
    if kind is None or graph.value(test, DAWGT.approval) == DAWGT.Withdrawn:
        return []
    action = graph.value(test, MF.action)
    name = f"{manifest.parent.name}/{str(test).rsplit('#', 1)[-1]}"
    if kind != "eval":
        query = _local(action)
        return [W3CTest(name, kind, query)] if query.exists() else []
    query = _local(graph.value(action, QT.query))
    data = [_local(d) for d in graph.objects(action, QT.data)]
    result = graph.value(test, MF.result)
    other = any(graph.objects(action, QT.graphData)) or any(graph.objects(action, QT.serviceData)) or len(data) > 1
    files = [query, *data] + ([_local(result)] if result is not None else [])
    if not all(f.exists() for f in files):
        return []
    return [W3CTest(name, kind, query, data[0] if data else None, _local(result) if result else None, other)]
