"""The reasoner check: HermiT, through owlready2 (the ``validate`` extra) and Java."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from ..errors import MBCGraphError, MissingDependency
from ..namespaces import curie
from .report import Findings


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT concluded: consistency and the unsatisfiable classes (IRIs)."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    seconds: float


def reason(data: Graph | str | Path, *, java: str | None = None) -> ReasonerResult:
    """Classify an ontology with HermiT (through owlready2, which needs Java).

    Parameters
    ----------
    data : rdflib.Graph or path
        The ontology (a Turtle file or a graph).
    java : str, optional
        The ``java`` executable; by default the one on ``PATH``.

    Returns
    -------
    ReasonerResult

    Raises
    ------
    MissingDependency
        When owlready2 (the ``validate`` extra) is not installed.
    MBCGraphError
        When no Java runtime is found.

    Examples
    --------
    A class below two disjoint classes is unsatisfiable:

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     @prefix ex: <http://example.org/> .
    ...     ex:Symptom a owl:Class . ex:Drug a owl:Class ; owl:disjointWith ex:Symptom .
    ...     ex:Chimera a owl:Class ; rdfs:subClassOf ex:Symptom , ex:Drug .
    ... ''')
    >>> result = reason(g)
    >>> result.consistent, result.unsatisfiable
    (True, ('http://example.org/Chimera',))
    """
    try:
        import owlready2  # type: ignore[import-untyped]
    except ImportError:
        raise MissingDependency("owlready2", "validate", "The reasoner check") from None
    java = java or shutil.which("java")
    if not java:
        raise MBCGraphError("The reasoner check needs a Java runtime (java on PATH); none was found.")
    graph = data if isinstance(data, Graph) else Graph().parse(str(data), format="turtle")
    start = time.perf_counter()
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="mbc-reasoner-") as folder:
        path = Path(folder) / "ontology.nt"
        path.write_bytes(_without_imports(graph).serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ReasonerResult(False, (), time.perf_counter() - start)
            unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()
                                         if getattr(c, "iri", None) != str(OWL.Nothing)))
        except MBCGraphError:
            raise
        except Exception as exc:  # owlready2's and Java's failures, whatever their class
            raise MBCGraphError(f"The reasoner check failed: {type(exc).__name__}: {exc}") from exc
        finally:
            world.close()
    return ReasonerResult(True, unsatisfiable, time.perf_counter() - start)


def _without_imports(graph: Graph) -> Graph:
    """A copy of ``graph`` without ``owl:imports``: owlready2 would fetch each
    imported IRI (any URL, any local file) before HermiT runs. The data handed
    to the reasoner is already complete."""
    copy = Graph()
    copy += (triple for triple in graph if triple[1] != OWL.imports)
    return copy


def check_reasoner(data: Graph, found: Findings) -> None:
    """Classify ``data`` with HermiT: an inconsistent ontology or an unsatisfiable class is an ERROR."""
    found.ran("inconsistent_ontology", "unsatisfiable_class")
    result = reason(data)
    if not result.consistent:
        found.add("inconsistent_ontology", "ontology", "HermiT finds the ontology inconsistent: no model satisfies it.")
    for iri in result.unsatisfiable:
        found.add("unsatisfiable_class", URIRef(iri), f"{curie(iri)} is unsatisfiable (equivalent to owl:Nothing).")

