"""Keep only some edges by how often they hold and by the sources behind them.

Every helper (``symptoms_of``, ``therapies_for``...) takes the same three
filters, which this module checks and applies to an edge's evidence items:

- ``qualifiers``: the qualifiers to keep, among ``"always"`` (an axiom) and
  the association qualifiers ``"often"``, ``"sometimes"``, ``"rarely"``,
  ``"in selected cases"`` and ``"not stated"``;
- ``exclude_sources``: source documents (file names, or the keys
  ``"000"``..``"004"``) or reference records whose evidence does not count;
- ``min_rating``: ``"low"``, ``"medium"`` or ``"high"``: only evidence from
  sources rated at least this counts.

An edge is kept when some evidence item still counts and its qualifier is
wanted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import InvalidFilter
from .evidence import ALWAYS, QUALIFIERS, RATINGS, Evidence, edge_qualifier
from .namespaces import MBC  # noqa: F401  (used by the doctest)


@dataclass(frozen=True)
class EdgeFilter:
    """Checked filters for the edges behind a helper's answers.

    >>> f = EdgeFilter.of(qualifiers={"often"}, min_rating="medium")
    >>> f.keeps([Evidence("001.txt", "T", qualifier="often", rating="high")])
    True
    >>> f.keeps([Evidence("003.txt", "T", qualifier="often", rating="low")])
    False
    """

    qualifiers: frozenset[str] | None = None
    exclude_sources: frozenset[str] = frozenset()
    min_rating: str | None = None

    @classmethod
    def of(cls, qualifiers: Iterable[str] | None = None, exclude_sources: Iterable[str] | None = None,
           min_rating: str | None = None) -> EdgeFilter:
        """Check the filters a user passed; raise :class:`InvalidFilter` naming the bad value."""
        if isinstance(qualifiers, str):
            qualifiers = [qualifiers]
        wanted = None if qualifiers is None else frozenset(qualifiers)
        unknown = sorted((wanted or frozenset()) - {ALWAYS, *QUALIFIERS})
        if unknown:
            raise InvalidFilter(f"Unknown qualifier {unknown[0]!r}; use any of: {', '.join((ALWAYS, *QUALIFIERS))}")
        if min_rating is not None and min_rating not in RATINGS:
            raise InvalidFilter(f"Unknown rating {min_rating!r}; use one of: {', '.join(RATINGS)}")
        if isinstance(exclude_sources, str):
            exclude_sources = [exclude_sources]
        return cls(wanted, frozenset(exclude_sources or ()), min_rating)

    @property
    def active(self) -> bool:
        """False when the filter keeps every edge."""
        return self.qualifiers is not None or bool(self.exclude_sources) or self.min_rating is not None

    def counts(self, item: Evidence) -> bool:
        """Whether one evidence item survives the source filters."""
        if any(item.source == name or item.source.startswith(f"{name}_") for name in self.exclude_sources):
            return False
        if self.min_rating is not None:
            return RATINGS.index(item.rating or "low") >= RATINGS.index(self.min_rating)
        return True

    def keeps(self, items: list[Evidence]) -> bool:
        """Whether an edge with these evidence items is kept."""
        counted = [item for item in items if self.counts(item)]
        if not counted:
            return False
        qualifier, _ = edge_qualifier(counted)
        return self.qualifiers is None or qualifier in self.qualifiers

    def answers(self, rows: Iterable, evidence: Callable[..., list[Evidence]]) -> list:
        """The first value of each row whose edge (``?es ?ep ?eo``) is kept; ``evidence(s, p, o)`` is read once an edge."""
        kept, decided = [], {}
        for row in rows:
            edge = (row.es, row.ep, row.eo)
            if edge not in decided:
                decided[edge] = self.keeps(evidence(*edge))
            if decided[edge]:
                kept.append(row[0])
        return kept


def qualifiers_of_edges(kg, subject=None) -> dict[tuple[str, str, str], tuple[str, str | None]]:
    """``(subject, relation, object) IRIs -> (qualifier, condition)`` for edges made from associations.

    Only the edges of ``subject`` when given. Edges from axioms are not
    listed: they hold :data:`~mbc_graph.evidence.ALWAYS`.

    >>> tnbc = kg.concept("triple-negative breast cancer").iri
    >>> qualifiers_of_edges(kg, tnbc)[(str(tnbc), str(MBC.treatedBy), str(MBC.ImmuneCheckpointInhibitorTherapy))]
    ('in selected cases', 'with specific biomarkers')
    """
    rows = kg.named("edge_qualifiers", {} if subject is None else {"s": subject}).rows
    return {(str(row.s), str(row.p), str(row.o)): (str(row.qualifier), None if row.condition is None else str(row.condition))
            for row in rows}

