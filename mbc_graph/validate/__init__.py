"""Ontology quality control: ROBOT-report-style checks, SHACL and a reasoner.

:func:`validate` runs named checks over a loaded graph and returns a
:class:`Report` of :class:`Violation` rows, each with a severity:

``ERROR``
    breaks a convention the library or its users rely on; ``report.ok`` is
    false when there is one.
``WARN``
    probably a mistake; look at it.
``INFO``
    worth knowing (a check that was skipped, a class without cross-references,
    an association inherited by many subclasses).

Most checks are SPARQL queries shipped as ``mbc_graph/sparql/qc_*.rq`` and
run through :meth:`KnowledgeGraph.query`, so they work on every store; the
SHACL shapes of ``ontology/shapes.ttl`` run through pySHACL (the
``validate`` extra) and each failed shape becomes a check named
``shacl:<Shape>``. The table of checks is :data:`CHECKS`.

The cross-reference checks compare the ontology with the reference extracts
in ``../shared/reference/*.tsv`` beside a source checkout. Those files are
not shipped in the wheel: when they are not found, each check that needs
them is reported once as ``INFO`` "skipped: reference data not found".

The package's modules: :mod:`.report` (severities, :data:`CHECKS`, the
report), :mod:`.checks` and :mod:`.xrefs` (the SPARQL checks),
:mod:`.shacl` and :mod:`.reasoner`.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDFS, SKOS

from .. import stores
from ..core import GraphCore
from ..errors import MBCGraphError
from ..namespaces import MBC, RELATION_GRAPH
from ..stores.filling import default_store, fill
from .checks import (INFRASTRUCTURE, check_claims, check_header, check_inherited, check_structure, check_texts,
                     entity_kinds)
from .reasoner import ReasonerResult, check_reasoner, reason
from .report import CHECKS, MAX_INHERITING_SUBCLASSES, Findings, Report, Severity, Violation
from .shacl import bundled_shapes, check_shacl
from .xrefs import XREF_PREFIXES, check_xrefs, default_reference_dir, load_reference

__all__ = [
    "CHECKS", "INFRASTRUCTURE", "MAX_INHERITING_SUBCLASSES", "Report", "ReasonerResult", "Severity", "Violation",
    "XREF_PREFIXES", "bundled_shapes", "default_reference_dir", "load_reference", "reason", "validate",
]


def validate(kg: GraphCore | str | Path, *, reference_dir: str | Path | None = None, shacl: bool = True,
             shapes: str | Path | None = None, reasoner: bool = False) -> Report:
    """Check a knowledge graph against the ontology conventions.

    Runs the checks of :data:`CHECKS` (SPARQL through ``kg.query``), the
    SHACL shapes, and optionally HermiT. Everything loaded is checked except
    the materialized relation graph, which is derived from the ontology.

    Parameters
    ----------
    kg : KnowledgeGraph or path
        A loaded graph, or the path of an ontology file to load.
    reference_dir : path, optional
        The folder of reference ``*.tsv`` files for the cross-reference
        checks. By default ``../shared/reference`` beside a source checkout;
        when that is absent the checks are reported as skipped (``INFO``).
        A folder given here must exist.
    shacl : bool
        Run the SHACL shapes (needs pySHACL, the ``validate`` extra).
    shapes : path, optional
        Another shapes file instead of the bundled ``shapes.ttl``.
    reasoner : bool
        Also classify with HermiT (needs owlready2 and Java; a few seconds).

    Returns
    -------
    Report
        ``report.ok`` is true when no check found an ``ERROR``.

    Raises
    ------
    MissingDependency
        When ``shacl`` (or ``reasoner``) is asked for and pySHACL (or
        owlready2) is not installed.
    FileNotFoundError
        When ``reference_dir`` is given and is not a directory.

    See Also
    --------
    mbc_graph.KnowledgeGraph.validate : the same, as a method.

    Examples
    --------
    >>> report = validate(kg)
    >>> report.ok, report.count("ERROR")
    (True, 0)
    >>> "missing_label" in report.checks and "shacl:ClaimStatus" in report.checks
    True
    >>> print(report.to_text().splitlines()[0])  # doctest: +ELLIPSIS
    0 errors, ...
    """
    if isinstance(kg, (str, Path)):
        kg = _graph_of_file(Path(kg))
    explicit = reference_dir is not None
    folder = Path(reference_dir) if reference_dir is not None else default_reference_dir()
    found = Findings()
    entities = entity_kinds(kg)
    data = _ontology_graph(kg)
    check_header(kg, found)
    check_texts(kg, found, entities)
    check_structure(kg, found, entities, data)
    check_claims(kg, found)
    check_inherited(kg, found)
    check_xrefs(kg, found, entities, folder, explicit)
    if reasoner:
        check_reasoner(data, found)
    if shacl:  # last: pySHACL works on `data` in place
        check_shacl(data, Path(shapes) if shapes else bundled_shapes(), found)
    return Report(found.violations, found.checks)


def _graph_of_file(path: Path) -> GraphCore:
    """The ontology file ``path``, alone, in the default store (as ``load(ontology=path)`` would load it)."""
    if not path.is_file():
        raise MBCGraphError(f"Ontology not found: {path}")
    backend = stores.get(default_store())()
    fill(backend, [path])
    return GraphCore(backend, [path])


def _ontology_graph(kg: GraphCore) -> Graph:
    """The asserted data (every graph but the materialized relation graph) as one rdflib Graph."""
    data = Graph()
    for prefix, namespace in (("mbc", MBC), ("owl", OWL), ("rdfs", RDFS), ("skos", SKOS)):
        data.bind(prefix, namespace)
    for s, p, o, g in kg.store.quads():
        if g != RELATION_GRAPH:
            data.add((s, p, o))
    return data

