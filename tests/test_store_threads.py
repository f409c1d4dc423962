"""Results made in one thread, dropped in another: what a threaded server does all day.

pyoxigraph's result iterators belong to the thread that made them; dropping
one in another thread leaks it and reports an error. Binding values parses
the query, and the parser's exceptions leave frames in reference cycles, so a
query's frame can outlive it until a garbage collection, in any thread.
"""

from __future__ import annotations

import gc
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import mbc_graph

pytestmark = pytest.mark.once  # loads the Oxigraph store itself, whatever store the run is on


def test_a_bound_query_run_in_one_thread_is_freed_cleanly_in_another():
    kg = mbc_graph.load(store="oxigraph")
    reported = []
    previous, sys.unraisablehook = sys.unraisablehook, reported.append
    try:
        with ThreadPoolExecutor(1) as pool:
            items = pool.submit(kg.evidence, "brain metastasis", "has symptom", "seizure").result()
        gc.collect()  # here, in the main thread
    finally:
        sys.unraisablehook = previous
    assert items
    assert [str(report.exc_value) for report in reported] == []
