"""The exceptions mbc_graph raises: one tree rooted in :class:`MBCGraphError`.

Each class also derives from the built-in a caller would expect, so
``except LookupError`` catches an unknown concept and ``except SyntaxError``
catches bad Turtle or SPARQL.
"""

from __future__ import annotations

from collections.abc import Sequence


class MBCGraphError(Exception):
    """Base class of every error raised by mbc_graph."""


class ConceptNotFound(MBCGraphError, LookupError):
    """No concept has this label, synonym, CURIE, xref or IRI.

    ``suggestions`` holds the labels of the nearest concepts.
    """

    def __init__(self, text: str, suggestions: Sequence[str] = ()):
        self.text = text
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"No concept matches {text!r}.{hint}")


class UnknownRelation(MBCGraphError, LookupError):
    """A relation name that the ontology does not define."""

    def __init__(self, name: str, known: Sequence[str]):
        self.name = name
        super().__init__(f"Unknown relation {name!r}. Known relations: {', '.join(sorted(known))}.")


class NoPath(MBCGraphError):
    """No path joins two concepts with the relations allowed."""

    def __init__(self, source: str, target: str, relations: Sequence[str] | None = None):
        allowed = f" using only {', '.join(relations)}" if relations else ""
        super().__init__(f"No path between {source!r} and {target!r}{allowed}.")


class QuerySyntaxError(MBCGraphError, SyntaxError):
    """Malformed SPARQL, with the line and column where parsing failed."""

    def __init__(self, message: str, query: str, line: int, column: int):
        lines = query.splitlines() or [""]
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        super().__init__(f"Malformed SPARQL at line {line}, column {column}: {message}")
        self.query, self.lineno, self.offset, self.text = query, line, column, text

    def __str__(self) -> str:  # SyntaxError's own __str__ appends "(line N)"
        return self.args[0]


class QueryFailed(MBCGraphError, RuntimeError):
    """A well-formed query that the store could not evaluate."""


class BadBinding(MBCGraphError, ValueError):
    """A value bound to a query variable that cannot be used as an RDF term."""


class ForbiddenQuery(MBCGraphError, PermissionError):
    """A query that would modify the graph or reach the network or the file system."""


class TurtleSyntaxError(MBCGraphError, SyntaxError):
    """A Turtle file that does not parse, with the file name and line."""

    def __init__(self, path: str, line: int | None, message: str):
        where = f"{path}, line {line}" if line else path
        super().__init__(f"Cannot parse {where}: {message}")
        self.filename, self.lineno = path, line

    def __str__(self) -> str:
        return self.args[0]


class UnknownStore(MBCGraphError, ValueError):
    """A store name that is not registered."""

    def __init__(self, name: str, known: Sequence[str], origin: str = ""):
        where = f" (from {origin})" if origin else ""
        super().__init__(f"Unknown store {name!r}{where}. Available stores: {', '.join(sorted(known))}.")


class MissingDependency(MBCGraphError, ImportError):
    """An optional dependency is needed for this feature."""

    def __init__(self, package: str, extra: str, feature: str):
        super().__init__(
            f"{feature} needs the optional package {package!r}: pip install 'mbc-graph[{extra}]'"
        )


class InvalidFilter(MBCGraphError, ValueError):
    """A helper's ``qualifiers=``, ``exclude_sources=`` or ``min_rating=`` names no known value."""
