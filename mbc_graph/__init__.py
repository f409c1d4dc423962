"""mbc_graph: a knowledge graph of metastatic breast cancer, with evidence.

>>> import mbc_graph
>>> kg = mbc_graph.load()
>>> kg.concept("stage IV breast cancer").label
'metastatic breast cancer'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    BadBinding,
    ConceptAmbiguous,
    ConceptNotFound,
    ForbiddenQuery,
    MBCGraphError,
    MissingDependency,
    NoPath,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    RemoteStoreError,
    ServerBusy,
    StaleStore,
    StoreInUse,
    TurtleSyntaxError,
    UnknownRelation,
    UnknownStore,
)

if TYPE_CHECKING:
    from .concepts import Concept
    from .evidence import Claim, Evidence
    from .graph import KnowledgeGraph, PathResult, Relation
    from .loading import bundled_ontology, load

__version__ = "0.2.0"

__all__ = [
    "BadBinding", "Claim", "Concept", "ConceptAmbiguous", "ConceptNotFound", "Evidence", "ForbiddenQuery",
    "KnowledgeGraph", "MBCGraphError", "MissingDependency", "NoPath", "PathResult", "QueryFailed", "QuerySyntaxError",
    "QueryTimeout", "QueryTooLarge", "Relation", "RemoteStoreError", "ServerBusy", "StaleStore", "StoreInUse",
    "TurtleSyntaxError", "UnknownRelation", "UnknownStore", "bundled_ontology", "load",
]

# Everything that imports rdflib loads on first use (``mbc_graph.load``,
# ``mbc_graph.synth.cohort(...)``), so a search answered from the cache
# starts fast: the public names by module, and any submodule by name.
_LAZY_NAMES = {
    "Concept": "concepts", "Claim": "evidence", "Evidence": "evidence", "KnowledgeGraph": "graph",
    "PathResult": "graph", "Relation": "graph", "bundled_ontology": "loading", "load": "loading",
}


def __getattr__(name: str):
    from importlib import import_module
    from importlib.util import find_spec

    if name in _LAZY_NAMES:
        return getattr(import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    if not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mbc_graph' has no attribute {name!r}")
