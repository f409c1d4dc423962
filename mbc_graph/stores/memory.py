"""The in-memory rdflib store: pure Python, no extra dependency."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..errors import TurtleSyntaxError
from .base import QueryOutcome, Store, Triple

# rdflib's SPARQL grammar (pyparsing) is not safe to initialise from several
# threads at once, so preparing a query is serialised; evaluation is not.
_PREPARE_LOCK = threading.Lock()


@lru_cache(maxsize=512)
def _prepare(query: str, prefixes: tuple[tuple[str, str], ...]):
    """Parse and translate once per query text: parsing dominates small queries."""
    with _PREPARE_LOCK:
        return prepareQuery(query, initNs=dict(prefixes))


class MemoryStore(Store):
    """An rdflib :class:`~rdflib.Dataset` whose default graph is the union of its graphs."""

    name = "memory"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def parse(self, path: Path, graph: URIRef) -> None:
        try:
            self.dataset.graph(graph).parse(str(path), format="turtle")
        except BadSyntax as exc:
            raise TurtleSyntaxError(str(path), exc.lines + 1, exc._why) from None
        except Exception as exc:  # rdflib raises assorted errors for bad input
            raise TurtleSyntaxError(str(path), None, str(exc)) from None

    def add(self, triples: Iterable[Triple], graph: URIRef) -> None:
        target = self.dataset.graph(graph)
        for triple in triples:
            target.add(triple)

    def execute(self, query: str, bindings: dict[str, Node], prefixes: dict[str, str]) -> QueryOutcome:
        result = self.dataset.query(_prepare(query, tuple(prefixes.items())), initBindings=bindings)
        if result.type == "ASK":
            return QueryOutcome("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryOutcome(result.type, triples=iter(result.graph))
        return QueryOutcome("SELECT", [str(v) for v in result.vars], rows=(tuple(row) for row in result))

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            yield s, p, o, g.identifier if isinstance(g, Graph) else g

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def rdflib_graph(self) -> Graph:
        return self.dataset
