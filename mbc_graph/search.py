"""Fuzzy search over short texts (concept names, claim topics, quotes), with rapidfuzz.

How a text is scored against a query, in [0, 1]:

1. Both are normalised (case, accents, punctuation, ``+`` as "positive")
   and split into words. Common words ("of", "the", "in") count only when
   the query has nothing else.
2. Each query word is matched against the words of the text: the same word
   scores 1.0, the start of a longer word ("mets" in "metastasis") 0.9, a
   word within one or two typos (rapidfuzz's normalised Indel similarity of
   at least 0.75) 0.9 times that similarity. So a whole word always beats a
   typo, and "breath" is not taken for "breast" when "breath" is there.
3. The query's words are weighted by how rare they are among the indexed
   texts (inverse document frequency): "brain" decides more than
   "cancer", which half the names contain.
4. ``score = 0.8 * (weighted share of the query matched)
   + 0.2 * (weighted share of the text matched)``: a text that says no more
   than the query wins. A text equal to the query scores 1.0; a synonym
   scores 0.98 of a label.

Texts below :data:`SCORE_CUTOFF` (0.5) are dropped: a query that half
matches nothing gets no answer rather than a confident wrong one. (With
it, "short of breath" finds dyspnea and not "previous breast cancer
diagnosis", which scores about 0.3.)
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

#: The lowest score a search returns.
SCORE_CUTOFF = 0.5
#: Longer queries are cut here: the time a search takes stays bounded for any input.
MAX_QUERY_CHARACTERS = 200
#: Words that say little on their own; they count only in a query made of nothing else.
STOPWORDS = frozenset("a an and are as at by for from in is it its of on or the to with".split())
_TYPO_SIMILARITY = 75  # rapidfuzz ratio, 0-100: one typo in a 5-letter word, two in a 9-letter one
_PREFIX, _TYPO_FACTOR, _SYNONYM_FACTOR, _QUERY_SHARE = 0.9, 0.9, 0.98, 0.8

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


@dataclass(frozen=True)
class Match:
    """A search hit: the key of what matched (a concept's IRI...), the text that matched and a score in [0, 1]."""

    iri: str
    name: str
    score: float


class TextIndex:
    """Texts indexed by word, ranked against a query as the module describes.

    Parameters
    ----------
    entries : iterable of (key, text, preferred)
        ``key`` names what the text belongs to (several texts may share one:
        a label and its synonyms); ``preferred`` marks labels, which win a
        tie with a synonym.
    completeness : float
        The weight of "how much of the text the query covers"; 0.2 for names,
        0 for passages (a quote is not worse for saying more).

    Examples
    --------
    >>> index = TextIndex([("a", "bone pain", True), ("b", "back pain", True), ("c", "fatigue", True)])
    >>> [m.iri for m in index.search("bone pian")]
    ['a']
    """

    def __init__(self, entries: Iterable[tuple[str, str, bool]], *, completeness: float = 1 - _QUERY_SHARE) -> None:
        self.entries: list[tuple[str, str, float, tuple[str, ...]]] = []
        self._completeness = completeness
        by_word: dict[str, set[int]] = defaultdict(set)
        for key, text, preferred in entries:
            words = tuple(normalize(text).split())
            if not words:
                continue
            self.entries.append((key, text, 1.0 if preferred else _SYNONYM_FACTOR, words))
            for word in words:
                by_word[word].add(len(self.entries) - 1)
        self._by_word = {word: tuple(sorted(ids)) for word, ids in by_word.items()}
        self._vocabulary = sorted(self._by_word)
        total = max(len(self.entries), 1)
        self._idf = {word: math.log(1 + total / len(ids)) for word, ids in self._by_word.items()}
        self._rare = math.log(1 + total)  # an unknown word is as telling as the rarest
        self._similar = lru_cache(maxsize=4096)(self._similar_words)

    def __len__(self) -> int:
        return len(self.entries)

    def _similar_words(self, word: str) -> tuple[tuple[str, float], ...]:
        """Indexed words close to ``word``, with their similarity in [0, 1]."""
        found: dict[str, float] = {}
        for other, similarity, _ in process.extract(word, self._vocabulary, scorer=fuzz.ratio, limit=None,
                                                    score_cutoff=_TYPO_SIMILARITY):
            found[other] = 1.0 if other == word else _TYPO_FACTOR * similarity / 100
        if len(word) >= 3:  # the start of a longer word: typing as you go, or an abbreviation
            i = bisect_left(self._vocabulary, word)
            while i < len(self._vocabulary) and self._vocabulary[i].startswith(word):
                other = self._vocabulary[i]
                found[other] = max(found.get(other, 0.0), 1.0 if other == word else _PREFIX)
                i += 1
        return tuple(found.items())

    def search(self, text: str, limit: int | None = 10, cutoff: float = SCORE_CUTOFF) -> list[Match]:
        """The best text per key, best first, scoring at least ``cutoff``.

        ``limit=None`` returns every key above the cut-off.
        """
        if limit is not None and limit < 1:
            raise ValueError("limit must be at least 1")
        query = normalize(text[:MAX_QUERY_CHARACTERS])
        words = [w for w in dict.fromkeys(query.split()) if w not in STOPWORDS] or list(dict.fromkeys(query.split()))
        if not words:
            return []
        similar = [dict(self._similar(word)) for word in words]
        weights = [max((self._idf[w] for w in s if s[w] == 1.0), default=None)
                   or max((self._idf[w] for w in s), default=self._rare) for s in similar]
        candidates = {i for s in similar for w in s for i in self._by_word[w]}
        best: dict[str, Match] = {}
        for i in sorted(candidates):  # in index order, so a tie keeps the same name everywhere
            key, name, factor, name_words = self.entries[i]
            if " ".join(name_words) == query:
                score = 1.0 * factor
            else:
                score = factor * self._score(similar, weights, name_words)
            score = round(score, 4)
            if score >= cutoff and (key not in best or score > best[key].score):
                best[key] = Match(key, name, score)
        ranked = sorted(best.values(), key=lambda m: (-m.score, len(m.name), m.name))
        return ranked if limit is None else ranked[:limit]

    def _score(self, similar: list[dict[str, float]], weights: list[float], name_words: tuple[str, ...]) -> float:
        matched = sum(w * max((s.get(n, 0.0) for n in name_words), default=0.0) for s, w in zip(similar, weights))
        query_share = matched / sum(weights)
        if not self._completeness:
            return query_share
        content = [n for n in name_words if n not in STOPWORDS] or list(name_words)
        covered = sum(self._idf[n] for n in content if any(n in s for s in similar))
        text_share = covered / sum(self._idf[n] for n in content)
        return (1 - self._completeness) * query_share + self._completeness * text_share


def parameters() -> dict:
    """The ranking's constants, for the HTML views' copy of this scorer (``viz/templates/explorer.js``)."""
    return {"cutoff": SCORE_CUTOFF, "maxQuery": MAX_QUERY_CHARACTERS, "stopwords": sorted(STOPWORDS),
            "typoSimilarity": _TYPO_SIMILARITY, "prefix": _PREFIX, "typoFactor": _TYPO_FACTOR,
            "synonymFactor": _SYNONYM_FACTOR, "completeness": 1 - _QUERY_SHARE}


def rank(names: list[tuple[str, str]], text: str, limit: int = 10, cutoff: float = SCORE_CUTOFF) -> list[Match]:
    """Rank ``(key, name)`` pairs against ``text``; the best name per key counts.

    For repeated searches build a :class:`TextIndex` once instead.

    >>> rank([("a", "bone pain"), ("b", "back pain"), ("c", "fatigue")], "bone pian", limit=2)[0].iri
    'a'
    """
    return TextIndex((key, name, True) for key, name in names).search(text, limit, cutoff)
