"""Term and query caches are bounded in size, not only in entries (security review F9)."""

from __future__ import annotations

import gc
import tracemalloc

from pyoxigraph import Literal

from mbc_graph.caching import term_cache


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
