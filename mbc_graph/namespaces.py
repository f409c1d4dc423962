"""IRIs and prefixes shared by the package, its queries and its files.

The prefixes are plain strings. The rdflib terms (``MBC``, ``OBOINOWL`` and
the graph names) are made on first use, so a command that needs no RDF, such
as a search answered from the cache, does not pay for importing rdflib.

>>> from rdflib.namespace import RDF, SKOS
>>> PREFIXES["rdf"] == str(RDF) and PREFIXES["skos"] == str(SKOS)
True
>>> MBC.BoneMetastasis
rdflib.term.URIRef('https://w3id.org/mbc-graph/BoneMetastasis')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

#: The base IRI of a query that declares none and is given no ``base=``: relative
#: IRIs (``<a>``) resolve against it on every store alike.
QUERY_BASE = "https://w3id.org/mbc-graph/query/"

#: Prefixes predeclared in every query run through ``kg.query``.
PREFIXES: dict[str, str] = {
    "mbc": "https://w3id.org/mbc-graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "obo": "http://purl.obolibrary.org/obo/",
}

if TYPE_CHECKING:  # made by __getattr__ below
    from rdflib import Namespace, URIRef

    MBC: Namespace
    OBOINOWL: Namespace
    #: Named graph holding the bundled ontology.
    ONTOLOGY_GRAPH: URIRef
    #: Named graph holding the materialized relation graph (one triple per edge).
    RELATION_GRAPH: URIRef


_TERMS = ("MBC", "OBOINOWL", "ONTOLOGY_GRAPH", "RELATION_GRAPH")


def __getattr__(name: str):
    if name not in _TERMS:  # before importing rdflib: the import system asks for __path__ and the like
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace, URIRef

    terms = {
        "MBC": Namespace(PREFIXES["mbc"]),
        "OBOINOWL": Namespace(PREFIXES["oboInOwl"]),
        "ONTOLOGY_GRAPH": URIRef(PREFIXES["mbc"] + "graph/ontology"),
        "RELATION_GRAPH": URIRef(PREFIXES["mbc"] + "graph/relations"),
    }
    globals().update(terms)
    return terms[name]


def curie(iri: str) -> str:
    """Shorten an IRI with the known prefixes, or return it unchanged.

    >>> curie("https://w3id.org/mbc-graph/BoneMetastasis")
    'mbc:BoneMetastasis'
    """
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and "/" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return iri
