"""The small contract every store implements."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

Triple = tuple[Node, Node, Node]


@dataclass
class QueryOutcome:
    """What a store returns for a query, before it is wrapped for users.

    ``rows`` yields sequences of store-native terms; ``to_rdflib`` converts
    one term, so stores that are not rdflib convert lazily, only what is read.
    A result may be read in another thread than the one that ran the query.
    """

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    variables: list[str] = field(default_factory=list)
    rows: Iterable[tuple[Any, ...]] = ()
    boolean: bool | None = None
    triples: Iterable[Any] = ()
    to_rdflib: Callable[[Any], Node | None] = lambda term: term


class Store:
    """A quad store holding the ontology, the relation graph and user files.

    Subclasses implement the methods below. The default graph seen by
    queries is the union of all named graphs.
    """

    name: ClassVar[str]
    #: True when another process (a SPARQL server) evaluates the queries:
    #: a deadline is then the request's timeout, not a worker process.
    remote: ClassVar[bool] = False

    def parse(self, path: Path, graph: URIRef) -> None:
        """Load a Turtle file into ``graph``; :class:`TurtleSyntaxError` names file and line."""
        raise NotImplementedError

    def add(self, triples: Iterable[Triple], graph: URIRef) -> None:
        """Add rdflib triples to ``graph``."""
        raise NotImplementedError

    def add_ntriples(self, text: str, graph: URIRef) -> None:
        """Add triples written as N-Triples to ``graph``: optional, a fast path for
        cached data; callers fall back to :meth:`add` on ``NotImplementedError``."""
        raise NotImplementedError

    def has_predicate(self, predicate: URIRef, graph: URIRef) -> bool:
        """Whether ``graph`` holds any triple with ``predicate``.

        Stores override this with an index lookup; the default asks SPARQL.
        """
        outcome = self.execute("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph, "p": predicate}, {})
        return bool(outcome.boolean)

    def execute(self, query: str, bindings: dict[str, Identifier], prefixes: dict[str, str],
                base: str | None = None) -> QueryOutcome:
        """Run a query already checked to be read-only, with variables bound and
        relative IRIs resolved against ``base`` (unless the query declares its BASE)."""
        raise NotImplementedError

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad, as rdflib terms (for export)."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def rdflib_graph(self) -> Graph:
        """An rdflib view of the data (the union of all graphs)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds (files, locks); in-memory stores hold nothing to release."""
