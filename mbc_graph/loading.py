"""Loading: the bundled ontology, the user's Turtle files, the relation graph."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from rdflib import URIRef

from . import stores
from .errors import MBCGraphError
from .graph import KnowledgeGraph
from .namespaces import ONTOLOGY_GRAPH
from .relation_graph import SCHEMA_PREDICATES, cache_key, materialize


def bundled_ontology() -> Path:
    """The path of the ontology shipped with the package.

    An installed wheel carries it as ``mbc_graph/ontology/mbc.ttl``; a source
    checkout reads ``ontology/mbc.ttl`` beside the package.
    """
    packaged = resources.files("mbc_graph").joinpath("ontology", "mbc.ttl")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "ontology" / "mbc.ttl"


def load(store: str | stores.Store = "memory", extra: Iterable[str | Path] = (), *,
         ontology: str | Path | None = None) -> KnowledgeGraph:
    """Load the MBC knowledge graph.

    Parameters
    ----------
    store : str or Store
        ``"memory"`` (rdflib, the default) or ``"oxigraph"`` (pyoxigraph,
        the ``fast`` extra), or a :class:`~mbc_graph.stores.Store` instance.
    extra : iterable of paths
        The user's own Turtle files, each loaded into a named graph
        ``file:///...``; a file that does not parse raises
        :class:`~mbc_graph.errors.TurtleSyntaxError` naming file and line.
    ontology : path, optional
        Another ontology file instead of the bundled one.

    Returns
    -------
    KnowledgeGraph

    Notes
    -----
    The relation graph of an ontology file is computed once and cached, in
    the process and in the user's cache directory (see
    :mod:`mbc_graph.relation_graph`); ``store="oxigraph"`` then loads about
    as fast as pyoxigraph parses the file.

    Examples
    --------
    >>> kg = load()
    >>> kg.concept("bone metastasis").category
    'metastasis'
    """
    backend = stores.get(store)() if isinstance(store, str) else store
    sources = [Path(ontology) if ontology else bundled_ontology(), *(Path(p) for p in extra)]
    for i, path in enumerate(sources):  # all of them before parsing any: a typo fails fast
        if not path.is_file():
            raise MBCGraphError(f"No such file: {path}") if i else MBCGraphError(f"Ontology not found: {path}")
    graphs = [ONTOLOGY_GRAPH, *(URIRef(path.resolve().as_uri()) for path in sources[1:])]
    for path, graph in zip(sources, graphs):
        backend.parse(path, graph)
    # The relation graph is cached per ontology file, valid unless a user
    # file adds axioms of its own (then it is computed over everything).
    ontology_only = not any(backend.has_predicate(p, g) for g in graphs[1:] for p in SCHEMA_PREDICATES)
    materialize(backend, key=cache_key(sources[0]) if ontology_only else None)
    return KnowledgeGraph(backend, sources)
