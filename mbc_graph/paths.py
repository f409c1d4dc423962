"""Path queries over the relation graph, as plain functions on a networkx graph.

The graph is a :class:`networkx.MultiDiGraph` whose nodes are concept IRIs
(with ``label`` and ``category`` attributes) and whose edge keys are
relation names (``hasSymptom``, ``treatedBy``, ``subClassOf``...), so every
step of a path can be explained.

>>> G = kg.to_networkx()
>>> path = shortest_path(G, str(kg.concept("HER2-positive").iri), str(kg.concept("trastuzumab").iri))
>>> explain(G, path).startswith("HER2-positive breast cancer --")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from .errors import NoPath

#: The most steps :func:`simple_paths` will search, whatever is asked.
MAX_PATH_LENGTH = 8

Step = tuple[str, str, str]  # (source, relation, target)


def _label(G, node) -> str:
    return G.nodes[node].get("label", str(node))


def _view(G, relations: Iterable[str] | None):
    """A simple DiGraph of G keeping only the allowed relations."""
    import networkx as nx

    allowed = set(relations) if relations else None
    D = nx.DiGraph()
    D.add_nodes_from(G.nodes)
    for u, v, key in G.edges(keys=True):
        if allowed is None or key in allowed:
            if D.has_edge(u, v):
                D[u][v]["relations"].append(key)
            else:
                D.add_edge(u, v, relations=[key])
    return D


def _steps(D, nodes: list) -> list[Step]:
    return [(u, sorted(D[u][v]["relations"])[0], v) for u, v in zip(nodes, nodes[1:])]


def _check_nodes(G, *nodes) -> None:
    import networkx as nx

    for node in nodes:
        if node not in G:
            raise nx.NodeNotFound(f"Node {node} is not in the graph.")


def shortest_path(G, source, target, *, relations: Iterable[str] | None = None) -> list[Step]:
    """The shortest directed path from ``source`` to ``target`` as (source, relation, target) steps.

    ``relations`` limits the edge types walked. Raises :class:`NoPath`.
    """
    import networkx as nx

    _check_nodes(G, source, target)
    D = _view(G, relations)
    try:
        nodes = nx.shortest_path(D, source, target)
    except nx.NetworkXNoPath:
        raise NoPath(_label(G, source), _label(G, target), list(relations or [])) from None
    return _steps(D, nodes)


def simple_paths(G, source, target, max_length: int = 4, *, relations: Iterable[str] | None = None,
                 limit: int = 100) -> list[list[Step]]:
    """Up to ``limit`` simple paths of at most ``max_length`` steps, shortest first.

    Paths come from Yen's algorithm (:func:`networkx.shortest_simple_paths`),
    which finds each next-shortest path with a bounded search, so a large
    ``max_length`` cannot make the call hang; it is capped at
    :data:`MAX_PATH_LENGTH`.
    """
    import networkx as nx

    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    _check_nodes(G, source, target)
    max_length = min(max_length, MAX_PATH_LENGTH)
    D = _view(G, relations)
    found = []
    try:
        for nodes in islice(nx.shortest_simple_paths(D, source, target), limit):
            if len(nodes) - 1 > max_length:
                break
            found.append(_steps(D, nodes))
    except nx.NetworkXNoPath:
        pass
    return found


def neighborhood(G, center, radius: int = 1, *, relations: Iterable[str] | None = None):
    """The subgraph of nodes within ``radius`` steps of ``center``, either direction."""
    import networkx as nx

    if radius < 0:
        raise ValueError("radius must be 0 or more")
    _check_nodes(G, center)
    view = G if not relations else G.edge_subgraph(
        [(u, v, k) for u, v, k in G.edges(keys=True) if k in set(relations)]
    )
    if center not in view:
        return G.subgraph([center]).copy()
    nodes = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), center, cutoff=radius)
    return view.subgraph(nodes).copy()


def explain(G, steps: list[Step]) -> str:
    """Render steps as ``A --relation--> B --relation--> C`` with labels.

    >>> G = kg.to_networkx()
    >>> bone, pain = str(kg.concept("bone metastasis").iri), str(kg.concept("bone pain").iri)
    >>> explain(G, [(bone, "hasSymptom", pain)])
    'bone metastasis --has symptom--> bone pain'
    """
    if not steps:
        return ""
    parts = [_label(G, steps[0][0])]
    for u, relation, v in steps:
        label = G.graph.get("relation_labels", {}).get(relation, relation)
        parts.append(f"--{label}--> {_label(G, v)}")
    return " ".join(parts)
