"""The Oxigraph store: pyoxigraph's Rust engine, embedded, for speed at scale."""

from __future__ import annotations

import mmap
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ..caching import term_cache, text_cache
from ..errors import TurtleSyntaxError
from ..queries import VARIABLE_NAME, has_where_group, values_open_where, where_is_subquery
from .base import QueryOutcome, Store, Triple

_XSD_STRING = str(XSD.string)


def to_oxigraph(term: Node):
    """Convert an rdflib term to the pyoxigraph term with the same meaning."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise TypeError(f"Cannot store {term!r} in Oxigraph")


@term_cache(maxsize=1 << 14)
def to_rdflib(term) -> Node | None:
    """Convert a pyoxigraph term (or None) to rdflib.

    Cached, as results repeat the same IRIs and labels call after call and
    building rdflib terms is slow (a Literal parses its value); both kinds
    of term are immutable and hashable, so a converted term can be shared.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    # normalize=False keeps the lexical form Oxigraph holds ("2006-08-24Z"
    # keeps its timezone), and never expands "1e1000000000"^^xsd:decimal to
    # a billion digits.
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype), normalize=False)


def _term(term) -> Node:
    """:func:`to_rdflib` for a term that is there (a quad's)."""
    converted = to_rdflib(term)
    assert converted is not None
    return converted


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
    end = _group_end(query, at) if where_is_subquery(query) else None
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


def _group_end(query: str, at: int) -> int | None:
    """The offset of the ``}`` that closes the group opened just before ``at``."""
    depth = 1
    for token, offset in _tokens(query[at:]):
        depth += (token == "{") - (token == "}")
        if depth == 0:
            return at + offset
    return None


_IRI_REF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[?$]?[A-Za-z0-9_][A-Za-z0-9_\-.:]*")
_LANGUAGE_TAG = re.compile(r"@[A-Za-z]+(-[A-Za-z0-9]+)*")


def _tokens(query: str) -> Iterator[tuple[str, int]]:
    """The braces, parentheses and keywords of a SPARQL query, with their offsets;
    strings, IRIs, comments and escapes are skipped.

    ``<`` starts an IRI, except inside parentheses outside any group (in a
    projection) after a value, where it compares: in ``(1<(2>0))`` the text
    ``<(2>`` is no IRI. (In a group, parentheses may be an RDF list, where
    an IRI follows a value.)

    >>> [token for token, _ in _tokens("SELECT (1<(2>0) AS ?b) WHERE { ?s <p> ?o }")]
    ['SELECT', '(', '1', '(', '2', '0', ')', 'AS', '?B', ')', 'WHERE', '{', '?S', '?O', '}']
    """
    i, n = 0, len(query)
    brackets: list[str] = []
    after_value = False  # whether the last token ends a value that a "<" after it would compare
    while i < n:
        c = query[i]
        compares = after_value and bool(brackets) and "{" not in brackets  # in an expression before any group
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
            if tag := _LANGUAGE_TAG.match(query, i):
                i = tag.end()
            after_value = True
        elif c == "<" and not compares and (match := _IRI_REF.match(query, i)):
            i, after_value = match.end(), False  # an IRI after an IRI is a list item, not a comparison
        elif c == "\\":
            i += 2
        elif c in "{}()":
            yield c, i
            if c in "({":
                brackets.append(c)
            elif brackets:
                brackets.pop()
            i, after_value = i + 1, c == ")"
        elif (match := _WORD.match(query, i)) is not None:
            word = match.group()
            yield word.upper(), i
            i, after_value = match.end(), _is_value(word)
        else:
            i, after_value = i + 1, after_value if c.isspace() else False


def _is_value(word: str) -> bool:
    """Whether a word of a query is a value: a variable, a number, a prefixed name or a boolean."""
    return word[0] in "?$" or word[0].isdigit() or ":" in word or word.upper() in ("TRUE", "FALSE")


@text_cache()
def where_group(query: str) -> int | None:
    """The offset just inside the ``{`` that opens the WHERE group of a valid query, or None.

    >>> q = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> q[where_group(q):]
    ' ?s ?p ?o }'
    """
    form = previous = None
    template_done = False
    depth = 0  # parentheses (a SELECT expression may hold EXISTS { ... })
    tokens = _tokens(query)
    for token, at in tokens:
        if token in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and form is None:
            form = token
        elif token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "{" and depth == 0:
            if form != "CONSTRUCT" or template_done:
                return at + 1
            if previous == "WHERE":
                return None  # CONSTRUCT WHERE { template }: nowhere to put VALUES
            braces = 1
            for inner, _ in tokens:  # skip the template
                braces += (inner == "{") - (inner == "}")
                if braces == 0:
                    break
            template_done = True
        previous = token
    return None


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
            yield _term(q.subject), _term(q.predicate), _term(q.object), URIRef(q.graph_name.value)

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
