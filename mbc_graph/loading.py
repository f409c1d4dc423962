"""Loading: the bundled ontology, the user's Turtle files, the relation graph."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from . import stores
from .errors import MBCGraphError
from .bundled import bundled_ontology
from .graph import KnowledgeGraph
from .stores.disk import open_store
from .stores.filling import DEFAULT_STORE, default_store, fill

__all__ = ["DEFAULT_STORE", "bundled_ontology", "default_store", "fill", "load"]


def load(store: str | stores.Store | None = None, extra: Iterable[str | Path] = (), *,
         ontology: str | Path | None = None, path: str | os.PathLike | None = None, rebuild: bool = False,
         read_only: bool = False, endpoint: str | None = None, update_endpoint: str | None = None,
         auth=None) -> KnowledgeGraph:
    """Load the MBC knowledge graph.

    Parameters
    ----------
    store : str or Store, optional
        ``"oxigraph"`` (pyoxigraph's Rust engine, in memory) or ``"memory"``
        (rdflib's pure-Python engine), or a :class:`~mbc_graph.stores.Store`
        instance; or ``"sparql"`` with ``endpoint``: the graphs published
        to a SPARQL 1.1 server (:func:`mbc_graph.publish.publish`). By default ``$MBC_GRAPH_STORE``, else ``"oxigraph"``.
        Both give the same answers; with 100k synthetic patients Oxigraph
        answers 2-60 times faster and needs about a quarter of the memory
        (``benchmarks/RESULTS.md``).
    extra : iterable of paths
        The user's own Turtle files, each loaded into a named graph
        ``file:///...``; a file that does not parse raises
        :class:`~mbc_graph.errors.TurtleSyntaxError` naming file and line.
    ontology : path, optional
        Another ontology file instead of the bundled one.
    path : path, optional
        Keep the data in an on-disk Oxigraph store in this directory
        (:mod:`mbc_graph.stores.disk`): the first call builds it from the
        ontology and ``extra``; later calls reopen it read-only in a time
        that does not grow with the data, with the files it was built from
        when ``extra`` is empty. A store whose ontology or files changed
        raises :class:`~mbc_graph.errors.StaleStore`.
    rebuild : bool
        With ``path``: build the store again from the files as they are now
        (a stale store otherwise raises :class:`~mbc_graph.errors.StaleStore`).
    read_only : bool
        With ``path``: never build (a missing or stale store is an error),
        as worker processes open a store that another process built.
    endpoint, update_endpoint : str, optional
        With ``store="sparql"``: the server's query endpoint, and its update
        endpoint (kept as ``kg.store.update_endpoint`` for publishing).
    auth : (user, password) or httpx.Auth, optional
        With ``store="sparql"``: credentials, sent as the server asks.

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
    if store == "sparql":
        from .stores.sparql import SparqlStore  # here: it imports httpx, an optional dependency

        if endpoint is None:
            raise MBCGraphError("store='sparql' needs endpoint=, the server's SPARQL query endpoint")
        remote = SparqlStore(endpoint, update_endpoint=update_endpoint, auth=auth)
        return KnowledgeGraph(remote, remote.sources)
    sources = [Path(ontology) if ontology else bundled_ontology(), *(Path(p) for p in extra)]
    for i, source in enumerate(sources):  # all of them before parsing any: a typo fails fast
        if not source.is_file():
            raise MBCGraphError(f"No such file: {source}") if i else MBCGraphError(f"Ontology not found: {source}")
    if path is not None:
        if store not in (None, "oxigraph"):
            raise MBCGraphError("path= keeps the data in an on-disk Oxigraph store: leave store= out")
        disk, sources = open_store(path, sources[0], sources[1:], fill, rebuild=rebuild, read_only=read_only)
        return KnowledgeGraph(disk, sources)
    if store is None:
        store = default_store()
    backend = stores.get(store)() if isinstance(store, str) else store
    fill(backend, sources)
    return KnowledgeGraph(backend, sources)
