"""What ``kg.search`` searches besides concept names: claims and evidence quotes.

Each kind of text has its own :class:`~mbc_graph.search.TextIndex`, built
on first use from the graph; hits of several kinds are merged by score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .evidence import Claim, Evidence, evidence_from_rows
from .search import SCORE_CUTOFF, TextIndex

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

#: The kinds of text ``kg.search`` knows.
KINDS = ("concept", "claim", "quote")


@dataclass
class Corpus:
    """The claims and quotes of one graph, with their search indexes."""

    claims: dict[str, Claim]
    quotes: dict[str, Evidence]
    _indexes: dict[str, TextIndex] = field(default_factory=dict)

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Corpus:
        quotes = {}
        for row in kg.named("quotes").rows:
            quotes[str(row.evidence)] = evidence_from_rows([row], None, str)[0]
        return cls({claim.iri: claim for claim in kg.claims()}, quotes)

    def index(self, kind: str) -> TextIndex:
        """The index of ``"claim"`` statements and topics (topics preferred) or ``"quote"`` texts."""
        if kind not in self._indexes:
            if kind == "claim":
                entries = [(c.iri, text, text == c.topic) for c in self.claims.values() for text in (c.topic, c.statement)]
                self._indexes[kind] = TextIndex(entries)
            else:
                self._indexes[kind] = TextIndex(((key, e.quote or "", True) for key, e in self.quotes.items()),
                                                completeness=0.0)
        return self._indexes[kind]

    def topics(self) -> list[str]:
        """The distinct claim topics, sorted."""
        return sorted({c.topic for c in self.claims.values()}, key=str.casefold)

    def claims_on(self, topic: str) -> set[str]:
        """The IRIs of the claims whose topic matches ``topic``, else whose statement does.

        Matched as :mod:`mbc_graph.search` matches: "5 year survival" finds
        the topic "five-year survival"; "curable" finds no topic but the
        statements that say "not curable".
        """
        hits = self.index("claim").search(topic, limit=None, cutoff=SCORE_CUTOFF)
        on_topic = {m.iri for m in hits if m.name == self.claims[m.iri].topic}
        return on_topic or {m.iri for m in hits}


def kinds_of(kinds: str | Iterable[str]) -> list[str]:
    """Check and list the kinds asked for.

    >>> kinds_of("claim")
    ['claim']
    >>> kinds_of(["concept", "claims"])
    Traceback (most recent call last):
    ...
    ValueError: Unknown search kind 'claims'; valid kinds: concept, claim, quote.
    """
    found = [kinds] if isinstance(kinds, str) else list(kinds)
    for kind in found:
        if kind not in KINDS:
            raise ValueError(f"Unknown search kind {kind!r}; valid kinds: {', '.join(KINDS)}.")
    return found


def search(kg: KnowledgeGraph, text: str, limit: int, kinds: str | Iterable[str]) -> list[tuple[Any, float]]:
    """Hits of the given kinds, merged best first: ``(Concept | Claim | Evidence, score)`` pairs."""
    hits: list[tuple[Any, float]] = []
    for kind in kinds_of(kinds):
        if kind == "concept":
            hits += [(kg.concepts.concepts[m.iri], m.score) for m in kg.concepts.search(text, limit)]
        else:
            table: dict[str, Any] = kg._corpus.claims if kind == "claim" else kg._corpus.quotes
            hits += [(table[m.iri], m.score) for m in kg._corpus.index(kind).search(text, limit)]
    return sorted(hits, key=lambda hit: -hit[1])[:limit]
