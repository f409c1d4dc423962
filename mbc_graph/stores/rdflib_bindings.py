"""Bound values on rdflib's engine, with the semantics of a VALUES block opening WHERE.

rdflib's ``initBindings`` puts a value in the evaluation context, where every
part of the query sees it: a subquery's own variable of the same name, a MINUS
group, a nested OPTIONAL. The Oxigraph store instead opens the WHERE group
with ``VALUES``, which SPARQL scopes exactly. Here the same text is parsed,
with marker values, and the translated algebra is changed:

- the marker block (the first, leftmost part of the WHERE group) gets the
  values of each call, so the group's first triple patterns and paths are
  evaluated with them as constants (rdflib's lazy join pushes them there);
- a join whose right side holds a subquery, a MINUS or an OPTIONAL becomes a
  plain (hash) join, so that part is evaluated on its own and joined after,
  as SPARQL says, instead of seeing the values; every other join is lazy.

What remains: rdflib evaluates an OPTIONAL group once per row on its left,
with that row's values in context, for every variable alike; a subquery or
MINUS nested inside an OPTIONAL group then sees them (README, rdflib limits).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from rdflib import URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

from ..scope import walk

_BARRIERS = ("Minus", "LeftJoin")

Path = tuple  # keys and list positions from the root of the algebra to the marker block


def marker_path(algebra, marker: URIRef) -> Path | None:
    """Where the VALUES block holding ``marker`` is in a translated query, or None."""
    stack: list[tuple[object, Path]] = [(algebra, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "values" and any(marker in row.values() for row in node["res"]):
                return path
            stack.extend((child, (*path, key)) for key, child in OrderedDict.items(node))
        elif isinstance(node, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(node))
    return None


def declare(algebra, path: Path, names) -> None:
    """Count the bound names among the variables of every part that holds the block (in place).

    rdflib does not count a VALUES block's variables in ``_vars``, and when an
    OPTIONAL group matches nothing it re-evaluates it with only those variables
    of the left side: a row with a bound value would be dropped.
    """
    variables, node = {Variable(name) for name in names}, algebra
    for key in path:
        if isinstance(node, CompValue) and isinstance(node.get("_vars"), set):
            node["_vars"] = node["_vars"] | variables
        node = node[key]


def seal(node) -> None:
    """Make every join whose right side holds a subquery, MINUS or OPTIONAL a plain join, and
    every other join lazy (in place).

    rdflib evaluates a lazy join's right side once per row of its left side, with
    that row's values in context: fast, and exact for patterns, paths and unions
    of them (FILTER and BIND forget what is not theirs). rdflib itself makes a
    join plain when its left side is a join, which the values block would make
    of nearly every join: the right side would then run unbound (a helper took
    1 s instead of 1 ms).
    """
    for join in _nodes(node):
        if join.name == "Join":
            join["lazy"] = not any(_is_barrier(part) for part in _nodes(join["p2"]))


def _is_barrier(node: CompValue) -> bool:
    return node.name in _BARRIERS or (node.name == "ToMultiSet" and getattr(node["p"], "name", None) != "values")


def _nodes(node) -> Iterator[CompValue]:
    return (item for item in walk(node) if isinstance(item, CompValue))


def with_values(query: Query, path: Path, bindings: dict[str, Identifier]) -> Query:
    """``query`` with the marker block at ``path`` holding ``bindings``; the rest is shared, not copied."""
    return Query(query.prologue, _replaced(query.algebra, path, {Variable(k): v for k, v in bindings.items()}))


def _replaced(node, path: Path, row: dict):
    if not path:
        return CompValue("values", res=[row])
    key, rest = path[0], path[1:]
    if isinstance(node, list):
        copy = list(node)
        copy[key] = _replaced(node[key], rest, row)
        return copy
    changed = CompValue(node.name)
    changed.__dict__.update(vars(node))  # flags rdflib keeps as attributes
    for name, child in OrderedDict.items(node):
        OrderedDict.__setitem__(changed, name, _replaced(child, rest, row) if name == key else child)
    return changed
