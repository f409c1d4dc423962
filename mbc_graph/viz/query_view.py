"""Views of query results: the triples of a CONSTRUCT, or of a SELECT ?s ?p ?o.

>>> from rdflib import Graph, URIRef, Literal, RDFS
>>> from mbc_graph.viz.select import Context
>>> g = Graph()
>>> bone, site = kg.concept("bone metastasis").iri, kg.concept("breast cancer metastasis").iri
>>> _ = g.add((bone, RDFS.subClassOf, site)); _ = g.add((bone, RDFS.comment, Literal("note")))
>>> selection, values = query_selection(Context(kg), triples_of(g))
>>> [e.kind for e in selection.edges], values[str(bone)]
(['is a'], [['rdfs:comment', 'note']])
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ..namespaces import MBC, curie
from ..evidence_index import SUBCLASS
from .select import Context, Selection, ViewEdge


def triples_of(result) -> list[tuple]:
    """The ``(s, p, o)`` triples of a query result or graph, checked.

    Raises
    ------
    ValueError
        An ASK result, or a SELECT without the variables ``?s ?p ?o``.
    TypeError
        Anything that is not a query result or an rdflib Graph.
    """
    if isinstance(result, Graph):
        return sorted(result)
    kind = getattr(result, "type", None)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return sorted(result.graph)
    if kind == "SELECT":
        missing = {"s", "p", "o"} - set(result.vars)
        if missing:
            raise ValueError("from_query needs a CONSTRUCT or DESCRIBE result, or a SELECT with the variables "
                             f"?s ?p ?o; this SELECT has {' '.join('?' + v for v in result.vars) or 'no variables'}")
        return [(r.s, r.p, r.o) for r in result.rows if None not in (r.s, r.p, r.o)]
    if kind is not None:
        raise ValueError(f"from_query cannot draw an {kind} result; use a CONSTRUCT or a SELECT ?s ?p ?o")
    raise TypeError(f"from_query needs a query result or an rdflib Graph, not {type(result).__name__}")


def _relation(ctx: Context, predicate) -> str:
    """A predicate IRI -> the relation name used in views (``hasSymptom``, ``subClassOf``)."""
    if predicate == RDFS.subClassOf:
        return SUBCLASS
    name = str(predicate)[len(str(MBC)):] if str(predicate).startswith(str(MBC)) else ""
    return name if name in ctx.kg.relations else curie(str(predicate))


def _kind(ctx: Context, s: str, relation: str, o: str) -> str:
    if relation == SUBCLASS:
        return "is a"
    if relation in ctx.kg.relations:
        forward = ctx.evidence.forward(s, relation, o)
        return "stated" if forward in ctx.evidence.stated_edges else "inherited"
    return "stated"


def query_selection(ctx: Context, triples) -> tuple[Selection, dict[str, list[list[str]]]]:
    """The nodes and edges of some triples, and the literal values per subject.

    IRIs and blank nodes become nodes; literals are returned by subject as
    ``[predicate CURIE, value]`` pairs for the details panel. Nodes that are
    not concepts are labelled by an ``rdfs:label`` among the triples, or by
    their CURIE.
    """
    nodes: dict[str, None] = {}  # ordered set
    edges: list[ViewEdge] = []
    values: dict[str, list[list[str]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for s, p, o in triples:
        subject = _node_id(s)
        nodes.setdefault(subject, None)
        if isinstance(o, Literal):
            values[subject].append([curie(str(p)), str(o)])
            if p == RDFS.label:
                labels.setdefault(subject, str(o))
            continue
        target, relation = _node_id(o), _relation(ctx, p)
        nodes.setdefault(target, None)
        edges.append(ViewEdge(subject, relation, target, _kind(ctx, subject, relation, target)))
    selection = Selection(list(nodes), edges, "query")
    selection.labels = {n: label for n, label in labels.items() if ctx.kg.concepts.get(n) is None}
    return selection, dict(values)


def _node_id(term) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return str(term)
    raise ValueError(f"Cannot draw {term!r} as a node")
