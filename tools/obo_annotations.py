"""OBO annotations for the built ontology, beside the SKOS ones (called by build_ontology.py).

OBO tools (ROBOT, the Ontology Access Kit, pronto) read a definition from
``IAO:0000115`` and synonyms from ``oboInOwl:has{Exact,Broad,Narrow,Related}Synonym``;
the SKOS properties stay for SKOS tools and for the library.

A synonym's scope comes from the reference data, never from a guess:

* **exact**: it is (up to case and punctuation) the label or an exact
  synonym of a reference term the class maps to with ``skos:exactMatch``;
* **broad** / **narrow**: it is the label or an exact synonym of a term the
  class maps to with ``skos:broadMatch`` / ``skos:narrowMatch`` (it names
  the broader / narrower term);
* **related**: every other synonym, and the patient-friendly label.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from mbc_graph.search import normalize

OBO = "http://purl.obolibrary.org/obo/"
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
MBC = Namespace("https://w3id.org/mbc-graph/")
DEFINITION = URIRef(OBO + "IAO_0000115")
SYNONYM = {scope: OBOINOWL[f"has{scope.capitalize()}Synonym"] for scope in ("exact", "broad", "narrow", "related")}
_SCOPE_OF_MATCH = {SKOS.exactMatch: "exact", SKOS.broadMatch: "broad", SKOS.narrowMatch: "narrow"}

#: The ontology's IRI, the same for every release and format (owlready2 names
#: its classes ``onto.X`` only when the IRI ends with the namespace's ``/``).
ONTOLOGY_IRI = str(MBC)


def version_iri(version: str) -> str:
    """The IRI of one release of the ontology.

    >>> version_iri("0.2.0")
    'https://w3id.org/mbc-graph/releases/0.2.0/'
    """
    return f"{ONTOLOGY_IRI}releases/{version}/"


def synonym_scope(names_by_match: dict[str, set[str]], synonym: str) -> str:
    """``"exact"``, ``"broad"``, ``"narrow"`` or ``"related"`` (see the module notes).

    ``names_by_match`` maps a scope to the normalised names of the reference
    terms mapped with that match.

    >>> synonym_scope({"exact": {"mammary cancer"}}, "Mammary cancer")
    'exact'
    >>> synonym_scope({"exact": {"mammary cancer"}}, "breast tumour")
    'related'
    """
    key = normalize(synonym)
    for scope in ("exact", "broad", "narrow"):
        if key in names_by_match.get(scope, set()):
            return scope
    return "related"


def _reference_names(row: dict) -> set[str]:
    names = [row.get("label", ""), *(row.get("exact_synonyms") or "").split("|")]
    return {normalize(name) for name in names if name.strip()}


def annotate(graph: Graph, reference: dict[str, dict], xref_iri: dict[str, str]) -> None:
    """Add IAO definitions and scoped oboInOwl synonyms to every described entity of ``graph``.

    ``reference`` holds the reference rows by CURIE; ``xref_iri`` maps a
    CURIE prefix to the IRI base its terms have in ``graph``.
    """
    for prop in (DEFINITION, *SYNONYM.values()):
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
    graph.add((DEFINITION, RDFS.label, Literal("definition", lang="en")))
    for node, definition in list(graph.subject_objects(SKOS.definition)):
        graph.add((node, DEFINITION, definition))
    for node in set(graph.subjects(SKOS.altLabel)) | set(graph.subjects(MBC.patientLabel)):
        names_by_match: dict[str, set[str]] = {}
        for predicate, scope in _SCOPE_OF_MATCH.items():
            for target in graph.objects(node, predicate):
                row = reference.get(_curie(str(target), xref_iri) or "")
                if row:
                    names_by_match.setdefault(scope, set()).update(_reference_names(row))
        for synonym in list(graph.objects(node, SKOS.altLabel)):
            graph.add((node, SYNONYM[synonym_scope(names_by_match, str(synonym))], synonym))
        for everyday in list(graph.objects(node, MBC.patientLabel)):
            graph.add((node, SYNONYM["related"], everyday))


def _curie(iri: str, xref_iri: dict[str, str]) -> str | None:
    for prefix, base in xref_iri.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return None
