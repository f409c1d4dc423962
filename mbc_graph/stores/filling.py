"""Filling an empty store: the ontology, the user's files and the relation graph, in the default store.

Below the facade, so that :func:`mbc_graph.load` and the validator's
``validate(path)`` fill a store the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rdflib import URIRef

from ..errors import UnknownStore
from ..namespaces import ONTOLOGY_GRAPH
from ..relation_graph import SCHEMA_PREDICATES, cache_key, materialize
from . import Store, available

#: The store used when ``load()`` is not told one and ``$MBC_GRAPH_STORE`` is unset.
DEFAULT_STORE = "oxigraph"


def default_store() -> str:
    """The store name ``load()`` uses by default: ``$MBC_GRAPH_STORE``, else ``"oxigraph"``.

    The variable lets a program, a notebook or a test run switch stores
    without changing code (``MBC_GRAPH_STORE=memory python script.py``).
    """
    name = os.environ.get("MBC_GRAPH_STORE") or DEFAULT_STORE
    if name not in available():
        raise UnknownStore(name, available(), origin="$MBC_GRAPH_STORE")
    return name




def fill(backend: Store, sources: Sequence[Path]) -> None:
    """Load the ontology (``sources[0]``), the user's files and the relation graph into ``backend``."""
    graphs = [ONTOLOGY_GRAPH, *(URIRef(source.resolve().as_uri()) for source in sources[1:])]
    for source, graph in zip(sources, graphs):
        backend.parse(source, graph)
    # The relation graph is cached per ontology file, valid unless a user
    # file adds axioms of its own (then it is computed over everything).
    ontology_only = not any(backend.has_predicate(p, g) for g in graphs[1:] for p in SCHEMA_PREDICATES)
    materialize(backend, key=cache_key(sources[0]) if ontology_only else None)
