"""The data a view page runs on: vis-network nodes, edges and options, and details.

Everything the page shows is computed here, in Python, and embedded as one
JSON document; the page's script only reads it. Node and edge lists are
assembled with :class:`pyvis.network.Network` (imported lazily); the page
itself is rendered from this package's own template (see
:mod:`mbc_graph.viz.render`).

>>> from mbc_graph.viz.select import Context, path_selection
>>> ctx = Context(kg)
>>> data = build_payload(ctx, path_selection(ctx, ("HER2-positive breast cancer", "trastuzumab")), title="p")
>>> data["nodes"][0]["label"], data["mode"]
('HER2-positive\\nbreast cancer', 'path')
"""

from __future__ import annotations

import copy
import math
import textwrap
from collections import Counter

from ..evidence import Evidence, edge_qualifier, only_low_rated
from ..namespaces import curie
from ..evidence_index import SUBCLASS, SUPERCLASS
from .select import ClaimNode, Context, Selection, ViewEdge
from .styles import CATEGORY_STYLES, EDGE_STYLES, QUALIFIER_STYLES, category_style, edge_style_key, vis_groups

#: The vis-network options of every view; physics is replaced per mode.
BASE_OPTIONS: dict = {
    "autoResize": True,
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "nodes": {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {"size": 21, "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                 "color": "#1d2430", "strokeWidth": 4, "strokeColor": "#ffffff"},
        "scaling": {"min": 9, "max": 40,
                    "label": {"enabled": True, "min": 18, "max": 34, "maxVisible": 40, "drawThreshold": 4}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
        "font": {"size": 11, "color": "#4a5260", "strokeWidth": 0, "background": "rgba(255,255,255,0.85)",
                 "align": "middle"},
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.25},
        "selectionWidth": 1.5,
        "hoverWidth": 0.5,
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "tooltipDelay": 200, "navigationButtons": False,
                    "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": False},
}

#: Force-directed layout for the full map and neighbourhoods: ForceAtlas2
#: spreads hubs apart and stops after stabilization (the page then turns
#: physics off so nothing keeps moving).
PHYSICS: dict = {
    "enabled": True,
    "solver": "forceAtlas2Based",
    "forceAtlas2Based": {"gravitationalConstant": -160, "centralGravity": 0.015, "springLength": 140,
                         "springConstant": 0.05, "damping": 0.6, "avoidOverlap": 0.7},
    "maxVelocity": 60,
    "minVelocity": 1.0,
    "timestep": 0.45,
    "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 30, "fit": True},
}

#: Spring length of an edge: base + factor * sqrt(degree of its bigger end).
HUB_SPRING = (100, 14)

#: Horizontal distance between the steps of a path view, in canvas pixels.
PATH_SPACING = 260

RELATION_LABELS = {SUBCLASS: "is a", SUPERCLASS: "has subclass", "about": "about",
                   "conflictsWith": "conflicts with"}


def build_payload(ctx: Context, selection: Selection, *, title: str,
                  claims: dict[str, ClaimNode] | None = None) -> dict:
    """The JSON document of a view.

    Parameters
    ----------
    ctx : Context
        The graph and its lookups.
    selection : Selection
        The nodes and edges to show.
    title : str
        The page heading (escaped by the page, like every other string).
    claims : dict, optional
        Claim nodes of the selection, by IRI.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (vis-network items), ``options``, ``info``
        (node details by id), ``edgeInfo`` (edge details with evidence by
        edge id), ``categories`` and ``edgeKinds`` (legend), ``mode``,
        ``focus``, ``path`` and ``title``.
    """
    from pyvis.network import Network  # type: ignore[import-untyped]

    claims = claims or {}
    degree = _degrees(ctx, selection)
    net = Network(directed=True)
    for i, node in enumerate(selection.nodes):
        _add_node(net, ctx, node, i, selection, claims, degree.get(node, 0))
    edge_info, drawn = {}, set()
    for i, edge in enumerate(selection.edges):
        edge_id = f"e{i}"
        edge_info[edge_id] = _edge_info(ctx, edge)
        style = edge_style_key(edge.kind, edge_info[edge_id]["qualifier"])
        drawn.add(style)
        _add_edge(net, edge, edge_id, _relation_label(ctx, edge.relation), degree, style)
    counts = Counter(node["group"] for node in net.nodes)
    return {
        "title": title,
        "mode": selection.mode,
        "focus": selection.focus,
        "path": selection.path,
        "nodes": net.nodes,
        "edges": net.edges,
        "info": {node: _node_info(ctx, node, claims, selection.labels) for node in selection.nodes},
        "edgeInfo": edge_info,
        "categories": [dict(style.as_dict(), count=counts[key])
                       for key, style in CATEGORY_STYLES.items() if counts[key]],
        "edgeKinds": {kind: style for kind, style in (EDGE_STYLES | QUALIFIER_STYLES).items() if kind in drawn},
        "options": _options(selection),
        "search": ctx.kg.concepts.name_index.for_page(),
    }


def _degrees(ctx: Context, selection: Selection) -> dict[str, int]:
    """Degree per node: in the whole graph on the full map, else within the view.

    In a neighbourhood the focus, linked to everything at radius 1, is then
    among the biggest nodes, rather than a hub that happens to be next to it.
    """
    if selection.mode == "full":
        return ctx.degree
    counts = dict.fromkeys(selection.nodes, 0)
    for e in selection.edges:
        counts[e.source] += 1
        counts[e.target] += 1
    return counts


def _node_value(degree: int) -> float:
    """The vis-network ``value`` of a node: the square root of its degree.

    vis-network maps values linearly onto node sizes and label sizes
    (``nodes.scaling``), so hubs and their labels stand out on the full map.
    """
    return round(math.sqrt(degree), 2)


def _add_node(net, ctx: Context, node: str, index: int, selection: Selection, claims, degree: int) -> None:
    key = "claim" if node in claims else ctx.category(node)
    style = CATEGORY_STYLES[key]
    options = {"group": key, "value": _node_value(degree)}
    if node == selection.focus and selection.mode == "focus":
        options |= {"borderWidth": 4}
    if selection.mode == "path":
        options = {"group": key, "x": index * PATH_SPACING, "y": 0, "size": 22}
    label = _node_label(ctx, node, claims, selection.labels)
    net.add_node(node, label=_wrap(_short(label)), shape=style.shape, **options)


def _edge_length(edge: ViewEdge, degree: dict[str, int]) -> int:
    """Spring length: edges of hubs are longer, so their neighbours get room."""
    hub = max(degree.get(edge.source, 1), degree.get(edge.target, 1))
    return int(HUB_SPRING[0] + HUB_SPRING[1] * math.sqrt(hub))


def _add_edge(net, edge: ViewEdge, edge_id: str, label: str, degree: dict[str, int], style_key: str) -> None:
    style = (EDGE_STYLES | QUALIFIER_STYLES)[style_key]
    net.add_edge(edge.source, edge.target, id=edge_id, label=label,
                 color={"color": style["color"], "highlight": "#111111", "hover": "#111111"},
                 dashes=style["dashes"], width=style["width"], length=_edge_length(edge, degree),
                 relation=edge.relation, kind=edge.kind)


def _options(selection: Selection) -> dict:
    options = copy.deepcopy(BASE_OPTIONS) | {"groups": vis_groups()}
    if selection.mode == "path":
        options["physics"] = {"enabled": False}
        options["edges"] = {**BASE_OPTIONS["edges"], "smooth": {"enabled": False},
                            "font": {**BASE_OPTIONS["edges"]["font"], "size": 14}}
    else:
        options["physics"] = copy.deepcopy(PHYSICS)
    return options


def _short(text: str, limit: int = 60) -> str:
    """Labels on the canvas stay short; the details panel shows them whole."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int = 18) -> str:
    """Break a canvas label into lines at spaces (vis-network would cut a long word in two).

    >>> _wrap("triple-negative breast cancer")
    'triple-negative\\nbreast cancer'
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _node_label(ctx: Context, node: str, claims, labels: dict[str, str]) -> str:
    if node in claims:
        return f"claim: {claims[node].topic}"
    return labels.get(node) or ctx.evidence.label(node)


def _relation_label(ctx: Context, relation: str) -> str:
    known = ctx.kg.relations.get(relation)
    return known.label if known else RELATION_LABELS.get(relation, relation)


def _evidence_json(item: Evidence) -> dict:
    return {"source": item.source, "title": item.title, "quote": item.quote, "note": item.note,
            "curated": item.curated, "assertedOn": item.asserted_on, "rating": item.rating}


def _edge_info(ctx: Context, edge: ViewEdge) -> dict:
    evidence = [] if edge.kind == "claim" else ctx.evidence.get(edge.source, edge.relation, edge.target)
    qualifier, condition = edge_qualifier(evidence)
    return {"from": edge.source, "to": edge.target, "relation": edge.relation,
            "label": _relation_label(ctx, edge.relation), "kind": edge.kind,
            "qualifier": qualifier, "condition": condition, "lowRatedOnly": only_low_rated(evidence),
            "evidence": [_evidence_json(item) for item in evidence]}


def _node_info(ctx: Context, node: str, claims, labels: dict[str, str]) -> dict:
    if node in claims:
        return _claim_info(claims[node])
    concept = ctx.kg.concepts.get(node)
    if concept is None:
        return {"label": _node_label(ctx, node, claims, labels), "category": "other",
                "categoryLabel": "other", "iri": node, "curie": curie(node)}
    style = category_style(ctx.category(node))
    return {
        "label": concept.label,
        "category": style.key,
        "categoryLabel": style.label if concept.category in CATEGORY_STYLES else (concept.category or "other"),
        "curie": concept.curie,
        "iri": str(concept.iri),
        "definition": concept.definition,
        "synonyms": list(concept.synonyms),
        "xrefs": sorted([xref, match] for xref, match in concept.xrefs.items()),
    }


def _claim_info(node: ClaimNode) -> dict:
    claim = node.claim
    return {
        "label": claim.statement,
        "category": "claim",
        "categoryLabel": "claim",
        "iri": claim.iri,
        "curie": curie(claim.iri),
        "definition": None,
        "statement": claim.statement,
        "status": claim.status,
        "note": claim.status_note,
        "topic": claim.topic,
        "evidence": [_evidence_json(item) for item in claim.evidence],
    }
