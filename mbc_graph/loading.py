"""Loading: the bundled ontology, the user's Turtle files, the relation graph."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from rdflib import URIRef

from . import stores
from .errors import MBCGraphError, UnknownStore
from .bundled import bundled_ontology
from .graph import KnowledgeGraph
from .namespaces import ONTOLOGY_GRAPH
from .relation_graph import SCHEMA_PREDICATES, cache_key, materialize

#: The store used when ``load()`` is not told one and ``$MBC_GRAPH_STORE`` is unset.
DEFAULT_STORE = "oxigraph"


def default_store() -> str:
    """The store name ``load()`` uses by default: ``$MBC_GRAPH_STORE``, else ``"oxigraph"``.

    The variable lets a program, a notebook or a test run switch stores
    without changing code (``MBC_GRAPH_STORE=memory python script.py``).
    """
    name = os.environ.get("MBC_GRAPH_STORE") or DEFAULT_STORE
    if name not in stores.available():
        raise UnknownStore(name, stores.available(), origin="$MBC_GRAPH_STORE")
    return name


def load(store: str | stores.Store | None = None, extra: Iterable[str | Path] = (), *,
         ontology: str | Path | None = None) -> KnowledgeGraph:
    """Load the MBC knowledge graph.

    Parameters
    ----------
    store : str or Store, optional
        ``"oxigraph"`` (pyoxigraph's Rust engine, in memory) or ``"memory"``
        (rdflib's pure-Python engine), or a :class:`~mbc_graph.stores.Store`
        instance. By default ``$MBC_GRAPH_STORE``, else ``"oxigraph"``.
        Both give the same answers; with 100k synthetic patients Oxigraph
        answers 2-60 times faster and needs about a quarter of the memory
        (``benchmarks/RESULTS.md``).
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
    :mod:`mbc_graph.relation_graph`); the Oxigraph store then loads about
    as fast as pyoxigraph parses the file.

    Examples
    --------
    >>> kg = load()
    >>> kg.concept("bone metastasis").category
    'metastasis'
    """
    if store is None:
        store = default_store()
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
