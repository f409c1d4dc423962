"""Publish a loaded graph to a SPARQL 1.1 server, for ``load(store="sparql", ...)``.

Each graph of the store (the ontology, its relation graph and each of the
user's files) goes to its own named graph and replaces it as a whole, so
publishing twice leaves one copy: through SPARQL 1.1 Update (``DROP
SILENT GRAPH``, then ``INSERT DATA`` in batches), or through the Graph
Store Protocol (one ``PUT`` per graph) where the server has one. Blank
nodes are skolemized first (SPARQL Update cannot name a blank node twice,
and Virtuoso's ``INSERT DATA`` refuses them). Last, the list of published
graphs is written to :data:`~mbc_graph.stores.sparql.PUBLISHED_GRAPH`,
which :class:`~mbc_graph.stores.sparql.SparqlStore` reads.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import URIRef

from .errors import MBCGraphError
from .namespaces import ONTOLOGY_GRAPH, RELATION_GRAPH
from .stores.oxigraph import OxigraphStore
from .terms import to_oxigraph
from .stores.sparql import PUBLISHED_GRAPH, SKOLEM_PREFIX, AuthSpec, call, client

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore

_HAS_PART = "<http://purl.org/dc/terms/hasPart>"
_GRAPH_STORE_BATCH = 100_000  # triples per Graph Store Protocol request
_SOURCE = "<http://purl.org/dc/terms/source>"


@dataclass(frozen=True)
class Published:
    """One graph written: its IRI, where it came from, and how many triples."""

    graph: str
    source: str
    triples: int


def _stderr(message: str) -> None:
    print(f"mbc-graph: {message}", file=sys.stderr)


def publish(kg: GraphCore, *, update_endpoint: str | None = None, graph_store: str | None = None,
            auth: AuthSpec = None, batch_size: int = 1000, timeout: float = 300.0,
            say: Callable[[str], None] = _stderr) -> list[Published]:
    """Write every graph of ``kg`` to a SPARQL server, each replacing its named graph.

    Parameters
    ----------
    kg : KnowledgeGraph
        A graph loaded into an embedded or on-disk store.
    update_endpoint : str, optional
        The server's SPARQL 1.1 Update endpoint.
    graph_store : str, optional
        The server's Graph Store Protocol endpoint, used instead when given.
    auth : (user, password) or httpx.Auth, optional
        Credentials, sent as the server asks (Digest or Basic).
    batch_size : int
        Triples per ``INSERT DATA`` request.
    timeout : float
        Seconds to wait for each request.
    say : callable
        Receives what is about to happen and what was written, one line at a
        time (by default written to stderr): first a warning when the user's
        own files, which may hold patient data, are about to be copied.

    Returns
    -------
    list of Published
    """
    if (update_endpoint is None) == (graph_store is None):
        raise MBCGraphError("Publish needs the server's update endpoint or its graph store endpoint (one of them).")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    target = graph_store or update_endpoint
    assert target is not None
    graphs = [(ONTOLOGY_GRAPH, str(kg.sources[0])), (RELATION_GRAPH, "computed from the ontology"),
              *((URIRef(path.resolve().as_uri()), str(path)) for path in kg.sources[1:])]
    if len(kg.sources) > 1:
        say(f"warning: copying your own files to {target}: {', '.join(map(str, kg.sources[1:]))}. "
            "They may hold patient data: publish them only to a server you may share them with.")
    written = []
    with client(auth, timeout) as http:
        for graph, source in graphs:
            lines = _ntriples(kg.store, graph)
            if graph_store is not None:
                count = _put(http, graph_store, str(graph), lines)
            else:
                count = _insert(http, target, str(graph), lines, batch_size)
            written.append(Published(str(graph), source, count))
            say(f"wrote {count} triples to <{graph}> ({source})")
        listing = [f"<{PUBLISHED_GRAPH}> {_HAS_PART} <{p.graph}> .\n<{p.graph}> {_SOURCE} {ox.Literal(p.source)} .\n"
                   for p in written]
        if graph_store is not None:
            _put(http, graph_store, str(PUBLISHED_GRAPH), iter(listing))
        else:
            _insert(http, target, str(PUBLISHED_GRAPH), iter(listing), batch_size)
    return written


def _ntriples(store, graph: URIRef) -> Iterator[str]:
    """The triples of ``graph`` as N-Triples lines, blank nodes as skolem IRIs unique to the graph."""
    genid = SKOLEM_PREFIX + hashlib.sha256(str(graph).encode()).hexdigest()[:16] + "-"

    def skolem(term):
        return ox.NamedNode(genid + term.value) if isinstance(term, ox.BlankNode) else term

    if isinstance(store, OxigraphStore):  # straight from the engine, without rdflib terms
        quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        triples: Iterator = ((q.subject, q.predicate, q.object) for q in quads)
    else:
        triples = ((to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o, g in store.quads() if g == graph)
    for s, p, o in triples:
        yield f"{skolem(s)} {p} {skolem(o)} .\n"


def _insert(http, update_endpoint: str, graph: str, lines: Iterator[str], batch_size: int) -> int:
    """Replace ``graph`` through SPARQL 1.1 Update: drop it, then insert the lines in batches."""
    call(http, "POST", update_endpoint, data={"update": f"DROP SILENT GRAPH <{graph}>"})
    count, batch = 0, []
    for line in lines:
        batch.append(line)
        if len(batch) == batch_size:
            count += _insert_batch(http, update_endpoint, graph, batch)
            batch = []
    return count + (_insert_batch(http, update_endpoint, graph, batch) if batch else 0)


def _insert_batch(http, update_endpoint: str, graph: str, batch: list[str]) -> int:
    call(http, "POST", update_endpoint, data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(batch)}}} }}"})
    return len(batch)


def _put(http, graph_store: str, graph: str, lines: Iterator[str]) -> int:
    """Replace ``graph`` through the Graph Store Protocol: PUT the first batch, POST (add) the others.

    Batches keep each request, and the server's transaction behind it, small.
    """
    count, method = 0, "PUT"
    while True:
        batch = list(islice(lines, _GRAPH_STORE_BATCH))
        if batch or method == "PUT":  # an empty graph is PUT too: it replaces the old one
            call(http, method, graph_store, params={"graph": graph}, content="".join(batch).encode("utf-8"),
                 headers={"Content-Type": "application/n-triples"})
        count += len(batch)
        if len(batch) < _GRAPH_STORE_BATCH:
            return count
        method = "POST"
