"""The KnowledgeGraph facade: one object that users hold, over any store.

The graph's queries live in :class:`~mbc_graph.core.GraphCore`; this class
adds the views built on them (export, visualization, publishing,
validation), each a function of its own module taking the core.
"""

from __future__ import annotations

from pathlib import Path

from .core import GraphCore, PathResult
from .options import Limits
from .export import export
from .relations import SUBCLASS, SUPERCLASS, Relation
from .validate import validate
from .viz import visualize

__all__ = ["KnowledgeGraph", "Limits", "PathResult", "Relation", "SUBCLASS", "SUPERCLASS"]


class KnowledgeGraph(GraphCore):
    """The MBC knowledge graph: the ontology, its relation graph and user data.

    Create it with :func:`mbc_graph.load`. Every method that takes a concept
    accepts a label, synonym, CURIE, xref, IRI or :class:`Concept`.
    """

    # -- export, views, validation ----------------------------------------------------------
    def export(self, path: str | Path, format: str | None = None) -> Path:
        """Write the graph to ``path`` (Turtle, N-Triples, JSON-LD or GraphML), atomically."""
        return export(self, path, format)

    def visualize(self, focus=None, radius: int = 1, relations=None, categories=None, path=None, **options):
        """An interactive HTML view; options as :func:`mbc_graph.viz.visualize`."""
        return visualize(self, focus=focus, radius=radius, relations=relations, categories=categories, path=path,
                         **options)

    def visualize_path(self, source, target):
        """An interactive HTML view of the shortest path between two concepts."""
        return self.visualize(path=(source, target))

    def publish(self, **options):
        """Write the ontology, its relation graph and the user's files to a SPARQL 1.1 server,
        each replacing its own named graph; options as :func:`mbc_graph.publish.publish`."""
        from .publish import publish  # here: it imports httpx, an optional dependency

        return publish(self, **options)

    def validate(self, **options):
        """Run the ontology QC checks and SHACL; return a report.

        Keyword options (``reference_dir``, ``shacl``, ``reasoner``...) are
        those of :func:`mbc_graph.validate.validate`.
        """
        return validate(self, **options)
