"""Interactive HTML views of the knowledge graph (vis-network, offline, escaped).

A view is one self-contained HTML page: the map of the whole graph, the
neighbourhood of a concept, a path between two concepts, or the triples of a
query. Categories have their own colour and shape, nodes grow with their
degree, arrows carry the relation label, and clicking a node or an arrow
shows its definition, synonyms, cross-references and the evidence: the
source document's file name and the sentence behind each edge. The page has
a search box and category filters, embeds vis-network (version
:data:`VIS_NETWORK_VERSION`, Apache-2.0 OR MIT) and makes no network request.

>>> view = visualize(kg, focus="brain metastasis", radius=1)
>>> view                                                  # doctest: +ELLIPSIS
<GraphView 'brain metastasis: 1-step neighbourhood': ... nodes, ... edges>
>>> path = kg.visualize_path("HER2-positive breast cancer", "trastuzumab")
>>> path.labels[0], path.labels[-1]
('HER2-positive breast cancer', 'trastuzumab')
"""

from __future__ import annotations

from collections.abc import Iterable

from .payload import build_payload
from .query_view import query_selection, triples_of
from .render import VIS_NETWORK_VERSION, GraphView, render_html, script_json
from .select import Context, add_claims, focus_selection, full_selection, path_selection
from .styles import CATEGORY_STYLES, EDGE_STYLES, CategoryStyle

__all__ = [
    "CATEGORY_STYLES", "EDGE_STYLES", "VIS_NETWORK_VERSION", "CategoryStyle", "GraphView",
    "from_query", "render_html", "script_json", "visualize",
]


def visualize(kg, focus=None, radius: int = 1, relations: Iterable[str] | str | None = None,
              categories: Iterable[str] | str | None = None, path=None, *, claims: bool = False,
              inherited: bool | None = None, title: str | None = None) -> GraphView:
    """An interactive view of the graph, a neighbourhood or a path.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to draw.
    focus : str or Concept, optional
        Show only the concepts within ``radius`` steps of this one (a label,
        synonym, CURIE or IRI). Without ``focus`` and ``path``, the whole map.
    radius : int, default 1
        Steps from ``focus``, either direction.
    relations : iterable of str, optional
        Relation names or labels to draw (``"has symptom"``, ``"is a"``);
        inverses count as their stated direction. Default: all.
    categories : iterable of str, optional
        Node categories to keep (``"symptom"``, ``"drug"``...; see
        :data:`CATEGORY_STYLES`). The focus is always kept.
    path : tuple or PathResult, optional
        ``(source, target)``: show the shortest path between them, step by
        step (``relations`` limits the path search); or a ready path.
    claims : bool, default False
        Also draw the claims about the concepts shown (always when
        ``categories`` includes ``"claim"``).
    inherited : bool, optional
        Draw edges inherited from a superclass (dashed). Default: not on the
        full map, where the ``is a`` arrow says it; in a neighbourhood only
        those of the focus itself.
    title : str, optional
        The page heading; a default names the view.

    Returns
    -------
    GraphView
        Shows inline in Jupyter; ``.save("view.html")``; ``.html``.

    Raises
    ------
    ConceptNotFound
        ``focus`` or a path end names no concept.
    NoPath
        The ends of ``path`` are not connected.
    UnknownRelation, ValueError
        An unknown relation or category, or a negative radius.

    Examples
    --------
    >>> full = visualize(kg)
    >>> len(full.node_ids) > 100
    True
    >>> symptoms = visualize(kg, focus="liver metastasis", radius=1, relations=["has symptom"])
    >>> sorted({kg.relations[r].label for _, r, _ in symptoms.edges})
    ['has symptom']
    >>> visualize(kg, categories=["no such thing"])
    Traceback (most recent call last):
    ...
    ValueError: Unknown category 'no such thing'. Known categories: disease, subtype, ...
    """
    if radius < 0:
        raise ValueError("radius must be 0 or more")
    ctx = Context.of(kg)
    cats = ctx.category_keys(categories)
    if path is not None:
        selection = path_selection(ctx, path, relations=relations)
        default_title = _path_title(ctx, selection.path)
    elif focus is not None:
        selection = focus_selection(ctx, focus, radius, relations=relations, categories=categories,
                                    inherited=inherited)
        default_title = f"{kg.concept(focus).label}: {radius}-step neighbourhood"
    else:
        selection = full_selection(ctx, relations=relations, categories=categories,
                                   inherited=bool(inherited))
        default_title = "Metastatic breast cancer knowledge graph"
    claim_nodes = add_claims(ctx, selection) if claims or (cats and "claim" in cats) else {}
    return GraphView(build_payload(ctx, selection, title=title or default_title, claims=claim_nodes))


def _path_title(ctx, nodes: list[str]) -> str:
    if not nodes:
        return "Empty path"
    return f"Path from {ctx.evidence.label(nodes[0])} to {ctx.evidence.label(nodes[-1])}"


def from_query(kg, result, *, title: str | None = None) -> GraphView:
    """A view of the triples a query returned.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph the query ran on (for labels, categories and evidence).
    result : QueryResult or rdflib.Graph
        A CONSTRUCT or DESCRIBE result, a SELECT result with the variables
        ``?s ?p ?o``, or an rdflib Graph. Literal objects are listed in
        their subject's details rather than drawn.
    title : str, optional
        The page heading.

    Returns
    -------
    GraphView

    Raises
    ------
    ValueError
        The result is an ASK, or a SELECT without ``?s ?p ?o``.
    TypeError
        ``result`` is neither a query result nor a graph.

    Examples
    --------
    >>> q = "CONSTRUCT { ?m mbc:hasSymptom ?s } WHERE { ?m mbc:hasSymptom ?s } LIMIT 5"
    >>> view = from_query(kg, kg.query(q))
    >>> {r for _, r, _ in view.edges}
    {'hasSymptom'}
    >>> from_query(kg, kg.query("SELECT ?x WHERE { ?x a owl:Class } LIMIT 1"))
    Traceback (most recent call last):
    ...
    ValueError: from_query needs a CONSTRUCT or DESCRIBE result, or a SELECT with the variables ?s ?p ?o; this SELECT has ?x
    """
    ctx = Context.of(kg)
    selection, values = query_selection(ctx, triples_of(result))
    payload = build_payload(ctx, selection, title=title or "Query result")
    for node, pairs in values.items():
        payload["info"][node]["values"] = pairs
    return GraphView(payload)
