"""The Oxigraph store: pyoxigraph's Rust engine, embedded, for speed at scale."""

from __future__ import annotations

import mmap
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from ..caching import text_cache
from ..errors import TurtleSyntaxError
from ..queries import has_where_group, values_open_where, where_is_subquery
from ..query_text import VARIABLE_NAME, group_end, where_group
from ..terms import present, to_oxigraph, to_rdflib
from .base import QueryOutcome, Store, Triple

def values_clause(bindings: Mapping[str, Node]) -> str:
    """A ``VALUES`` block binding each variable to one RDF term.

    Oxigraph's own ``substitutions`` only binds projected variables, so the
    bindings travel as the standard SPARQL VALUES clause instead: each value
    is written by pyoxigraph in its N-Triples form (literals escaped, IRIs
    and language tags validated), so it can only ever be a value, never
    query syntax. (rdflib's ``Literal.n3()`` is not safe here: it writes a
    value with a line break that ends in ``\\"`` as a broken long string.)

    >>> print(values_clause({"c": URIRef("http://example.org/a"), "l": Literal('say "hi"')}).strip())
    VALUES (?c ?l) { (<http://example.org/a> "say \\"hi\\"") }
    """
    if not bindings:
        return ""
    for name, term in bindings.items():
        if not VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"Not a SPARQL variable name: {name!r}")
        if not isinstance(term, (URIRef, Literal)):  # IRIs and language tags are checked as pyoxigraph writes them
            raise TypeError(f"Only IRIs and literals can be bound, not {term!r}")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(to_oxigraph(term)) for term in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}"


