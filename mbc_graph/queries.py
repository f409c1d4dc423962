"""Running SPARQL safely: the read-only check, bindings and named queries.

Every query passes :func:`check_query` before a store sees it: updates,
``SERVICE``, ``FROM``/``FROM NAMED`` (and so ``LOAD``) are refused, because
both engines would otherwise make HTTP requests (SERVICE) and rdflib would
fetch URLs or read local files (FROM). Values reach queries only as
bindings, never pasted into the text.

rdflib's SPARQL parser is imported on the first check, not with the package:
building its pyparsing grammar takes about 50 ms, and loading the Oxigraph
store never needs it. Checks are cached per query text; binding values on
the Oxigraph store parses a query once more per set of names, to confirm
where the values go.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import pyoxigraph
from rdflib.term import Identifier

from .caching import text_cache
from .errors import BadBinding, ForbiddenQuery, QuerySyntaxError
from .namespaces import PREFIXES
from .query_text import (MAX_NESTING, SERVICE_WORD, VARIABLE_NAME, check_nesting, position,
                         strip_declarations_and_comments, text_for_both_engines)
from .scope import bindable_names
from .terms import to_term

_PARSE_LOCK = threading.Lock()
_UPDATE_KEYWORD = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _components(tree) -> Iterator:
    """Every named node (rdflib's ``CompValue``) of a parse tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
        children = node.values() if isinstance(node, dict) else node
        stack.extend(reversed([c for c in children if isinstance(c, (dict, list, ParseResults))]))


# Oxigraph can only locate an error by running the text, on an empty store;
# it gets only text that _parse let through, so with no word "service" (and
# Oxigraph reads no escapes outside strings), it cannot call out. Its parser
# recurses per bracket (about 1 KB of stack each; a thread may have 1 MB or
# less): _parse limits the nesting, and counting every bracket as well, not
# only the nesting, cannot be fooled by brackets in strings or comments.
# Text with more keeps pyparsing's position.
_MAX_BRACKETS_TO_LOCATE = 2 * MAX_NESTING


def _preciseposition(text: str) -> tuple[int, int] | None:
    """Oxigraph's parser locates errors more exactly than pyparsing."""
    if sum(map(text.count, "({[")) > _MAX_BRACKETS_TO_LOCATE:
        return None
    try:
        pyoxigraph.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        match = re.match(r"error at (\d+):(\d+)", str(exc))
        if match:
            return int(match[1]), int(match[2])
    except Exception:
        return None
    return None


def _syntax_error(text: str, exc) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` for pyparsing's ``ParseException`` ``exc``."""
    line, column = _preciseposition(text) or (exc.lineno, exc.col)
    if line > len(text.rstrip().splitlines()):  # "unexpected end": pyparsing's guess is nearer the mistake
        line, column = exc.lineno, exc.col
    lines = text.splitlines()
    rest = lines[line - 1][column - 1:] if line <= len(lines) else ""
    found = repr(rest[:20]) if rest.strip() else "end of line" if line < len(lines) else "end of query"
    return QuerySyntaxError(f"unexpected {found}", text, line, column)


def _check_prefixes(text: str, parsed) -> None:
    declared = set(PREFIXES) | {(decl["prefix"] if "prefix" in decl else None) or ""
                                for decl in parsed[0] if decl.name == "PrefixDecl"}
    for node in _components(parsed[1]):
        if node.name != "pname":
            continue
        prefix = (node["prefix"] if "prefix" in node else None) or ""  # the empty prefix (":Liver") has no key
        if prefix not in declared:
            used = re.search(rf"(?<![\w.\-:<]){re.escape(prefix)}:", text)
            line, column = position(text, used.start() if used else 0)
            raise QuerySyntaxError(
                f"unknown prefix '{prefix}:' (declare it with PREFIX, or use one of: {', '.join(sorted(PREFIXES))})",
                text, line, column)


def values_open_where(text: str, marker: str) -> bool:
    """Whether ``text`` parses as a query whose WHERE group opens with a VALUES block holding ``marker``.

    >>> values_open_where("SELECT ?l WHERE { VALUES (?c) { (<urn:m>) } ?c rdfs:label ?l }", "urn:m")
    True
    >>> values_open_where("SELECT ?l WHERE { ?c rdfs:label ?l OPTIONAL { VALUES (?c) { (<urn:m>) } } }", "urn:m")
    False
    """
    try:
        where = _parse(text)[1].get("where")
    except (QuerySyntaxError, ForbiddenQuery):
        return False
    parts = where.get("part") if where is not None else None
    if not parts or getattr(parts[0], "name", None) != "InlineData":
        return False
    return marker in {str(value) for row in parts[0].get("value", ()) for value in row}


def has_where_group(text: str) -> bool:
    """Whether the checked query ``text`` has a WHERE group that values could open.

    ``CONSTRUCT WHERE { ... }`` has none (its group is also its template),
    nor has a ``DESCRIBE`` without WHERE.

    >>> has_where_group("CONSTRUCT WHERE { ?s ?p ?o }"), has_where_group("ASK { ?s ?p ?o }")
    (False, True)
    """
    query = _parse(text)[1]
    constructs_where = query.name == "ConstructQuery" and "template" not in query.keys()
    return "where" in query.keys() and not constructs_where


# rdflib's parser cannot negate a decimal (``-1.0`` raises TypeError), so the
# check reads a negative decimal as a negative double: the same structure.
_NEGATIVE_DECIMAL = re.compile(r"(?<=-)([0-9]*\.[0-9]+)(?![0-9.eE])")


def _parse_tree(text: str):
    """rdflib's parse tree of ``text``, for its structure (numbers may change type)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except TypeError:
        return parseQuery(_NEGATIVE_DECIMAL.sub(r"\1e0", text))


def where_is_subquery(text: str) -> bool:
    """Whether the WHERE group of the checked query ``text`` is a subquery alone.

    >>> where_is_subquery("SELECT ?s WHERE { SELECT ?s WHERE { ?s ?p ?o } }")
    True
    """
    where = _parse(text)[1].get("where")
    return getattr(where, "name", None) == "SubSelect"


def selects_all(text: str) -> bool:
    """Whether the checked query ``text`` is a ``SELECT *``.

    >>> selects_all("SELECT * WHERE { ?s ?p ?o }"), selects_all("SELECT ?s WHERE { ?s ?p ?o }")
    (True, False)
    """
    query = _parse(text)[1]
    return query.name == "SelectQuery" and "projection" not in query.keys()


@text_cache()
def _parse(text: str):
    """The parse tree of one query; errors say where the text goes wrong.

    The word "service" and brackets nested too deeply are refused here,
    before any parser, Oxigraph's included, sees the text.
    """
    if not text.strip() or not strip_declarations_and_comments(text).strip():
        raise QuerySyntaxError("empty query", text, 1, 1)
    check_nesting(text)  # both parsers recurse per bracket; Oxigraph's would kill the process
    if word := SERVICE_WORD.search(text):
        line, column = position(text, word.start())
        raise ForbiddenQuery(
            f"SERVICE is not allowed: queries cannot reach the network. The word {word[0]!r} (line {line}, "
            f"column {column}) may not appear anywhere in a query, not even in a name, a string or a comment: "
            "bind such strings and IRIs as values, and rename such variables.")
    with _PARSE_LOCK:  # pyparsing grammars are not thread-safe on first use
        from pyparsing import ParseException

        try:
            return _parse_tree(text)
        except RecursionError:
            raise QuerySyntaxError("the query is nested too deeply", text, 1, 1) from None
        except ParseException as exc:
            if _is_update(text) and _UPDATE_KEYWORD.search(strip_declarations_and_comments(text)):
                raise ForbiddenQuery(
                    "Updates (INSERT, DELETE, LOAD, CLEAR, ...) are not allowed: the graph is read-only."
                ) from None
            raise _syntax_error(text, exc) from None
        except Exception as exc:  # a parse action of rdflib's failed on text its grammar accepts
            raise QuerySyntaxError(f"rdflib's SPARQL parser cannot read this query ({exc})", text, 1, 1) from None


@text_cache()
def check_query(text: str) -> str:
    """Check that ``text`` is one read-only query; return its kind.

    Raises :class:`QuerySyntaxError` (with line and column) for malformed
    SPARQL and :class:`ForbiddenQuery` for anything that could modify the
    graph or reach the network or the file system.

    >>> check_query("SELECT ?s WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_query("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    mbc_graph.errors.ForbiddenQuery: Updates (INSERT, DELETE, LOAD, CLEAR, ...) are not allowed: the graph is read-only.
    """
    text = text_for_both_engines(text)  # what a store must be given to run, too
    parsed = _parse(text)
    _check_prefixes(text, parsed)
    query = parsed[1]
    if "datasetClause" in query.keys():
        raise ForbiddenQuery("FROM and FROM NAMED are not allowed: they would load graphs from URLs or files.")
    if any(node.name == "ServiceGraphPattern" for node in _components(query)):  # a backstop to the word test
        raise ForbiddenQuery("SERVICE is not allowed: queries cannot reach the network.")
    return _KINDS[query.name]


@text_cache()
def _assigned_variables(text: str) -> frozenset[str]:
    """Variables the query itself assigns with BIND, ``(... AS ?v)`` or ``GROUP BY (... AS ?v)``."""
    assigned = set()
    for node in _components(_parse(text)[1]):
        if node.name in ("Bind", "GroupAs"):
            assigned.add(str(node["var"]))
        elif node.name == "vars" and "evar" in node.keys():
            assigned.add(str(node["evar"]))
    return frozenset(assigned)


@text_cache()
def _check_names(text: str, names: tuple[str, ...]) -> None:
    """Raise :class:`BadBinding` unless ``names`` can be bound in ``text``: checked once per query and names."""
    for name in names:
        if not VARIABLE_NAME.fullmatch(name):
            raise BadBinding(f"Not a SPARQL variable name: {name!r}")
    clash = set(names) & _assigned_variables(text)
    if clash:
        raise BadBinding(f"Cannot bind ?{sorted(clash)[0]}: the query assigns it with BIND or AS")
    in_scope = bindable_names(_parse(text)[1])
    if unknown := sorted(set(names) - in_scope):
        raise BadBinding(
            f"Cannot bind ?{unknown[0]}: it is not in scope at the top of the query's WHERE group (a name used "
            "only in a MINUS, a nested group's FILTER or a subquery that does not project it binds nothing there). "
            f"Names that can be bound: {', '.join('?' + n for n in sorted(in_scope)) or 'none'}")


def bindable_variables(text: str) -> list[str]:
    """The names that values can be bound to in the query ``text``.

    >>> bindable_variables("SELECT ?n WHERE { ?c rdfs:label ?l { SELECT (COUNT(*) AS ?n) WHERE { ?c ?p ?o } } }")
    ['c', 'l']
    """
    text = text_for_both_engines(text)
    return sorted(bindable_names(_parse(text)[1]) - _assigned_variables(text))


def bind(text: str, bindings: dict) -> dict[str, Identifier]:
    """Check and convert the keyword bindings of a query into RDF terms.

    Names must be SPARQL variable names in scope at the top of the query's
    WHERE group (:func:`mbc_graph.scope.bindable_names`), and must not be
    variables the query assigns itself; values go through :func:`~mbc_graph.terms.to_term`.

    >>> bind("SELECT ?l WHERE { ?c rdfs:label ?l }", {"c": "x"})
    {'c': rdflib.term.Literal('x')}
    """
    if not bindings:
        return {}
    _check_names(text, tuple(bindings))
    return {name: to_term(value) for name, value in bindings.items()}


@lru_cache(maxsize=None)
def named_query(name: str) -> str:
    """The text of a named query shipped in ``mbc_graph/sparql/NAME.rq``.

    >>> "hasSymptom" in named_query("symptoms_of")
    True
    """
    try:
        return resources.files("mbc_graph.sparql").joinpath(f"{name}.rq").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"No named query {name!r}") from None


def named_queries() -> list[str]:
    """The names of the shipped queries."""
    return sorted(p.name[:-3] for p in resources.files("mbc_graph.sparql").iterdir() if p.name.endswith(".rq"))
