"""The names of every concept, ready to search: what ``kg.search``, ``mbc-graph search`` and the views use.

It is plain data (no rdflib), so it can be cached on disk for a fast
``mbc-graph search`` and embedded in an HTML view as JSON, where the page
ranks with the same rules (:mod:`mbc_graph.search`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .cache import read_private, write_private
from .search import Match, TextIndex, normalize, parameters

_FORMAT = "mbc-graph name index v1"
_KEEP = 4


@dataclass
class NameIndex:
    """What search needs about each concept.

    ``concepts`` maps an IRI to ``(label, category, curie)``; ``names`` holds
    ``(iri, name, is_label)`` for labels and synonyms (searched fuzzily);
    ``lookup`` maps a normalised CURIE, cross-reference or IRI to the IRIs it
    names (matched exactly).
    """

    concepts: dict[str, tuple[str, str | None, str]]
    names: list[tuple[str, str, bool]]
    lookup: dict[str, list[str]]
    _index: TextIndex = field(init=False, repr=False)
    _name_keys: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = TextIndex(self.names)
        self._name_keys = {normalize(name) for _, name, _ in self.names}

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Concepts ranked by label and synonym; a CURIE, cross-reference or IRI naming one comes first (1.0).

        Examples
        --------
        >>> index = NameIndex({"x": ("jaundice", "symptom", "mbc:Jaundice")},
        ...                   [("x", "jaundice", True)], {"hp 0000952": ["x"]})
        >>> [(m.iri, m.score) for m in index.search("HP:0000952")]
        [('x', 1.0)]
        """
        by_name = self._index.search(text, limit)
        key = normalize(text)
        named = [] if key in self._name_keys else self.lookup.get(key, [])
        return ([Match(iri, text, 1.0) for iri in named] + [m for m in by_name if m.iri not in named])[:limit]

    def for_page(self) -> dict:
        """What an HTML view embeds to search as :meth:`search` does: the names, the exact-only keys, the constants."""
        return {"names": self.names, "lookup": {k: v for k, v in self.lookup.items() if k not in self._name_keys},
                "parameters": parameters()}

    def to_json(self) -> str:
        """The index as JSON: ``{"concepts": ..., "names": ..., "lookup": ...}``."""
        return json.dumps({"concepts": self.concepts, "names": self.names, "lookup": self.lookup},
                          ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> NameIndex:
        data = json.loads(text)
        return cls({iri: (c[0], c[1], c[2]) for iri, c in data["concepts"].items()},
                   [(iri, name, bool(label)) for iri, name, label in data["names"]],
                   {key: list(iris) for key, iris in data["lookup"].items()})


def _cache_name(ontology: Path) -> str:
    digest = hashlib.sha256(_FORMAT.encode())
    digest.update(Path(ontology).read_bytes())
    return f"names-{digest.hexdigest()}.json"


def cached(ontology: Path) -> NameIndex | None:
    """The name index of ``ontology`` from the disk cache, or None (missing, unsafe or damaged)."""
    text = read_private(_cache_name(ontology))
    if text is None:
        return None
    try:
        return NameIndex.from_json(text)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def remember(ontology: Path, index: NameIndex) -> None:
    """Cache the name index of ``ontology`` (only the ontology: user files change names)."""
    path = write_private(_cache_name(ontology), index.to_json())
    if path is not None:  # every edit of the ontology makes a new file: keep the latest few
        others = sorted((p for p in path.parent.glob("names-*.json") if p != path),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[_KEEP - 1:]:
            stale.unlink(missing_ok=True)
