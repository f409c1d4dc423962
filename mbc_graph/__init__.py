"""mbc_graph: a knowledge graph of metastatic breast cancer, with evidence.

>>> import mbc_graph
>>> kg = mbc_graph.load()
>>> kg.concept("stage IV breast cancer").label
'metastatic breast cancer'
"""

from __future__ import annotations

from .concepts import Concept
from .errors import (
    BadBinding,
    ConceptNotFound,
    ForbiddenQuery,
    MBCGraphError,
    MissingDependency,
    NoPath,
    QueryFailed,
    QuerySyntaxError,
    TurtleSyntaxError,
    UnknownRelation,
    UnknownStore,
)
from .evidence import Claim, Evidence
from .graph import KnowledgeGraph, PathResult, Relation
from .loading import bundled_ontology, load

__version__ = "0.2.0"

__all__ = [
    "BadBinding", "Claim", "Concept", "ConceptNotFound", "Evidence", "ForbiddenQuery", "KnowledgeGraph",
    "MBCGraphError", "MissingDependency", "NoPath", "PathResult", "QueryFailed", "QuerySyntaxError",
    "Relation", "TurtleSyntaxError", "UnknownRelation", "UnknownStore", "bundled_ontology", "load",
]

# Submodules with heavy imports load on first use: ``mbc_graph.synth.cohort(...)``.
_LAZY_SUBMODULES = {"synth", "viz", "validate", "export"}


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        from importlib import import_module

        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mbc_graph' has no attribute {name!r}")
