"""Which nodes and edges a view shows: the whole map, a neighbourhood or a path.

Edges are drawn once, in the direction the ontology states them: the
relation graph also holds every inverse (``suggests`` for ``hasSymptom``) and
``hasSubclass`` for ``subClassOf``, which would double every arrow. An edge
the library derives from a superclass's restriction is *inherited*; the full
map leaves those out (the ``is a`` arrow already says it), the other views
draw them dashed.

>>> sel = full_selection(Context(kg))
>>> len(sel.nodes) > 100 and all(e.relation != "suggests" for e in sel.edges)
True
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..evidence import Claim
from ..namespaces import MBC
from ..search import normalize
from ..evidence_index import SUBCLASS, SUPERCLASS, evidence_index
from .styles import CATEGORY_STYLES


@dataclass(frozen=True)
class ViewEdge:
    """One drawn arrow: ``source --relation--> target``.

    ``kind`` is ``"stated"``, ``"inherited"``, ``"is a"``, ``"path"`` or
    ``"claim"`` (see :data:`mbc_graph.viz.styles.EDGE_STYLES`).
    """

    source: str
    relation: str
    target: str
    kind: str


@dataclass
class Selection:
    """The nodes (in drawing order) and edges of a view, and what to highlight.

    ``labels`` names nodes that are not concepts (in query views).
    """

    nodes: list[str]
    edges: list[ViewEdge]
    mode: str
    focus: str | None = None
    path: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


class Context:
    """A graph with the lookups every view needs, computed once per graph.

    Use :meth:`of` to share one context between the views of a graph.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to draw.
    """

    _shared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, kg) -> Context:
        """The shared context of ``kg`` (built on first use, dropped with ``kg``)."""
        try:
            return cls._shared[kg]
        except KeyError:
            return cls._shared.setdefault(kg, cls(kg))

    def __init__(self, kg) -> None:
        self.kg = kg
        self.G = kg.to_networkx()
        self.evidence = evidence_index(kg)

    @cached_property
    def roots(self) -> set[str]:
        """Category roots (``mbc:Symptom``...): classes, not things to draw."""
        return {str(c.iri) for c in self.kg.concepts if c.category and not c.parents} | {str(MBC.Disease)}

    def category(self, node: str) -> str:
        """The style key of a node: its concept category, or ``other``."""
        concept = self.kg.concepts.get(node)
        category = concept.category if concept else None
        return category if category in CATEGORY_STYLES else "other"

    @cached_property
    def edges(self) -> list[ViewEdge]:
        """Every drawable edge of the graph, each relation in its stated direction."""
        stated, found = self.evidence.stated_edges, []
        forward = self.evidence.stated_relations
        for u, v, key in sorted(self.G.edges(keys=True)):
            if key != SUBCLASS and key not in forward:
                continue
            inverse = getattr(self.kg.relations.get(key), "inverse", None)
            if inverse in forward and inverse < key and self.G.has_edge(v, u, inverse):
                continue  # both directions are stated somewhere: draw one
            kind = "is a" if key == SUBCLASS else ("stated" if (u, key, v) in stated else "inherited")
            found.append(ViewEdge(u, key, v, kind))
        return found

    @cached_property
    def degree(self) -> dict[str, int]:
        """Stated and ``is a`` edges per node: the node size of every view."""
        counts = dict.fromkeys(self.G.nodes, 0)
        for e in self.edges:
            if e.kind != "inherited":
                counts[e.source] += 1
                counts[e.target] += 1
        return counts

    # -- option parsing -------------------------------------------------------------
    def relation_names(self, relations: Iterable[str] | str | None) -> set[str] | None:
        """Relation names, labels or CURIEs -> stated relation names (inverses turned around)."""
        if relations is None:
            return None
        names = set()
        for r in [relations] if isinstance(relations, str) else relations:
            key = normalize(str(r))
            if key in (normalize(SUBCLASS), "is a", normalize(SUPERCLASS), "has subclass"):
                names.add(SUBCLASS)
            else:
                names.add(self.evidence.forward("", self.kg.relation(r).name, "")[1])
        return names

    def category_keys(self, categories: Iterable[str] | str | None) -> set[str] | None:
        """Category keys or labels -> keys; unknown names raise :class:`ValueError`."""
        if categories is None:
            return None
        aliases = {normalize(key): key for key in CATEGORY_STYLES}
        aliases |= {normalize(s.label): key for key, s in CATEGORY_STYLES.items()}
        aliases |= {normalize(c.label): c.category for c in self.kg.concepts
                    if str(c.iri) in self.roots and c.category in CATEGORY_STYLES}
        keys = set()
        for name in [categories] if isinstance(categories, str) else categories:
            if normalize(str(name)) not in aliases:
                known = ", ".join(k for k in CATEGORY_STYLES if k != "other")
                raise ValueError(f"Unknown category {name!r}. Known categories: {known}.")
            keys.add(aliases[normalize(str(name))])
        return keys


def _filter(ctx: Context, edges: list[ViewEdge], relations: set[str] | None, inherited: bool) -> list[ViewEdge]:
    return [e for e in edges if (relations is None or e.relation in relations)
            and (inherited or e.kind != "inherited")]


def _keep(ctx: Context, nodes: Iterable[str], categories: set[str] | None, always=()) -> list[str]:
    return [n for n in nodes if n in always or categories is None or ctx.category(n) in categories]


def _edges_within(edges: list[ViewEdge], nodes: Iterable[str]) -> list[ViewEdge]:
    inside = set(nodes)
    return [e for e in edges if e.source in inside and e.target in inside]


def full_selection(ctx: Context, *, relations=None, categories=None, inherited: bool = False) -> Selection:
    """The whole domain graph: every concept with a category, and what links to them.

    Category roots and classes linked to no categorized concept (the
    evidence and claim vocabulary) are left out. With ``relations``, only
    concepts joined by those relations are kept.
    """
    rel, cats = ctx.relation_names(relations), ctx.category_keys(categories)
    edges = _filter(ctx, ctx.edges, rel, inherited)
    categorized = {c for c in ctx.G if c not in ctx.roots and ctx.category(c) != "other"}
    linked = {n for e in edges for n in (e.source, e.target) if {e.source, e.target} & categorized}
    nodes = sorted((categorized | linked) - ctx.roots)
    if rel is not None:
        nodes = sorted({n for e in edges for n in (e.source, e.target)})
    nodes = _keep(ctx, nodes, cats)
    return Selection(nodes, _edges_within(edges, nodes), "full")


def focus_selection(ctx: Context, focus, radius: int = 2, *, relations=None, categories=None,
                    inherited: bool | None = None) -> Selection:
    """The concepts within ``radius`` steps of ``focus`` (which is always kept).

    Steps follow the drawn edges, either direction. Inherited edges are
    drawn and walked only where they touch the focus (``inherited=None``),
    everywhere (``True``) or nowhere (``False``), so a hub's many inherited
    edges do not bury the neighbourhood.
    """
    if radius < 0:
        raise ValueError("radius must be 0 or more")
    center = str(ctx.kg.concept(focus).iri)
    rel, cats = ctx.relation_names(relations), ctx.category_keys(categories)
    edges = [e for e in _filter(ctx, ctx.edges, rel, inherited=True)
             if e.kind != "inherited" or inherited or (inherited is None and center in (e.source, e.target))]
    nodes = _keep(ctx, _within(edges, center, radius) - (ctx.roots - {center}), cats, always={center})
    return Selection(sorted(nodes), _edges_within(edges, nodes), "focus", focus=center)


def _within(edges: list[ViewEdge], center: str, radius: int) -> set[str]:
    """Nodes at most ``radius`` edges from ``center``, ignoring direction."""
    neighbours: dict[str, set[str]] = {}
    for e in edges:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    seen, frontier = {center}, {center}
    for _ in range(radius):
        frontier = {n for node in frontier for n in neighbours.get(node, ())} - seen
        seen |= frontier
    return seen


def path_selection(ctx: Context, path, *, relations=None) -> Selection:
    """The steps of a path, drawn as they are walked.

    ``path`` is a ``(source, target)`` pair (the shortest path is found), a
    :class:`~mbc_graph.graph.PathResult` or a list of ``(source, relation,
    target)`` steps.
    """
    steps, start = getattr(path, "steps", None), None
    if steps is None:
        if len(path) == 2 and not isinstance(path[0], tuple):
            start = str(ctx.kg.concept(path[0]).iri)
            steps = ctx.kg.path(path[0], path[1], relations=relations).steps
        else:
            steps = list(path)
    steps = [(str(u), str(r), str(v)) for u, r, v in steps]
    nodes = [steps[0][0]] + [v for _, _, v in steps] if steps else [start] if start else []
    edges = [ViewEdge(u, r, v, "path") for u, r, v in steps]
    return Selection(nodes, edges, "path", focus=nodes[0] if nodes else None, path=nodes)


@dataclass(frozen=True)
class ClaimNode:
    """A claim drawn as a node: what a source says, with its status."""

    iri: str
    topic: str
    claim: Claim


def add_claims(ctx: Context, selection: Selection) -> dict[str, ClaimNode]:
    """Add the claims about the shown concepts, linked by ``about`` and ``conflicts with``.

    Returns the claim nodes by IRI, for their details panels.
    """
    shown = {ctx.kg.concepts.get(n).label: n for n in selection.nodes if ctx.kg.concepts.get(n)}
    claims = {c.iri: c for c in ctx.kg.claims() if set(c.about) & set(shown)}
    for iri, claim in sorted(claims.items()):
        selection.nodes.append(iri)
        selection.edges += [ViewEdge(iri, "about", shown[label], "claim") for label in claim.about if label in shown]
        selection.edges += [ViewEdge(iri, "conflictsWith", other, "claim")
                            for other in claim.conflicts_with if other in claims and iri < other]
    return {iri: ClaimNode(iri, claim.topic, claim) for iri, claim in claims.items()}
