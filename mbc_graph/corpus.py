"""Claims and evidence quotes: read from the rows of the named queries, and searched.

``kg.search`` searches them besides concept names. Each kind of text has
its own :class:`~mbc_graph.search.TextIndex`, built on first use; hits of
several kinds are merged by score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .concepts import ConceptIndex
from .evidence import Claim, Evidence, evidence_from_rows
from .search import SCORE_CUTOFF, TextIndex

#: The kinds of text ``kg.search`` knows.
KINDS = ("concept", "claim", "quote")


@dataclass
class Corpus:
    """The claims and quotes of one graph, with their search indexes."""

    claims: dict[str, Claim]
    quotes: dict[str, Evidence]
    _indexes: dict[str, TextIndex] = field(default_factory=dict)

    @classmethod
    def of(cls, claims: Iterable[Claim], quote_rows: Iterable) -> Corpus:
        """The corpus of ``claims`` and the quotes of the named query ``quotes``."""
        quotes = {str(row.evidence): evidence_from_rows([row], None, str)[0] for row in quote_rows}
        return cls({claim.iri: claim for claim in claims}, quotes)

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


def search(text: str, limit: int, kinds: str | Iterable[str], concepts: ConceptIndex,
           corpus: Callable[[], Corpus]) -> list[tuple[Any, float]]:
    """Hits of the given kinds, merged best first: ``(Concept | Claim | Evidence, score)`` pairs.

    ``corpus`` makes the claims and quotes, when they are searched.
    """
    hits: list[tuple[Any, float]] = []
    for kind in kinds_of(kinds):
        if kind == "concept":
            hits += [(concepts.concepts[m.iri], m.score) for m in concepts.search(text, limit)]
        else:
            texts = corpus()
            table: dict[str, Any] = texts.claims if kind == "claim" else texts.quotes
            hits += [(table[m.iri], m.score) for m in texts.index(kind).search(text, limit)]
    return sorted(hits, key=lambda hit: -hit[1])[:limit]


def claims_from_rows(rows: Iterable, evidence: Callable[[str], list[Evidence]], label: Callable[[str], str], *,
                     about: str | None = None, on_topic: set[str] | None = None) -> list[Claim]:
    """The claims of the named query ``claims``, one per claim IRI.

    ``evidence`` gives a claim's evidence items, ``label`` a concept's label;
    ``about`` keeps only the claims about that concept IRI, ``on_topic`` only
    those IRIs.
    """
    grouped: dict[str, dict] = {}
    for row in rows:
        entry = grouped.setdefault(str(row.claim), {"row": row, "about": set(), "other": set()})
        entry["about"].add(str(row.about))
        if row.other is not None:
            entry["other"].add(str(row.other))
    claims = []
    for iri, entry in grouped.items():
        row = entry["row"]
        if about and about not in entry["about"]:
            continue
        if on_topic is not None and iri not in on_topic:
            continue
        claims.append(Claim(
            iri=iri, statement=str(row.statement), topic=str(row.topic),
            status=str(row.status).rsplit("/", 1)[-1].lower(), status_note=str(row.note),
            about=tuple(sorted(label(a) for a in entry["about"])),
            conflicts_with=tuple(sorted(entry["other"])), evidence=tuple(evidence(iri)),
        ))
    return claims
