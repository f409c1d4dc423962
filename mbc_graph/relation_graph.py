"""Materialize the relation graph: OWL restrictions as plain, direct edges.

The ontology states ``BoneMetastasis ⊑ ∃hasSymptom.BonePain``. For SPARQL
and networkx that is the triple ``BoneMetastasis hasSymptom BonePain``. Each
restriction becomes such a triple for the class and all its subclasses,
plus the inverse triple (``BonePain suggests BoneMetastasis``), in the named
graph :data:`~mbc_graph.namespaces.RELATION_GRAPH`, so the axioms and the
edges can both be queried.
"""

from __future__ import annotations

from rdflib import URIRef

from .namespaces import PREFIXES, RELATION_GRAPH
from .queries import named_query
from .stores import Store

Edge = tuple[URIRef, URIRef, URIRef]


def _select(store: Store, name: str) -> list[tuple]:
    outcome = store.execute(named_query(name), {}, PREFIXES)
    convert = outcome.to_rdflib
    return [tuple(convert(v) for v in row) for row in outcome.rows]


def relation_edges(store: Store) -> list[Edge]:
    """The direct edges implied by the restrictions in ``store``, inverses included."""
    inverse = dict(_select(store, "inverse_properties"))
    edges = set()
    for s, p, o in _select(store, "relation_edges"):
        edges.add((s, p, o))
        if p in inverse:
            edges.add((o, inverse[p], s))
    return sorted(edges)


def materialize(store: Store) -> int:
    """Add the relation graph to ``store``; return the number of edges."""
    edges = relation_edges(store)
    store.add(edges, RELATION_GRAPH)
    return len(edges)