def bind(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` as a VALUES block opening its WHERE group.

    There the values are bound before the rest of the pattern is evaluated,
    as rdflib's ``initBindings`` binds them: Oxigraph starts from them (fast),
    and aggregates see them. A trailing VALUES clause would instead be joined
    after grouping and aggregation (SPARQL 1.1, section 18.2.4), so it gives
    other counts, and it makes Oxigraph evaluate the whole pattern unbound
    first. Only a query without a WHERE group to open (``CONSTRUCT WHERE``,
    a bare ``DESCRIBE``) gets the trailing clause.

    >>> bind("SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?o }", {"x": URIRef("http://example.org/a")})
    'SELECT (COUNT(*) AS ?n) WHERE { VALUES (?x) { (<http://example.org/a>) }\\n ?x ?p ?o }'
    """
    if not bindings:
        return query
    return _bind(query, tuple(bindings.items()))


@text_cache(4096)
def _bind(query: str, bindings: tuple[tuple[str, Node], ...]) -> str:
    clause = values_clause(dict(bindings))
    place = _values_place(query, tuple(name for name, _ in bindings))
    return query + clause if place is None else _place(query, clause.strip(), *place)


# An IRI no query contains by chance: it marks where the probe's values went.
_MARKER = f"urn:mbc-graph:values-marker:{secrets.token_hex(16)}"
#: The marker as a term: bound to names, it shows where their values go.
VALUES_MARKER = URIRef(_MARKER)
_UNPLACEABLE = "the values cannot be bound in this query's WHERE group; write them into the query with VALUES"


@text_cache()
def _values_place(query: str, names: tuple[str, ...]) -> tuple[int, int | None] | None:
    """Where the VALUES block goes: :func:`where_group` (and the end of the
    group, when it is a bare subquery to wrap), confirmed by rdflib's parser.

    The scan behind ``where_group`` reads SPARQL's tokens without its
    grammar; a block put anywhere but at the top of the WHERE group (inside
    an EXISTS, a string...) would bind the wrong thing, or let a value read
    as query text. So each query and set of names is parsed once with a
    block of marker values at that offset, which must come out first in
    the WHERE group; and "no group to open" is confirmed by the parse tree.
    """
    at = where_group(query)
    if at is None:
        if has_where_group(query):
            raise ValueError(_UNPLACEABLE)
        return None
    end = group_end(query, at) if where_is_subquery(query) else None
    markers = " ".join(f"<{_MARKER}>" for _ in names)
    probe = _place(query, f"VALUES ({' '.join(f'?{name}' for name in names)}) {{ ({markers}) }}", at, end)
    if not values_open_where(probe, _MARKER):
        raise ValueError(_UNPLACEABLE)
    return at, end


def _place(query: str, clause: str, at: int, end: int | None) -> str:
    if end is None:
        return f"{query[:at]} {clause}\n{query[at:]}"
    # WHERE { SELECT ... }: a subquery alone takes no VALUES beside it, so it becomes a group
    return f"{query[:at]} {clause}\n{{{query[at:end]}}}{query[end:]}"


class OxigraphStore(Store):
    """An in-memory :class:`pyoxigraph.Store`."""

    name = "oxigraph"

    def __init__(self) -> None:
        self.store = ox.Store()
        self._labels_taken = False  # whether a file loaded so far kept its blank node labels
        self._copy: Graph | None = None  # the rdflib copy, once asked for

    def parse(self, path: Path, graph: URIRef) -> None:
        path = Path(path)
        target = ox.NamedNode(str(graph))
        base_iri = path.resolve().as_uri()  # relative IRIs resolve as rdflib resolves them
        try:
            if self._labels_taken and _has_blank_node_labels(path):
                # Labels such as _:b0 are local to their file (rdflib gives each
                # parse fresh blank nodes), but Oxigraph's loaders keep them, so
                # equal labels in two files would merge: after the first file
                # with labels, rename while parsing (slower, through Python).
                quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri,
                                 rename_blank_nodes=True)
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
            else:
                self._load_file(path, base_iri, target)
                self._labels_taken = self._labels_taken or _has_blank_node_labels(path)
        except SyntaxError as exc:
            message = str(exc).split(" (", 1)[0]
            raise TurtleSyntaxError(str(path), exc.lineno, message) from None
        finally:
            self._copy = None  # after the write: a copy made meanwhile is not kept

    def _load_file(self, path: Path, base_iri: str, target: ox.NamedNode) -> None:
        """Load a Turtle file whose blank node labels may be kept as they are."""
        self.store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri, to_graph=target)

    def add(self, triples: Iterable[Triple], graph: URIRef) -> None:
        g = ox.NamedNode(str(graph))
        self.store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g) for s, p, o in triples)
        self._copy = None

    def add_ntriples(self, text: str, graph: URIRef) -> None:
        self.store.load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)))
        self._copy = None

    def has_predicate(self, predicate: URIRef, graph: URIRef) -> bool:
        found = self.store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, ox.NamedNode(str(graph)))
        return next(iter(found), None) is not None

    def execute(self, query: str, bindings: dict[str, Identifier], prefixes: dict[str, str],
                base: str | None = None) -> QueryOutcome:
        result = self.store.query(bind(query, bindings), prefixes=prefixes, base_iri=base,
                                  use_default_graph_as_union=True)
        try:
            if isinstance(result, ox.QueryBoolean):
                return QueryOutcome("ASK", boolean=bool(result), to_rdflib=to_rdflib)
            # pyoxigraph's result iterators must be read in the thread that made
            # them (reading one elsewhere aborts the process), so read them here;
            # the solutions and triples themselves may go to any thread.
            if isinstance(result, ox.QueryTriples):
                triples = ((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in list(result))
                return QueryOutcome("CONSTRUCT", triples=triples, to_rdflib=to_rdflib)
            # The solutions are kept as they are (sequences of terms): readers convert each term once.
            return QueryOutcome("SELECT", [v.value for v in result.variables], rows=list(result), to_rdflib=to_rdflib)
        finally:
            # Freed here, in this thread: a frame that outlives the call (kept by an
            # exception's traceback, or a cycle) would let the cyclic GC free the
            # iterator in another thread, which pyo3 refuses (security review F14).
            del result

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for q in self.store:  # every file is loaded into a graph named by an IRI
            yield present(q.subject), present(q.predicate), present(q.object), URIRef(q.graph_name.value)

    def __len__(self) -> int:
        return len(self.store)

    def rdflib_graph(self) -> Graph:
        """A copy in rdflib, made on first use and kept until the data changes:
        copying takes seconds once a cohort is loaded (2 s for 180k quads)."""
        if self._copy is None:
            graph = Graph()
            graph.addN((s, p, o, graph) for s, p, o, _ in self.quads())
            self._copy = graph
        return self._copy


def _has_blank_node_labels(path: Path) -> bool:
    """Whether the file may contain a labelled blank node (``_:x``): a fast byte scan."""
    with open(path, "rb") as f:
        try:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return data.find(b"_:") >= 0
        except ValueError:  # an empty file cannot be mapped
            return False
