"""Any SPARQL 1.1 server as the store, over the SPARQL 1.1 Protocol.

The data gets there with :func:`mbc_graph.publish.publish`, which writes
each file to its own named graph and lists them in the graph
:data:`PUBLISHED_GRAPH`. The store reads that list once, then names those
graphs in every request (``default-graph-uri`` for the union that queries
see as their default graph, ``named-graph-uri`` for ``GRAPH ?g``), so the
answers do not depend on what the server's own default graph holds, and a
server's system graphs are never seen.

Blank nodes were published as skolem IRIs under :data:`SKOLEM_PREFIX`
(SPARQL Update cannot address a blank node again). The store turns them
back into blank nodes in results, and the tests ``isIRI``/``isURI``/
``isBlank`` in a query are rewritten to treat them as blank nodes, so the
answers are those of the embedded stores. Virtuoso's own ``nodeID://``
IRIs are read as blank nodes too.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ..errors import MBCGraphError, MissingDependency, QueryFailed, RemoteStoreError
from ..namespaces import MBC, ONTOLOGY_GRAPH, RELATION_GRAPH
from .base import QueryOutcome, Store, Triple
from ..query_text import query_form as _form
from ..query_text import tokens as _tokens
from ..terms import present as _term
from .oxigraph import bind

try:
    import httpx
except ImportError:  # pragma: no cover
    raise MissingDependency("httpx", "sparql", "A SPARQL server as the store") from None

#: The graph listing what was published: ``<PUBLISHED_GRAPH> dcterms:hasPart <graph>``.
PUBLISHED_GRAPH = URIRef(str(MBC) + "graph/published")
#: Blank nodes are published as IRIs starting with this (RDF 1.1's ``/.well-known/genid/``).
SKOLEM_PREFIX = str(MBC) + ".well-known/genid/"
_VIRTUOSO_BLANK = "nodeID://"
_XSD_STRING = str(XSD.string)
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_BLANK_TESTS = {"ISIRI": "(isIRI({0}) && !STRSTARTS(STR({0}), {1}))",
                "ISURI": "(isIRI({0}) && !STRSTARTS(STR({0}), {1}))",
                "ISBLANK": "(isBlank({0}) || STRSTARTS(STR({0}), {1}))"}
AuthSpec = tuple[str, str] | httpx.Auth | None


class _Credentials(httpx.Auth):
    """A user name and password, sent as the server asks: Digest (Virtuoso's /sparql-auth) or Basic."""

    def __init__(self, user: str, password: str) -> None:
        self.schemes = {"digest": httpx.DigestAuth(user, password), "basic": httpx.BasicAuth(user, password)}
        self.scheme: str | None = None  # the server's, once it asked

    def auth_flow(self, request):
        if self.scheme is not None:  # answer up front, not after a 401 every time
            yield from self.schemes[self.scheme].auth_flow(request)
            return
        response = yield request
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code == 401 and challenge in self.schemes:
            self.scheme = challenge
            flow = self.schemes[challenge].auth_flow(request)
            sent = next(flow)
            if challenge == "digest":  # Digest answers the challenge of the response
                sent = flow.send(response)
            yield sent


def client(auth: AuthSpec, timeout: float) -> httpx.Client:
    """An HTTP client for a SPARQL server; ``auth`` is ``(user, password)`` or an :class:`httpx.Auth`."""
    if isinstance(auth, tuple):
        auth = _Credentials(*auth)
    return httpx.Client(auth=auth, timeout=timeout, follow_redirects=False)


def call(http: httpx.Client, method: str, url: str, **options) -> httpx.Response:
    """Send a request; any failure to get a 2xx answer is a :class:`RemoteStoreError` naming ``url``,
    except that a query the server rejects (HTTP 400) is a :class:`QueryFailed`."""
    try:
        response = http.request(method, url, **options)
    except httpx.TimeoutException:
        given = options.get("timeout")
        seconds = given if isinstance(given, (int, float)) else http.timeout.read
        raise RemoteStoreError(f"The SPARQL server {url} did not answer within {seconds} s.") from None
    except httpx.HTTPError as exc:
        raise RemoteStoreError(f"Cannot reach the SPARQL server {url}: {exc}") from None
    if response.status_code in (401, 403):
        raise RemoteStoreError(f"The SPARQL server {url} refused the credentials (HTTP {response.status_code}).")
    if response.status_code >= 300:
        body = " ".join(response.text.split())[:300]
        if response.status_code == 400:
            raise QueryFailed(f"The SPARQL server {url} could not run the request: {body}")
        raise RemoteStoreError(f"The SPARQL server {url} answered HTTP {response.status_code}: {body}")
    return response


def skolem_aware(query: str) -> str:
    """``query`` with ``isIRI``/``isURI``/``isBlank`` treating published blank nodes as blank.

    >>> print(skolem_aware("SELECT ?c WHERE { ?c ?p ?o FILTER(isIRI(?c)) }"))  # doctest: +ELLIPSIS
    SELECT ?c WHERE { ?c ?p ?o FILTER((isIRI(?c) && !STRSTARTS(STR(?c), "https://w3id.org/mbc-graph/.well-known/genid/"))) }
    """
    calls: list[tuple[int, int, int, str]] = []  # (name at, "(" at, ")" at, test)
    opened: list[tuple[str | None, int, int]] = []
    test: tuple[str, int] | None = None
    for token, at in _tokens(query):
        if token == "(":
            opened.append((test[0] if test else None, test[1] if test else at, at))
        elif token == ")" and opened:
            name, start, paren = opened.pop()
            if name:
                calls.append((start, paren, at, name))
        test = (token, at) if token in _BLANK_TESTS else None
    prefix = json.dumps(SKOLEM_PREFIX)
    for start, paren, end, name in sorted(calls, reverse=True):  # inner and later calls first
        replacement = _BLANK_TESTS[name].format(query[paren + 1:end], prefix)
        query = query[:start] + replacement + query[end + 1:]
    return query


def to_rdflib(term: dict[str, Any]) -> Node:
    """An RDF term of SPARQL JSON results as rdflib, published blank nodes as blank nodes."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        if value.startswith(SKOLEM_PREFIX):
            return BNode(value[len(SKOLEM_PREFIX):])
        if value.startswith(_VIRTUOSO_BLANK):
            return BNode(value[len(_VIRTUOSO_BLANK):])
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix(_VIRTUOSO_BLANK))
    if "xml:lang" in term:
        return Literal(value, lang=term["xml:lang"])
    datatype = term.get("datatype") or _XSD_STRING
    return Literal(value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def _ox_to_rdflib(term) -> Node:
    """A pyoxigraph term of an N-Triples answer as rdflib, published blank nodes as blank nodes."""
    if isinstance(term, ox.NamedNode):
        return to_rdflib({"type": "uri", "value": term.value})
    return _term(term)


# A query's own deadline (``kg.query(..., timeout=)``), for the requests made while it runs.
_DEADLINE: ContextVar[float | None] = ContextVar("sparql_deadline", default=None)


@contextmanager
def request_timeout(seconds: float | None) -> Iterator[None]:
    """Within the block, requests to any SPARQL server wait at most ``seconds`` (None: the store's own)."""
    token = _DEADLINE.set(seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class SparqlStore(Store):
    """The graphs published to a SPARQL 1.1 server, queried over HTTP.

    Parameters
    ----------
    endpoint : str
        The query endpoint (``http://host:7878/query``, ``http://host:8890/sparql``).
    update_endpoint : str, optional
        The update endpoint, kept for publishing; queries never use it.
    auth : (user, password) or httpx.Auth, optional
        Credentials, sent as the server asks (Digest or Basic).
    timeout : float
        Seconds to wait for an answer.
    """

    name = "sparql"
    remote = True

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, auth: AuthSpec = None,
                 timeout: float = 60.0) -> None:
        self.endpoint, self.update_endpoint = endpoint, update_endpoint
        self.http = client(auth, timeout)
        self._virtuoso_cap: int | None = None  # Virtuoso's ResultSetMaxRows, once a graph answer needed it
        listed = self._select(f"SELECT ?g ?source WHERE {{ <{PUBLISHED_GRAPH}> <http://purl.org/dc/terms/hasPart> ?g "
                              "OPTIONAL { ?g <http://purl.org/dc/terms/source> ?source } }", [PUBLISHED_GRAPH])
        if not listed:
            raise RemoteStoreError(f"Nothing was published to the SPARQL server {endpoint}: "
                                   "run mbc-graph publish first.")
        self.graphs = sorted(str(g) for g, _ in listed)
        sources = dict(listed)
        #: The files published, the ontology's first (as ``KnowledgeGraph.sources``).
        self.sources = [Path(str(sources[ONTOLOGY_GRAPH]))] if sources.get(ONTOLOGY_GRAPH) else []
        self.sources += sorted(Path(str(source)) for g, source in listed
                               if source is not None and g not in (ONTOLOGY_GRAPH, RELATION_GRAPH))

    # -- reading -------------------------------------------------------------------------------------
    def _request(self, query: str, graphs: Iterable[str | URIRef]) -> httpx.Response:
        names = [str(g) for g in graphs]
        form = {"query": query, "default-graph-uri": names, "named-graph-uri": names}
        graph_form = _form(query) in ("CONSTRUCT", "DESCRIBE")  # Virtuoso answers them in JSON if allowed
        response = call(self.http, "POST", self.endpoint, data=form, timeout=_DEADLINE.get() or self.http.timeout.read,
                        headers={"Accept": _NTRIPLES if graph_form else _RESULTS_JSON})
        cap = response.headers.get("x-sparql-maxrows")
        if cap is not None:  # Virtuoso says so when it cut a SELECT's result at ResultSetMaxRows rows
            raise self._cut(f"cut the result at {cap} rows")
        return response

    def _cut(self, what: str) -> RemoteStoreError:
        return RemoteStoreError(f"The SPARQL server {self.endpoint} {what} (Virtuoso's ResultSetMaxRows): "
                                "raise that limit, or add LIMIT to the query.")

    def _check_graph_answer(self, response: httpx.Response, triples: int) -> None:
        """Refuse a CONSTRUCT or DESCRIBE answer that Virtuoso may have cut.

        Virtuoso cuts those at ``ResultSetMaxRows`` too, but silently (no
        ``X-SPARQL-MaxRows``): an answer of at least that many triples may
        be incomplete. The limit is read from the server once.
        """
        if triples == 0 or not response.headers.get("server", "").startswith("Virtuoso/"):
            return
        if self._virtuoso_cap is None:
            query = "SELECT (bif:cfg_item_value(bif:virtuoso_ini_path(), 'SPARQL', 'ResultSetMaxRows') AS ?cap) {}"
            try:
                [(cap,)] = self._select(query, [])
                self._virtuoso_cap = int(cap) if cap is not None and int(cap) > 0 else 0  # 0: no limit
            except (MBCGraphError, ValueError) as exc:
                raise RemoteStoreError(f"The SPARQL server {self.endpoint} may cut graph answers at its "
                                       f"ResultSetMaxRows, which could not be read: {exc}") from None
        if 0 < self._virtuoso_cap <= triples:
            raise self._cut(f"answered {triples} triples, which may have been cut at {self._virtuoso_cap}")

    def _select(self, query: str, graphs: Iterable[str | URIRef]) -> list[tuple]:
        outcome = self._outcome(self._request(query, graphs))
        return [tuple(row) for row in outcome.rows]

    def _outcome(self, response: httpx.Response) -> QueryOutcome:
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media in (_RESULTS_JSON, "application/json"):
            try:
                return self._results(response.json())
            except (ValueError, KeyError, TypeError) as exc:
                raise RemoteStoreError(f"The SPARQL server {self.endpoint} answered results that do not read "
                                       f"as SPARQL JSON: {exc!r}") from None
        try:
            parsed = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
            triples = [(_ox_to_rdflib(t.subject), _ox_to_rdflib(t.predicate), _ox_to_rdflib(t.object))
                       for t in parsed]
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(f"The SPARQL server {self.endpoint} answered {media!r} that does not read "
                                   f"as N-Triples: {exc}") from None
        self._check_graph_answer(response, len(triples))
        return QueryOutcome("CONSTRUCT", triples=triples)

    @staticmethod
    def _results(data: dict) -> QueryOutcome:
        if "boolean" in data:
            return QueryOutcome("ASK", boolean=bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        if variables == ["__ASK_RETVAL"]:  # Virtuoso answers ASK with a row holding 1 or 0
            return QueryOutcome("ASK", boolean=any(b["__ASK_RETVAL"]["value"] != "0"
                                                   for b in data["results"]["bindings"]))
        rows = [tuple(to_rdflib(b[v]) if v in b else None for v in variables)
                for b in data["results"]["bindings"]]
        return QueryOutcome("SELECT", variables, rows=rows)

    def execute(self, query: str, bindings: dict[str, Identifier], prefixes: dict[str, str],
                base: str | None = None) -> QueryOutcome:
        # The base is checked as an IRI (pyoxigraph refuses one that could close the brackets);
        # the query's own BASE, if any, comes later and wins.
        prologue = f"BASE {ox.NamedNode(base)}\n" if base is not None else ""
        prologue += "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
        text = prologue + skolem_aware(bind(query, bindings))
        return self._outcome(self._request(text, self.graphs))

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        rows = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", self.graphs)
        for s, p, o, g in rows:
            yield s, p, o, g

    def __len__(self) -> int:
        [(count,)] = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", self.graphs)
        return int(count)

    def rdflib_graph(self) -> Graph:
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o, _ in self.quads())
        return graph

    # -- writing happens through publish ------------------------------------------------------------
    def parse(self, path: Path, graph: URIRef) -> None:
        raise MBCGraphError("A SPARQL server is written with mbc-graph publish (kg.publish), not loaded into.")

    def add(self, triples: Iterable[Triple], graph: URIRef) -> None:
        self.parse(Path(), graph)
