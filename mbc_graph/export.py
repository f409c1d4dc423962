"""Export the knowledge graph to a file: RDF for triple stores, GraphML for Gephi and Cytoscape.

What each format holds:

* **Turtle** (``.ttl``), **N-Triples** (``.nt``) and **JSON-LD** (``.jsonld``,
  ``.json``): every triple of the store, i.e. the ontology, the materialized
  relation graph and the user's ``extra`` files, merged into one graph.
  JSON-LD is written flat (one default graph) because most JSON-LD consumers
  expect that; use TriG or N-Quads to keep the graphs apart.
* **TriG** (``.trig``) and **N-Quads** (``.nq``): the same triples, each in
  its named graph (``.../graph/ontology``, ``.../graph/relations``, one per
  extra file), so the asserted axioms and the derived edges stay distinct.
* **GraphML** (``.graphml``): the relation graph of
  :meth:`~mbc_graph.KnowledgeGraph.to_networkx`: concepts as nodes (``label``,
  ``category``, ``curie``, ``iri``, ``definition``, ``synonyms``, ``xrefs``),
  relations as edges, each with an id of its own (Gephi drops an edge whose
  id it has seen) and ``relation``, ``label``, ``qualifier``, ``sources``
  and ``quotes``. Every attribute is a string and none is missing, so Gephi
  and Cytoscape read it without type surprises; lists are ``;``-separated
  (``quotes``: a JSON list). The graph carries ``license`` and ``notice``.
* **Neo4j CSV** (``neo4j``, a directory): the same nodes and edges as
  ``nodes.csv`` and ``relationships.csv`` in the header format of
  ``neo4j-admin database import`` (Cytoscape imports them as tables), and a
  ``NOTICE.md`` with the license (see :mod:`mbc_graph.export_tables`).

Files are written atomically: to a temporary file beside the target, then
renamed over it. A failure leaves an existing file untouched.

The format names and their file extensions are in :mod:`mbc_graph.export_formats`.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import MBCGraphError
from .export_formats import Format, resolve_format
from .export_tables import LICENSE, NOTICE, edge_records, node_records, write_neo4j_csv
from .files import write_atomically
from .namespaces import PREFIXES
from .text import for_xml

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore

__all__ = ["Format", "export", "resolve_format", "summary", "write"]


def export(kg: GraphCore, path: str | Path, format: str | Format | None = None) -> Path:
    """Write the knowledge graph to ``path``, atomically.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to export.
    path : str or Path
        The file to write; its directory must exist. An existing file is
        replaced only once the new content is completely written.
    format : str or Format, optional
        ``"ttl"``, ``"nt"``, ``"jsonld"``, ``"trig"``, ``"nq"``, ``"graphml"``
        or ``"neo4j"`` (or a :class:`Format`). By default it follows the file
        extension; ``"neo4j"`` (alias ``"csv"``) writes a directory.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        When the format is unknown or cannot be told from the extension.
    OSError
        When the file cannot be written (the target is left as it was).

    See Also
    --------
    KnowledgeGraph.export : the same, as a method.

    Examples
    --------
    >>> import tempfile, rdflib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = export(kg, f"{tmp}/mbc.nt")
    ...     len(rdflib.Graph().parse(written, format="nt")) > 1000
    True
    """
    fmt = resolve_format(path, format)
    if fmt is Format.NEO4J:
        return write_neo4j_csv(kg, path)
    target = Path(path)
    return write_atomically(target, lambda stream: write(kg, stream, fmt))


def summary(kg: GraphCore, format: str | Format) -> str:
    """What an export in ``format`` holds, in a few words (the CLI says it after writing).

    >>> summary(kg, "graphml")  # doctest: +ELLIPSIS
    'the relation graph: ... concepts and ... edges with their evidence'
    """
    fmt = Format.parse(format)
    if fmt in (Format.GRAPHML, Format.NEO4J):
        graph = kg.to_networkx()
        return f"the relation graph: {graph.number_of_nodes():,} concepts and {graph.number_of_edges():,} edges with their evidence"
    extra = len(kg.sources) - 1
    graphs = "in named graphs" if fmt.keeps_graphs else "merged into one graph"
    return f"{len(kg.store):,} triples (ontology, relation graph, {extra} file(s) of your own), {graphs}"


def write(kg: GraphCore, stream: IO[bytes], format: str | Format) -> None:
    """Serialize the knowledge graph to a binary stream (no atomicity: see :func:`export`)."""
    fmt = Format.parse(format)
    if fmt is Format.NEO4J:
        raise ValueError("The neo4j format is a directory of CSV files: use export(), not write().")
    if fmt is Format.GRAPHML:
        _write_graphml(kg, stream)
    else:
        _write_rdf(kg, stream, fmt)


# -- RDF ------------------------------------------------------------------------------
def to_rdflib(kg: GraphCore, *, keep_graphs: bool = False):
    """Copy every quad of the store into a fresh rdflib Graph (or Dataset).

    With ``keep_graphs=False`` the named graphs are merged into one Graph.
    """
    from rdflib import Dataset, Graph

    data: Graph
    if keep_graphs:
        dataset = Dataset()
        graphs: dict = {}
        for s, p, o, g in kg.store.quads():
            if g not in graphs:
                graphs[g] = dataset.graph(g)
            graphs[g].add((s, p, o))
        data = dataset
    else:
        data = Graph()
        for s, p, o, _ in kg.store.quads():
            data.add((s, p, o))
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace, override=True)
    return data


def _write_rdf(kg: GraphCore, stream: IO[bytes], fmt: Format) -> None:
    data = to_rdflib(kg, keep_graphs=fmt.keeps_graphs)
    options = {"context": dict(PREFIXES)} if fmt is Format.JSONLD else {}
    with warnings.catch_warnings():  # rdflib's own TriG/N-Quads serializers call its deprecated Dataset.contexts
        warnings.filterwarnings("ignore", "Dataset.contexts is deprecated", DeprecationWarning)
        try:
            data.serialize(destination=stream, format=fmt.rdflib_name, encoding="utf-8", **options)
        except RecursionError:  # rdflib's Turtle and JSON-LD writers recurse into nested blank nodes
            raise MBCGraphError(f"The data nests blank nodes too deeply to write as {fmt.value}; "
                                "export to N-Triples (.nt) or N-Quads (.nq) instead.") from None


# -- GraphML --------------------------------------------------------------------------------
def _safe(value) -> str:
    """A GraphML-safe attribute value: always a string, never ``None``, with
    the characters XML 1.0 cannot carry escaped (RDF labels may hold them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return for_xml(value)
    if isinstance(value, (dict, list, tuple, set)):
        return for_xml(json.dumps(value if not isinstance(value, set) else sorted(value), ensure_ascii=False,
                                  sort_keys=True))
    return for_xml(str(value))


def to_graphml_graph(kg: GraphCore):
    """The relation graph with string-only attributes, ready for GraphML.

    Nodes and edges carry the records of :mod:`mbc_graph.export_tables`;
    each edge's key (its GraphML id) is its record id. Graph attributes that
    are not strings (the relation label table) become JSON text.
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph.update({key: _safe(value) for key, value in kg.to_networkx().graph.items()})
    G.graph.update(name="mbc-graph relation graph", license=LICENSE, notice=NOTICE)
    for node in node_records(kg):
        attributes = node | {"iri": node["id"], "synonyms": ";".join(node["synonyms"]), "xrefs": ";".join(node["xrefs"])}
        G.add_node(str(node["id"]), **{k: _safe(v) for k, v in attributes.items() if k != "id"})
    for edge in edge_records(kg):
        values = {"relation": edge.relation, "label": edge.label, "qualifier": edge.qualifier,
                  "sources": ";".join(edge.sources), "quotes": list(edge.quotes)}
        G.add_edge(edge.source, edge.target, key=edge.id, **{k: _safe(v) for k, v in values.items()})
    return G


def _write_graphml(kg: GraphCore, stream: IO[bytes]) -> None:
    import networkx as nx

    nx.write_graphml(to_graphml_graph(kg), stream, encoding="utf-8", prettyprint=True)


# -- atomic writes --------------------------------------------------------------------------
