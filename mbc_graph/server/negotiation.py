"""Which serialization a SPARQL client gets: the Accept header, then ``format=``.

Results of SELECT and ASK come as SPARQL JSON (the default), XML, CSV or
TSV; graphs of CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples,
RDF/XML or JSON-LD. The names are those of :meth:`QueryWorkers.run`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import RequestRejected

#: media type -> worker format, for SELECT and ASK.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}

#: media type -> worker format, for CONSTRUCT and DESCRIBE.
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",  # Turtle is N3; SPARQLWrapper's N3 asks for this
    "text/rdf+n3": "ttl",
    "application/rdf+n3": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/x-json+ld": "jsonld",
}

#: ``format=`` / ``output=`` / ``results=`` words (as SPARQLWrapper and Virtuoso use them).
FORMAT_WORDS = {
    "json": ("json", "jsonld"), "xml": ("xml", "xml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "ttl"), "ttl": (None, "ttl"), "n3": (None, "ttl"), "nt": (None, "nt"),
    "ntriples": (None, "nt"), "n-triples": (None, "nt"), "rdf+xml": (None, "xml"), "rdfxml": (None, "xml"),
    "json-ld": (None, "jsonld"), "jsonld": (None, "jsonld"),
}


class NotAcceptable(RequestRejected):
    """No serialization the client accepts exists for this kind of query (406)."""

    def __init__(self, message: str) -> None:
        super().__init__(406, message)


def _accepted(header: str) -> list[str]:
    """Media types of an Accept header, best first (by q, then order).

    >>> _accepted("text/csv;q=0.5, application/sparql-results+json")
    ['application/sparql-results+json', 'text/csv']
    """
    ranked = []
    for position, item in enumerate(header.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, position, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def choose_format(kind: str, accept: str | None, formats: Sequence[str] = ()) -> str:
    """The worker format for a query of ``kind``: ``format=`` words first, then Accept.

    >>> choose_format("SELECT", "application/sparql-results+xml")
    'xml'
    >>> choose_format("CONSTRUCT", "*/*")
    'ttl'
    >>> choose_format("SELECT", "text/html", ["csv"])
    'csv'
    """
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    for word in formats:
        chosen = FORMAT_WORDS.get(word.strip().lower()) or ((None, GRAPH_TYPES.get(word)) if graph else
                                                             (RESULT_TYPES.get(word), None))
        value = chosen[graph] if chosen else None
        if value:
            return value
    table = GRAPH_TYPES if graph else RESULT_TYPES
    ranked = _accepted(accept or "*/*")
    for media in ranked:
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return "ttl" if graph else "json"
    if any(m.startswith("text/html") for m in ranked):  # a browser following a link
        return "ttl" if graph else "json"
    raise NotAcceptable(f"No {kind} result in the types accepted ({accept}); available: {', '.join(sorted(table))}")
