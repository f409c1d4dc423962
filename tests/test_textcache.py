"""Query caches are bounded in size, not only in entries (security review F9)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from pyoxigraph import Literal

from mbc_graph.textcache import term_cache, text_cache


def test_text_cache_keeps_at_most_max_chars_of_text():
    calls = []

    @text_cache(maxsize=100, max_chars=10)
    def length(text):
        calls.append(text)
        return len(text)

    assert [length(t) for t in ("aaaa", "bbbb", "cccc", "bbbb")] == [4, 4, 4, 4]
    assert calls == ["aaaa", "bbbb", "cccc"]  # "bbbb" came from the cache the second time
    assert length.cache_info() == {"entries": 2, "chars": 8}  # "aaaa" went to make room
    length("x" * 11)  # longer than the cap: computed, never kept
    assert length.cache_info() == {"entries": 2, "chars": 8}
    length("aaaa")
    assert calls[-2:] == ["x" * 11, "aaaa"]


def test_text_cache_counts_strings_inside_tuples_and_keeps_at_most_maxsize_entries():
    @text_cache(maxsize=2, max_chars=100)
    def first(text, names):
        return names[0]

    first("q", ("a" * 50,))
    assert first.cache_info() == {"entries": 1, "chars": 51}
    first("r", ("b",))
    first("s", ("c",))
    assert first.cache_info() == {"entries": 2, "chars": 4}


def test_text_cache_does_not_keep_errors():
    calls = []

    @text_cache()
    def check(text):
        calls.append(text)
        raise ValueError(text)

    for _ in range(2):
        with pytest.raises(ValueError):
            check("bad")
    assert calls == ["bad", "bad"]


def test_term_cache_keeps_short_terms_only():
    @term_cache(maxsize=8, longest=5)
    def value(term):
        return None if term is None else term.value

    assert [value(Literal("short")), value(Literal("longer")), value(None)] == ["short", "longer", None]
    assert value.cache_info().currsize == 2


def test_distinct_long_queries_leave_little_memory_behind(kg):
    """The review's proof of concept: each query used to be kept, with its parse tree and its result."""
    kg.query("ASK { ?s ?p ?o }")
    gc.collect()
    tracemalloc.start()
    try:
        for i in range(40):  # 12 MB of query text in all
            kg.query('SELECT ?x WHERE { BIND("%d%s" AS ?x) }' % (i, "x" * 300_000)).rows
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 6 << 20  # 57 MB before the caches were bounded by size
