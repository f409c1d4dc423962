"""IRIs and prefixes shared by the package, its queries and its files."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

MBC = Namespace("https://w3id.org/mbc-graph/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")

#: Named graph holding the bundled ontology.
ONTOLOGY_GRAPH = URIRef("https://w3id.org/mbc-graph/graph/ontology")
#: Named graph holding the materialized relation graph (one triple per edge).
RELATION_GRAPH = URIRef("https://w3id.org/mbc-graph/graph/relations")

#: The base IRI of a query that declares none and is given no ``base=``: relative
#: IRIs (``<a>``) resolve against it on every store alike.
QUERY_BASE = "https://w3id.org/mbc-graph/query/"

#: Prefixes predeclared in every query run through ``kg.query``.
PREFIXES: dict[str, str] = {
    "mbc": str(MBC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "oboInOwl": str(OBOINOWL),
    "obo": "http://purl.obolibrary.org/obo/",
}


def curie(iri: str) -> str:
    """Shorten an IRI with the known prefixes, or return it unchanged.

    >>> curie("https://w3id.org/mbc-graph/BoneMetastasis")
    'mbc:BoneMetastasis'
    """
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and "/" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return iri
