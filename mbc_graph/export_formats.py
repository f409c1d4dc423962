"""Export formats: their names, aliases and file extensions (no rdflib: the CLI builds its parser from them).

>>> Format.from_extension("ttl")
<Format.TURTLE: 'ttl'>
>>> Format.from_extension("xyz") is None
True
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

__all__ = ["Format", "resolve_format"]


class Format(Enum):
    """An export format. The value is the usual file extension."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    NQUADS = "nq"
    GRAPHML = "graphml"
    NEO4J = "neo4j"

    @property
    def rdflib_name(self) -> str | None:
        """The rdflib serializer name, or ``None`` for GraphML."""
        return _RDFLIB_NAMES.get(self)

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format keeps named graphs apart (TriG, N-Quads)."""
        return self in (Format.TRIG, Format.NQUADS)

    @classmethod
    def from_extension(cls, extension: str) -> Format | None:
        """The format for a file extension (with or without the dot), or ``None``.

        >>> Format.from_extension(".json")
        <Format.JSONLD: 'jsonld'>
        >>> Format.from_extension("owl") is None
        True
        """
        return _EXTENSIONS.get(extension.lower().lstrip("."))

    @classmethod
    def parse(cls, name: str | Format) -> Format:
        """The format named ``name`` (an extension or a common name such as ``"turtle"``).

        Raises ``ValueError`` listing the valid names when ``name`` is unknown.

        >>> Format.parse("turtle")
        <Format.TURTLE: 'ttl'>
        >>> Format.parse("xml")
        Traceback (most recent call last):
        ...
        ValueError: Unknown export format 'xml'; valid formats: ttl, nt, jsonld, trig, nq, graphml, neo4j.
        """
        if isinstance(name, Format):
            return name
        key = str(name).lower().lstrip(".")
        found = _EXTENSIONS.get(key) or _ALIASES.get(key)
        if found is None:
            raise ValueError(f"Unknown export format {name!r}; valid formats: {cls.names()}.")
        return found

    @classmethod
    def names(cls) -> str:
        """The valid format names, comma-separated (for messages and help)."""
        return ", ".join(f.value for f in cls)


_RDFLIB_NAMES = {
    Format.TURTLE: "turtle",
    Format.NTRIPLES: "nt",
    Format.JSONLD: "json-ld",
    Format.TRIG: "trig",
    Format.NQUADS: "nquads",
}
_EXTENSIONS = {f.value: f for f in Format} | {"json": Format.JSONLD, "nquads": Format.NQUADS}
_ALIASES = {
    "turtle": Format.TURTLE,
    "ntriples": Format.NTRIPLES,
    "n-triples": Format.NTRIPLES,
    "json-ld": Format.JSONLD,
    "n-quads": Format.NQUADS,
    "csv": Format.NEO4J,
}


def resolve_format(path: str | Path, format: str | Format | None = None) -> Format:
    """The format to write ``path`` in: ``format`` if given, else from the extension.

    >>> resolve_format("graph.nt")
    <Format.NTRIPLES: 'nt'>
    >>> resolve_format("graph.txt", "ttl")
    <Format.TURTLE: 'ttl'>
    """
    if format is not None:
        return Format.parse(format)
    found = Format.from_extension(Path(path).suffix)
    if found is None:
        raise ValueError(
            f"Cannot tell the export format from the file name {str(path)!r}; "
            f"give a format or use one of the extensions: {Format.names()} (or .json)."
        )
    return found
