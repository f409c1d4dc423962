"""Fuzzy search over concept labels and synonyms (standard library only).

Names are normalised (case, punctuation, dashes, ``+`` as "positive"), then
scored by :mod:`difflib` on the whole string and on each word, so typos
and word order matter little.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Fold case, accents and punctuation so names compare as people mean them.

    >>> normalize("HR+  Breast–Cancer")
    'hr positive breast cancer'
    >>> normalize("mbc:BoneMetastasis") == normalize("MBC:bonemetastasis")
    True
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()
    text = text.replace("+", " positive ")
    return " ".join(_NON_WORD.sub(" ", text).split())


_normalized = lru_cache(maxsize=1 << 14)(normalize)


#: Fuzzy matching reads at most this many words and characters of a text:
#: difflib's cost grows with the product of the lengths compared, and no
#: name is longer, so a longer text only costs time (exact lookup reads it all).
FUZZY_WORDS, FUZZY_CHARS = 16, 160


def fuzzy_part(text: str) -> str:
    """The part of a normalised text that fuzzy matching compares.

    >>> fuzzy_part("a " * 100) == " ".join(["a"] * FUZZY_WORDS)
    True
    >>> len(fuzzy_part("ab" * 5000)) == FUZZY_CHARS
    True
    """
    return " ".join(text.split(" ", FUZZY_WORDS)[:FUZZY_WORDS])[:FUZZY_CHARS]


@dataclass(frozen=True)
class Match:
    """A search hit: the concept's IRI, the name that matched and a score in [0, 1]."""

    iri: str
    name: str
    score: float


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _word_score(query_words: list[str], name_words: list[str], ratio: Callable[[str, str], float]) -> float:
    """Mean over query words of the best similarity to any word of the name."""
    if not query_words or not name_words:
        return 0.0
    best = [max(ratio(q, w) for w in name_words) for q in query_words]
    return sum(best) / len(best)


def score(query: str, name: str, ratio: Callable[[str, str], float] = _ratio) -> float:
    """Similarity of a normalised query to a normalised name, in [0, 1].

    ``ratio`` compares two strings (difflib's ratio unless a caller passes
    a memoised one).

    >>> score("short of breath", "shortness of breath") > 0.8
    True
    >>> score("cancer breast", "breast cancer") > 0.9
    True
    """
    if query == name:
        return 1.0
    q_words, n_words = query.split(), name.split()
    whole = ratio(query, name)
    ordered = ratio(" ".join(sorted(q_words)), " ".join(sorted(n_words)))
    words = _word_score(q_words, n_words, ratio)
    # Cover both directions so a short query does not match every long name.
    coverage = min(words, _word_score(n_words, q_words, ratio) + 0.25)
    prefix = 0.9 if name.startswith(query) or query.startswith(name) else 0.0
    return round(max(whole, ordered, coverage, prefix * min(1.0, len(query) / max(len(name), 1) + 0.3)), 4)


def rank(names: list[tuple[str, str]], text: str, limit: int = 10, cutoff: float = 0.55) -> list[Match]:
    """Rank ``(iri, name)`` pairs against ``text``; the best name per IRI counts.

    >>> rank([("a", "bone pain"), ("b", "back pain"), ("c", "fatigue")], "bone pian", limit=2)[0].iri
    'a'
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    query = fuzzy_part(normalize(text))
    if not query:
        return []
    # Names share most of their words ("metastasis", "therapy"...): compare
    # each pair of words once per search, and normalise each name once.
    ratio = lru_cache(maxsize=None)(_ratio)
    best: dict[str, Match] = {}
    for iri, name in names:
        s = score(query, fuzzy_part(_normalized(name)), ratio)
        if s >= cutoff and (iri not in best or s > best[iri].score):
            best[iri] = Match(iri, name, s)
    return sorted(best.values(), key=lambda m: (-m.score, len(m.name), m.name))[:limit]
