"""``/sparql``: the SPARQL 1.1 Protocol, read-only, every query in a bounded worker.

GET with ``query=``, POST form-encoded and POST ``application/sparql-query``;
a plain GET answers the SPARQL 1.1 Service Description. The text is checked
here, in the server process (:func:`~mbc_graph.queries.check_query`, cached
per text), so a syntax error or an update is answered without waking a
worker; the worker then runs it under the deadline and memory budget.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import Response

from ..errors import ForbiddenQuery
from ..namespaces import PREFIXES
from ..queries import check_query
from .errors import RequestRejected
from .negotiation import choose_format
from .notices import LICENSE, notice_headers
from .settings import NOTICE

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: The media type each worker format is served as.
MEDIA_TYPES = {
    ("result", "json"): "application/sparql-results+json", ("result", "xml"): "application/sparql-results+xml",
    ("result", "csv"): "text/csv; charset=utf-8", ("result", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "ttl"): "text/turtle; charset=utf-8", ("graph", "nt"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml", ("graph", "jsonld"): "application/ld+json",
}
_RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "xml": "xml", "jsonld": "json-ld"}
_FORMAT_PARAMETERS = ("format", "output", "results")


async def query_text(request: Request, max_chars: int) -> tuple[str | None, list[str]]:
    """The query of a protocol request (None for a plain GET) and its ``format=`` words."""
    params = request.query_params
    fields: ImmutableMultiDict
    if request.method == "GET":
        fields = params
    else:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-query":
            try:
                body = (await request.body()).decode("utf-8")
            except UnicodeDecodeError:
                raise RequestRejected(400, "The query is not UTF-8 text.") from None
            return _checked_length(body, max_chars), _format_words(params)
        if media == "application/sparql-update":
            raise ForbiddenQuery("Updates are not allowed: this endpoint is read-only.")
        if media not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            raise RequestRejected(415, "POST a query as application/x-www-form-urlencoded (query=...) or as "
                                       f"application/sparql-query, not {media or 'no content type'}.")
        fields = await request.form(max_files=0, max_fields=64)
    if "update" in fields:
        raise ForbiddenQuery("Updates are not allowed: this endpoint is read-only.")
    if "default-graph-uri" in fields or "named-graph-uri" in fields or "using-graph-uri" in fields:
        raise RequestRejected(400, "default-graph-uri and named-graph-uri are not supported: the dataset is "
                                   "fixed (the ontology, the relation graph and the loaded files).")
    text = fields.get("query")
    if text is not None and not isinstance(text, str):
        raise RequestRejected(400, "query must be a form field, not a file.")
    return (None if text is None else _checked_length(text, max_chars)), _format_words(params, fields)


def _format_words(*sources) -> list[str]:
    return [str(value) for source in sources for name in _FORMAT_PARAMETERS for value in source.getlist(name)]


def _checked_length(text: str, max_chars: int) -> str:
    if len(text) > max_chars:
        raise RequestRejected(413, f"The query has {len(text)} characters; at most {max_chars} are accepted.")
    return text


async def sparql_endpoint(request: Request) -> Response:
    """Answer one SPARQL Protocol request (see the module docstring)."""
    app = request.app.state
    text, formats = await query_text(request, app.settings.max_query_chars)
    if text is None:
        return service_description(request, formats)
    kind = await run_in_threadpool(check_query, text)  # 400 (line, column) or 403 before a worker is busy
    fmt = choose_format(kind, request.headers.get("accept"), formats)
    body, _ = await run_in_threadpool(app.workers.run, text, timeout=app.settings.timeout,
                                      max_memory=app.settings.max_memory, result_format=fmt)
    media = MEDIA_TYPES["graph" if kind in ("CONSTRUCT", "DESCRIBE") else "result", fmt]
    return Response(body, media_type=media, headers=notice_headers())


def service_description(request: Request, formats: list[str]) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the RDF syntax asked for."""
    fmt = choose_format("DESCRIBE", request.headers.get("accept"), formats)
    graph = description_graph(str(request.url_for("sparql")), request.app.state.triples)
    return Response(graph.serialize(format=_RDFLIB_NAMES[fmt]), media_type=MEDIA_TYPES["graph", fmt],
                    headers=notice_headers())


def description_graph(endpoint: str, triples: int) -> Graph:
    """The service description as an rdflib graph.

    >>> g = description_graph("http://127.0.0.1:8000/sparql", 10)
    >>> (URIRef("http://127.0.0.1:8000/sparql"), SD.supportedLanguage, SD.SPARQL11Query) in g
    True
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("dcterms", DCTERMS)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, URIRef("http://rdfs.org/ns/void#triples"), Literal(triples)))
    g.add((service, DCTERMS.license, URIRef(LICENSE)))
    g.add((service, DCTERMS.rights, Literal(NOTICE, lang="en")))
    g.add((service, RDFS.comment, Literal(
        "Read-only: updates, SERVICE and FROM are refused. Predeclared prefixes: "
        + ", ".join(f"{p}: <{iri}>" for p, iri in PREFIXES.items()), lang="en")))
    return g

