"""Which variables a value can be bound to: those in scope at the top of WHERE.

Binding ``?v`` to X answers as if the WHERE group began with ``VALUES ?v { X }``.
That joins only with the variables the group can bind itself (SPARQL 1.1,
section 18.2.1): those of its triple patterns and property paths, of its
OPTIONAL, UNION and GRAPH groups and VALUES blocks, and the variables a
subquery projects. The FILTERs of the WHERE group itself see the values too,
so their variables can be bound as well. A name used only in a MINUS group,
in a nested group's FILTER or inside a subquery is not in scope there: a
value bound to it would join with nothing and silently narrow nothing, so
such names are refused instead.

These functions read rdflib's parse tree (:func:`mbc_graph.queries.check_query`
makes it).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Variable


def bindable_names(query) -> frozenset[str]:
    """The variables in scope at the top of the WHERE group of a parsed query.

    A query without a WHERE group (``DESCRIBE ?x``) may bind the variables it names.
    """
    if "where" not in query.keys():
        return frozenset(str(v) for v in _variables(query))
    return frozenset(str(v) for v in _in_scope(query["where"], top=True))


def _in_scope(group, top: bool = False) -> set[Variable]:
    if group.name == "SubSelect":
        if "projection" not in group.keys():  # SELECT *
            return _in_scope(group["where"])
        return {v["var"] if "var" in v.keys() else v["evar"] for v in group["projection"]}
    names: set[Variable] = set()
    for part in group.get("part") if "part" in group.keys() else ():
        kind = part.name
        if kind == "TriplesBlock":
            names |= set(_variables(part))
        elif kind in ("OptionalGraphPattern", "GraphGraphPattern"):
            names |= _in_scope(part["graph"])
            if kind == "GraphGraphPattern" and isinstance(part["term"], Variable):
                names.add(part["term"])
        elif kind == "GroupOrUnionGraphPattern":
            for branch in part["graph"]:
                names |= _in_scope(branch)
        elif kind in ("InlineData", "Bind"):
            var = part["var"]
            names |= set(var) if isinstance(var, list) else {var}
        elif kind == "Filter" and top:  # a FILTER of the WHERE group is applied after the values join
            names |= set(_variables(part))
        # MINUS binds nothing outside itself
    return names


def _variables(node) -> Iterator[Variable]:
    """Every variable below ``node`` (a triples block holds no nested scope)."""
    return (item for item in walk(node) if isinstance(item, Variable))


def walk(node) -> Iterator[object]:
    """``node`` and everything nested in it (rdflib's parse trees and algebra: dicts and lists), depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(dict.values(item))
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
