"""mbc_graph: a knowledge graph of metastatic breast cancer, with evidence.

>>> import mbc_graph
>>> kg = mbc_graph.load()
>>> kg.concept("stage IV breast cancer").label
'metastatic breast cancer'
"""

from __future__ import annotations

from .concepts import Concept
from .errors import (
    ConceptNotFound,
    ForbiddenQuery,
    MBCGraphError,
    NoPath,
    QuerySyntaxError,
    TurtleSyntaxError,
    UnknownRelation,
    UnknownStore,
)
from .evidence import Claim, Evidence
from .graph import KnowledgeGraph, PathResult, Relation
from .loading import bundled_ontology, load

__version__ = "0.1.0"

__all__ = [
    "Claim", "Concept", "ConceptNotFound", "Evidence", "ForbiddenQuery", "KnowledgeGraph",
    "MBCGraphError", "NoPath", "PathResult", "QuerySyntaxError", "Relation", "TurtleSyntaxError",
    "UnknownRelation", "UnknownStore", "bundled_ontology", "load",
]
