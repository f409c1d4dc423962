"""Benchmarks: mbc_graph's stores against plain rdflib and raw pyoxigraph.

Run ``make bench`` (``python -m benchmarks.run``); ``--help`` lists the
options (``--sizes 0,1000 --repeat 3`` for a quick run). Results go to
``benchmarks/RESULTS.md``. Nothing here is a test: timings are compared as
ratios within one run, never against fixed thresholds in CI.

Modules: :mod:`~benchmarks.engines` (the four ways of loading and querying),
:mod:`~benchmarks.workload` (the queries, found at run time from the
ontology), :mod:`~benchmarks.measure` (timing, peak memory and cold start in
fresh processes, the machine), :mod:`~benchmarks.report` (RESULTS.md).
"""
