"""SHACL validation through pySHACL (the ``validate`` extra): each failed shape of
``ontology/shapes.ttl`` becomes a check named ``shacl:<Shape>``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..bundled import bundled_ontology
from ..errors import MissingDependency
from ..namespaces import curie
from .report import Findings, Severity, term_name

_SH = "http://www.w3.org/ns/shacl#"
_SHAPES_NS = "https://w3id.org/mbc-graph/shapes/"


def bundled_shapes() -> Path:
    """The SHACL shapes shipped with the package, beside the ontology (``ontology/shapes.ttl`` in a checkout).

    >>> bundled_shapes().name
    'shapes.ttl'
    """
    return bundled_ontology().with_name("shapes.ttl")


def check_shacl(data: Graph, shapes: Path, found: Findings) -> None:
    """Run the SHACL ``shapes`` over ``data`` (in place); each failed shape is a check ``shacl:<Shape>``."""
    try:
        import pyshacl
    except ImportError:
        raise MissingDependency("pyshacl", "validate", "SHACL validation") from None
    shapes_graph = Graph().parse(str(shapes), format="turtle")
    names = sorted(str(s)[len(_SHAPES_NS):] for s in set(shapes_graph.subjects())
                   if isinstance(s, URIRef) and str(s).startswith(_SHAPES_NS) and len(str(s)) > len(_SHAPES_NS))
    found.ran(*(f"shacl:{name}" for name in names))
    # inplace: `data` is already a private copy, so pySHACL need not clone it
    # allow_warnings: warnings do not make the data non-conforming, but they are reported
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True, inference="none",
                                     allow_warnings=True, inplace=True)
    sh = lambda local: URIRef(_SH + local)  # noqa: E731
    severities = {sh("Violation"): Severity.ERROR, sh("Warning"): Severity.WARN, sh("Info"): Severity.INFO}
    for result in results.subjects(RDF.type, sh("ValidationResult")):
        shape = results.value(result, sh("sourceShape"))
        focus = results.value(result, sh("focusNode"))
        path = results.value(result, sh("resultPath"))
        value = results.value(result, sh("value"))
        messages = sorted(str(m) for m in results.objects(result, sh("resultMessage")))
        name = str(shape)[len(_SHAPES_NS):] if isinstance(shape, URIRef) and str(shape).startswith(_SHAPES_NS) \
            else "anonymous"
        subject = _describe(data, focus)
        detail = f" (path {curie(str(path))})" if isinstance(path, URIRef) else ""
        if value is not None and not isinstance(value, BNode):
            detail += f" value {term_name(value) if isinstance(value, URIRef) else repr(str(value))}"
        message = (messages[0] if messages else "does not conform") + detail
        found.add(f"shacl:{name}", subject, f"{subject}: {message}",
                  severity=severities.get(results.value(result, sh("resultSeverity")), Severity.ERROR))


def _describe(data: Graph, node) -> str:
    """A CURIE, or for an owl:Axiom blank node the axiom's source and property."""
    if isinstance(node, URIRef):
        return curie(str(node))
    source = data.value(node, OWL.annotatedSource)
    if source is not None:
        return f"axiom on {term_name(source)} {curie(str(data.value(node, OWL.annotatedProperty)))}"
    return f"blank node {node}"

