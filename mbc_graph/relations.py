"""The edge types of the metagraph, as the ontology defines them, and the relation graph in networkx.

Besides the ontology's relations, two pseudo-relations name the subclass
links: :data:`SUBCLASS` (``"is a"``) and :data:`SUPERCLASS` (``"has subclass"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from .concepts import Concept
from .evidence import ALWAYS
from .namespaces import MBC, curie
from .search import normalize


@dataclass(frozen=True)
class Relation:
    """An edge type of the metagraph, as the ontology defines it."""

    iri: URIRef
    name: str
    label: str
    definition: str
    inverse: str | None
    domain: tuple[str, ...]
    range: tuple[str, ...]


SUBCLASS = "subClassOf"
SUPERCLASS = "hasSubclass"
#: The labels of the subclass links, by edge key.
PSEUDO_LABELS = {SUBCLASS: "is a", SUPERCLASS: "has subclass"}
_PSEUDO_KEYS = {key: pseudo for pseudo, label in PSEUDO_LABELS.items() for key in (normalize(pseudo), label)}

#: Callers name the same few relations again and again: each name is normalised once.
relation_key = lru_cache(maxsize=1024)(normalize)


def pseudo_relation(name: str) -> str | None:
    """The edge key of a subclass link named ``name``, or None for any other name.

    >>> pseudo_relation("is a"), pseudo_relation("hasSymptom")
    ('subClassOf', None)
    """
    return _PSEUDO_KEYS.get(relation_key(name))


def relation_table(rows: Iterable) -> dict[str, Relation]:
    """The relations by name, from the rows of the named query ``relations``."""
    table: dict[str, dict] = {}
    for row in rows:
        name = str(row.p).rsplit("/", 1)[-1]
        entry = table.setdefault(name, {"iri": row.p, "label": str(row.label),
                                        "definition": str(row.definition), "inverse": None,
                                        "domain": set(), "range": set()})
        if row.inverse is not None:
            entry["inverse"] = str(row.inverse).rsplit("/", 1)[-1]
        if row.domain is not None:
            entry["domain"].add(curie(str(row.domain)))
        if row.range is not None:
            entry["range"].add(curie(str(row.range)))
    return {name: Relation(name=name, domain=tuple(sorted(e.pop("domain"))), range=tuple(sorted(e.pop("range"))), **e)
            for name, e in sorted(table.items())}


def relations_by_key(relations: dict[str, Relation]) -> dict[str, Relation]:
    """Relations by normalised name and label; the first relation (by name) wins a shared key."""
    found: dict[str, Relation] = {}
    for relation in relations.values():
        for key in (normalize(relation.name), normalize(relation.label)):
            found.setdefault(key, relation)
    return found


def multigraph(concepts: Iterable[Concept], relations: dict[str, Relation], edges: Iterable[tuple[str, str, str]],
               qualified: dict[tuple[str, str, str], tuple[str, str | None]]):
    """The relation graph as a :class:`networkx.MultiDiGraph` (see :meth:`mbc_graph.KnowledgeGraph.to_networkx`).

    ``edges`` are the relation graph's ``(s, p, o)`` IRIs, ``qualified`` the
    qualifier and condition of each edge made from an association.
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    labels = {name: r.label for name, r in relations.items()} | PSEUDO_LABELS
    G.graph["relation_labels"] = labels
    ordered = sorted(concepts, key=lambda c: str(c.iri))  # a stable order gives stable paths
    for c in ordered:
        G.add_node(str(c.iri), label=c.label, category=c.category, curie=c.curie)
    roots = {str(c.iri) for c in ordered if c.category and not c.parents} | {str(MBC.Disease)}
    for s, p, o in sorted(edges):
        if s in G and o in G:
            key = p.rsplit("/", 1)[-1]
            qualifier, condition = qualified.get((s, p, o), (ALWAYS, None))
            G.add_edge(s, o, key=key, label=labels.get(key, key), qualifier=qualifier, condition=condition)
    by_curie = {c.curie: str(c.iri) for c in ordered}  # parents are CURIEs, in any namespace
    for c in ordered:
        for parent in c.parents:
            parent_iri = by_curie.get(parent)
            if parent_iri in G and parent_iri not in roots:
                G.add_edge(str(c.iri), parent_iri, key=SUBCLASS, label="is a", qualifier=ALWAYS, condition=None)
                G.add_edge(parent_iri, str(c.iri), key=SUPERCLASS, label="has subclass", qualifier=ALWAYS,
                           condition=None)
    return G
