"""The rdflib store: queries run by rdflib's pure-Python SPARQL engine.

For users who want rdflib's own Dataset underneath (``kg.graph`` is then
the live data, not a copy). Turtle is read with pyoxigraph's parser and the
triples handed to rdflib: about twice as fast as rdflib's own parser, and
every repeated IRI or literal becomes one shared rdflib object, which saves
memory on large files.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, Node

from ..caching import text_cache
from ..errors import TurtleSyntaxError
from ..queries import has_where_group
from .base import QueryOutcome, Store, Triple
from .oxigraph import VALUES_MARKER
from .oxigraph import bind as bind_values
from ..terms import rdflib_literal
from .rdflib_bindings import declare, marker_path, seal, with_values

# rdflib's SPARQL grammar (pyparsing) is not safe to initialise from several
# threads at once, so preparing a query is serialised; evaluation is not.
_PREPARE_LOCK = threading.Lock()


@text_cache(512)
def _prepare(query: str, prefixes: tuple[tuple[str, str], ...], bound: frozenset[str] = frozenset(),
             base: str | None = None):
    """Parse and translate once per query text and set of bound variable names;
    with names, also return where the values go (see :mod:`.rdflib_bindings`).

    Parsing dominates small queries. Then the join order: rdflib orders the
    patterns of a basic graph pattern (BGP) by how many of their terms are
    bound, once when it translates the query and once more when it starts
    evaluating the BGP; neither knows that a pattern becomes selective
    after an earlier one binds its variables, and the first does not know
    the bound values. So ``?s rdfs:subClassOf* ?a`` with ``?s`` bound
    can run after patterns that enumerate every axiom of the ontology (the
    evidence query took 260 ms instead of 4). :func:`_plan` fixes the order
    for queries with bound values; without, rdflib's order measured as good.
    """
    # A marker VALUES block opens WHERE, as on Oxigraph; each call puts its values there. Without
    # a group to open (CONSTRUCT WHERE, DESCRIBE ?x) the pattern is triples alone: initBindings is exact.
    marked = bool(bound) and has_where_group(query)
    if marked:
        query = bind_values(query, {name: VALUES_MARKER for name in sorted(bound)})
    with _PREPARE_LOCK, _literals_as_written():
        prepared = prepareQuery(query, initNs=dict(prefixes), base=base)
    if not bound:
        return prepared, None
    _plan(prepared.algebra, frozenset(Variable(name) for name in bound))
    if not marked:
        return prepared, None
    seal(prepared.algebra)
    path = marker_path(prepared.algebra, VALUES_MARKER)
    if path is None:
        raise ValueError("the values cannot be bound in this query's WHERE group")
    declare(prepared.algebra, path, bound)
    return prepared, path


@contextmanager
def _literals_as_written() -> Iterator[None]:
    """Let rdflib build the query's literals without normalizing them.

    The data's literals keep their lexical form (see :class:`_TermCache`), so
    the query's must too, or ``"2006-08-24Z"^^xsd:date`` would not match
    itself; and normalizing ``"1e1000000000"^^xsd:decimal`` writes a billion
    digits. rdflib offers only this global switch; it is flipped while
    preparing, under the lock (a literal another thread builds meanwhile may
    keep its lexical form too, which changes no value).
    """
    saved, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def _is_var(term) -> bool:
    return isinstance(term, (Variable, BNode))


def _plan(node, bound: frozenset) -> None:
    """Replace every BGP below ``node`` by :func:`_ordered_bgp` (in place)."""
    children = node.items() if isinstance(node, CompValue) else enumerate(node) if isinstance(node, list) else ()
    for key, child in list(children):
        if isinstance(child, CompValue) and child.name == "BGP":
            node[key] = _ordered_bgp(child, bound)
        else:
            _plan(child, bound)


def _ordered_bgp(bgp: CompValue, bound: frozenset) -> CompValue:
    """The BGP's patterns in a greedy order, as lazy joins of BGPs that rdflib
    will evaluate in that order.

    The order: fewest unknown variables first; then the most selective
    lookup (a known subject, then a known variable as object, which stands
    for one value, then a constant object, which many triples may share);
    then rdflib's own tie-breaks. rdflib sorts a BGP's patterns again by
    their unbound terms when it starts it, so the patterns are cut into
    consecutive BGPs that this sort leaves alone, chained by lazy joins
    (each evaluated with the bindings of the ones before). Order never
    changes the answer of a BGP, only the time.
    """
    patterns = list(bgp.triples)
    if len(patterns) < 2 or any(isinstance(t, BNode) for p in patterns for t in p):
        return bgp
    uses = Counter(t for pattern in patterns for t in pattern if _is_var(t))
    known = set(bound)

    def unknown(pattern, known) -> int:
        return sum(1 for t in pattern if _is_var(t) and t not in known)

    def cost(pattern) -> tuple:
        s, p, o = pattern
        s_known, o_known = not _is_var(s) or s in known, not _is_var(o) or o in known
        if isinstance(p, PropertyPath) and s_known != o_known:
            lookup = -1  # a path walked from one end: later, with both ends bound, rdflib walks it per row
        else:
            lookup = 0 if s_known else 1 if _is_var(o) and o_known else 2 if o_known else 3
        return unknown(pattern, known), lookup, -sum(uses[t] for t in pattern if _is_var(t)), not isinstance(o, Literal)

    rest, ordered = patterns, []
    while rest:
        best = min(range(len(rest)), key=lambda i: cost(rest[i]))
        ordered.append(rest.pop(best))
        known.update(t for t in ordered[-1] if _is_var(t))
    chunks: list[list] = [[]]
    before = set(bound)  # what rdflib knows when it starts the current chunk
    for pattern in ordered:
        chunk = chunks[-1]
        if chunk and unknown(pattern, before) < unknown(chunk[-1], before):
            before.update(t for p in chunk for t in p if _is_var(t))
            chunks.append(chunk := [])
        chunk.append(pattern)
    if len(chunks) == 1:
        return CompValue("BGP", triples=chunks[0], _vars=bgp._vars)
    plan = CompValue("BGP", triples=chunks[-1], _vars={t for p in chunks[-1] for t in p if _is_var(t)})
    for chunk in reversed(chunks[:-1]):
        part = CompValue("BGP", triples=chunk, _vars={t for p in chunk for t in p if _is_var(t)})
        plan = CompValue("Join", p1=part, p2=plan, lazy=True, _vars=part._vars | plan._vars)
    plan["_vars"] = bgp._vars
    return plan


class _TermCache:
    """Turns pyoxigraph terms into rdflib terms, one rdflib object per distinct term."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.literals: dict[tuple, Literal] = {}

    def __call__(self, term) -> Node:
        kind = type(term)
        if kind is ox.NamedNode:
            return self.iri(term.value)
        if kind is ox.BlankNode:
            return BNode(term.value)
        key = (term.value, term.datatype.value, term.language)
        literal = self.literals.get(key)
        if literal is None:
            literal = self.literals[key] = rdflib_literal(*key, iri=self.iri)
        return literal

    def iri(self, value: str) -> URIRef:
        found = self.iris.get(value)
        if found is None:
            found = self.iris[value] = URIRef(value)
        return found


