"""The in-memory rdflib store: pure Python, no extra dependency.

When pyoxigraph (the ``fast`` extra) is installed, Turtle is read with its
parser and the triples handed to rdflib: about twice as fast as rdflib's own
parser, and every repeated IRI or literal becomes one shared rdflib object,
which saves memory on large files. Without pyoxigraph, rdflib parses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..errors import TurtleSyntaxError
from .base import QueryOutcome, Store, Triple

try:
    import pyoxigraph as ox
except ImportError:  # pragma: no cover - exercised only without the extra
    ox = None

# rdflib's SPARQL grammar (pyparsing) is not safe to initialise from several
# threads at once, so preparing a query is serialised; evaluation is not.
_PREPARE_LOCK = threading.Lock()
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=512)
def _prepare(query: str, prefixes: tuple[tuple[str, str], ...]):
    """Parse and translate once per query text: parsing dominates small queries."""
    with _PREPARE_LOCK:
        return prepareQuery(query, initNs=dict(prefixes))


class _TermCache:
    """Turns pyoxigraph terms into rdflib terms, one rdflib object per distinct term."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.literals: dict[tuple, Literal] = {}

    def __call__(self, term) -> Node:
        kind = type(term)
        if kind is ox.NamedNode:
            value = term.value
            found = self.iris.get(value)
            if found is None:
                found = self.iris[value] = URIRef(value)
            return found
        if kind is ox.BlankNode:
            return BNode(term.value)
        key = (term.value, term.datatype.value, term.language)
        found = self.literals.get(key)
        if found is None:
            value, datatype, language = key
            if language:
                found = Literal(value, lang=language)
            else:
                found = Literal(value, datatype=None if datatype == _XSD_STRING else self.iris.get(datatype)
                                or URIRef(datatype))
            self.literals[key] = found
        return found


class MemoryStore(Store):
    """An rdflib :class:`~rdflib.Dataset` whose default graph is the union of its graphs."""

    name = "memory"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def parse(self, path: Path, graph: URIRef) -> None:
        target = self.dataset.graph(graph)
        if ox is not None:
            self._parse_fast(Path(path), target)
            return
        try:
            target.parse(str(path), format="turtle")
        except BadSyntax as exc:
            raise TurtleSyntaxError(str(path), exc.lines + 1, exc._why) from None
        except Exception as exc:  # rdflib raises assorted errors for bad input
            raise TurtleSyntaxError(str(path), None, str(exc)) from None

    def _parse_fast(self, path: Path, target: Graph) -> None:
        """Parse with pyoxigraph and add the triples to ``target``, as rdflib would."""
        term = _TermCache()
        try:
            parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                              rename_blank_nodes=True)
            self.dataset.store.addN(
                (term(q.subject), term(q.predicate), term(q.object), target) for q in parser
            )
        except SyntaxError as exc:
            raise TurtleSyntaxError(str(path), exc.lineno, str(exc.msg).split(" (", 1)[0]) from None
        except (OSError, ValueError) as exc:
            raise TurtleSyntaxError(str(path), None, str(exc)) from None
        for prefix, namespace in parser.prefixes.items():
            target.bind(prefix, namespace)

    def add(self, triples: Iterable[Triple], graph: URIRef) -> None:
        target = self.dataset.graph(graph)
        self.dataset.store.addN((s, p, o, target) for s, p, o in triples)

    def has_predicate(self, predicate: URIRef, graph: URIRef) -> bool:
        named = Graph(self.dataset.store, identifier=graph)  # dataset.graph() would create it
        return next(iter(named.triples((None, predicate, None))), None) is not None

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
        store = self.dataset.store
        return sum(store.__len__(context) for context in store.contexts())

    def rdflib_graph(self) -> Graph:
        return self.dataset
