"""Clinical codes derived through exact mappings (called by build_ontology.py).

A class mapped with ``skos:exactMatch`` to a DOID or MONDO term gets the
codes that term's row in ../shared/reference lists (ICD-10-CM, SNOMED CT,
UMLS, NCIt, MeSH...) as *derived* codes: ``mbc:derivedXref``, kept apart
from the direct mappings and never an ``exactMatch``, each with an axiom
annotation ``mbc:derivedVia`` naming the DOID/MONDO term it came through.
Prefixes are normalised to the Bioregistry's (``SNOMEDCT_US_2025_09_01``
and ``SCTID`` both become ``snomedct``; ``UMLS_CUI`` and ``UMLS``, ``umls``;
``NCI`` and ``NCIT``, ``NCIT``).
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

MBC = Namespace("https://w3id.org/mbc-graph/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
#: The reference files whose rows' codes are followed, by the prefix of their ids.
VIA = ("DOID", "MONDO")
PROPERTIES = {
    "derivedXref": ("derived cross-reference",
                    "A code (ICD-10-CM, SNOMED CT, UMLS...) listed by a DOID or MONDO term the class maps to "
                    "exactly; derived by chaining, not asserted as the same concept."),
    "derivedVia": ("derived via", "The DOID or MONDO term a derived cross-reference was taken from."),
}


def normalize_code(curie: str) -> str | None:
    """The Bioregistry form of a CURIE written by DOID or MONDO, or None for a prefix it does not know.

    The prefix is the Bioregistry's preferred one where it has one (``NCIT``,
    ``EFO``, ``ORPHA``), else its normalised one (``icd10cm``, ``snomedct``).

    >>> normalize_code("SNOMEDCT_US_2025_09_01:254837009"), normalize_code("SCTID:254837009")
    ('snomedct:254837009', 'snomedct:254837009')
    >>> normalize_code("UMLS_CUI:C0006142")
    'umls:C0006142'
    """
    import bioregistry

    prefix, identifier = bioregistry.normalize_parsed_curie(*curie.split(":", 1))
    if prefix is None or identifier is None:
        return None
    return f"{bioregistry.get_preferred_prefix(prefix) or prefix}:{identifier}"


def derived_codes(graph: Graph, reference: dict[str, dict], xref_iri: dict[str, str]) -> list[tuple[URIRef, str, str, str]]:
    """``(class, code, via CURIE, code as written)`` for every code of an exactly mapped DOID/MONDO term.

    Codes the class is mapped to directly are left out.
    """
    found = set()
    for node, target in graph.subject_objects(SKOS.exactMatch):
        direct = {normalize_code(str(x)) for x in graph.objects(node, OBOINOWL.hasDbXref)}  # not derived again
        for prefix in VIA:
            base = xref_iri[prefix]
            if not str(target).startswith(base):
                continue
            via = f"{prefix}:{str(target)[len(base):]}"
            for written in filter(None, (reference.get(via) or {}).get("xrefs", "").split("|")):
                code = normalize_code(written)
                if code and code not in direct:
                    found.add((node, code, via, written))
    return sorted(found)


def add_derived_codes(graph: Graph, reference: dict[str, dict], xref_iri: dict[str, str]) -> None:
    """Write each derived code with its provenance into ``graph`` (see the module notes)."""
    for local, (label, definition) in PROPERTIES.items():
        graph.add((MBC[local], RDF.type, OWL.AnnotationProperty))
        graph.add((MBC[local], RDFS.label, Literal(label, lang="en")))
        for prop in (SKOS.definition, IAO_DEFINITION):
            graph.add((MBC[local], prop, Literal(definition, lang="en")))
    for node, code, via, _ in derived_codes(graph, reference, xref_iri):
        graph.add((node, MBC.derivedXref, Literal(code)))
        axiom = BNode("d" + hashlib.sha1(f"{node}\x1f{code}\x1f{via}".encode()).hexdigest()[:12])
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, node))
        graph.add((axiom, OWL.annotatedProperty, MBC.derivedXref))
        graph.add((axiom, OWL.annotatedTarget, Literal(code)))
        graph.add((axiom, MBC.derivedVia, Literal(via)))