class MemoryStore(Store):
    """An rdflib :class:`~rdflib.Dataset` whose default graph is the union of its graphs."""

    name = "memory"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def parse(self, path: Path, graph: URIRef) -> None:
        """Parse with pyoxigraph and add the triples to ``graph``, as rdflib would."""
        path, target, term = Path(path), self.dataset.graph(graph), _TermCache()
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

    def execute(self, query: str, bindings: dict[str, Identifier], prefixes: dict[str, str],
                base: str | None = None) -> QueryOutcome:
        prepared, marker = _prepare(query, tuple(prefixes.items()), frozenset(bindings), base)
        try:  # rows are read here, so evaluation errors surface here, as with Oxigraph
            if marker is None:
                result = self.dataset.query(prepared, initBindings=bindings)
            else:
                result = self.dataset.query(with_values(prepared, marker, bindings))
            if result.type == "ASK":
                return QueryOutcome("ASK", boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryOutcome(result.type, triples=list(result.graph or ()))
            variables = list(result.vars or ())
            rows = [tuple(solution.get(v) for v in variables) for solution in result.bindings]
            return QueryOutcome("SELECT", [str(v) for v in variables], rows=rows)
        except (RuntimeError, SyntaxError, ValueError, TypeError, OSError):
            raise
        except Exception as exc:  # rdflib raises a bare Exception for SPARQL its engine cannot evaluate
            reason = str(exc).split("\n", 1)[0][:100]
            raise RuntimeError(f"rdflib's SPARQL engine cannot evaluate this query ({reason}); "
                               "try store='oxigraph'") from exc

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            graph = g.identifier if isinstance(g, Graph) else g
            assert isinstance(graph, URIRef)  # every file is loaded into a graph named by an IRI
            yield s, p, o, graph

    def __len__(self) -> int:
        store = self.dataset.store
        return sum(store.__len__(context) for context in store.contexts())

    def rdflib_graph(self) -> Graph:
        return self.dataset
