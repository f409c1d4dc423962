"""Bounded queries: a deadline and a memory budget, in worker processes that can be killed.

The two queries of the security review (F1, F2) stand for what untrusted
text can do: ``CONCAT`` grows a string to 10^10 characters (Rust aborts
the process when the allocation fails), and a three-way cross product runs
for hours and ignores Ctrl-C. Through ``timeout=``/``max_memory=`` both end
in an error and the calling process carries on.
"""

from __future__ import annotations

import os
import signal
import threading

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic

import mbc_graph
from mbc_graph import MBCGraphError
from mbc_graph.errors import QueryFailed, QuerySyntaxError, QueryTimeout, QueryTooLarge, ServerBusy
from mbc_graph.namespaces import MBC
from mbc_graph.workers import QueryWorkers, load_args_of

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # F2: hours of work
BUDGET = 256 << 20  # small, so the memory-hungry cases stay cheap


def concat_bomb() -> str:
    """F1: nine BIND(CONCAT(x10)) steps ask for a string of 10^10 characters."""
    text = 'SELECT (STRLEN(?v9) AS ?n) WHERE { BIND("xxxxxxxxxx" AS ?v0) '
    for i in range(1, 10):
        text += "BIND(CONCAT(%s) AS ?v%d) " % (",".join([f"?v{i - 1}"] * 10), i)
    return text + "}"


@pytest.fixture(scope="module")
def pool(kg):
    """A pool of one worker over the graph under test (its store)."""
    with QueryWorkers(load_args=load_args_of(kg), workers=1, queue=0) as pool:
        yield pool


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except OSError:
                pass
    return found


QUERIES = {
    "SELECT": "SELECT ?c ?l WHERE { ?c rdfs:label ?l ; rdfs:subClassOf+ mbc:BreastCancerMetastasis } ORDER BY ?c ?l",
    "ASK": "ASK { mbc:BoneMetastasis rdfs:subClassOf mbc:BreastCancerMetastasis }",
    "CONSTRUCT": "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l ; rdfs:subClassOf mbc:Symptom }",
    "DESCRIBE": "DESCRIBE mbc:BoneMetastasis",
}


@pytest.mark.parametrize("kind", QUERIES)
def test_bounded_results_equal_in_process_results(kg, kind):
    here, there = kg.query(QUERIES[kind]), kg.query(QUERIES[kind], timeout=60, max_memory=BUDGET)
    assert there.type == here.type == kind
    if kind == "SELECT":
        assert there.vars == here.vars
        assert [row.asdict() for row in there.rows] == [row.asdict() for row in here.rows]
        assert len(there.rows) > 5
    elif kind == "ASK":
        assert there.askAnswer is here.askAnswer is True
    else:
        assert len(there.graph) == len(here.graph) > 0
        assert isomorphic(there.graph, here.graph)


def test_literals_and_unbound_values_arrive_as_in_process(kg):
    text = """SELECT ?date ?double ?text ?none WHERE {
        BIND("2006-08-24Z"^^xsd:date AS ?date) BIND("1050"^^xsd:double AS ?double)
        BIND("tab\\there\\nline \\"quoted\\""@en AS ?text) OPTIONAL { mbc:Nothing rdfs:label ?none } }"""
    here, there = kg.query(text).rows, kg.query(text, timeout=60).rows
    assert [tuple(row) for row in there] == [tuple(row) for row in here]
    assert there[0].text == Literal('tab\there\nline "quoted"', lang="en") and there[0].none is None


def test_bindings_reach_the_worker(kg):
    text = "SELECT ?l WHERE { ?c rdfs:label ?l }"
    bound = kg.query(text, {"c": kg.concept("bone metastasis")}, timeout=60).values()
    assert bound == [Literal("bone metastasis", lang="en")]
    assert kg.query(text, c=MBC.Liver, max_memory=BUDGET).values() == [Literal("liver", lang="en")]


def test_helpers_take_limits(kg):
    assert kg.symptoms_of("liver", timeout=60, max_memory=BUDGET) == kg.symptoms_of("liver")
    assert kg.risk_factors(timeout=60) == kg.risk_factors()


def test_bad_queries_fail_as_in_process(kg):
    with pytest.raises(QuerySyntaxError, match="line 1"):
        kg.query("SELECT ?x WHERE { ?x", timeout=60)
    with pytest.raises(MBCGraphError, match="Cannot bind"):
        kg.query("SELECT ?x WHERE { BIND(1 AS ?x) }", {"x": 2}, timeout=60)
    with pytest.raises(ValueError, match="timeout"):
        kg.query("ASK {}", timeout=0)
    with pytest.raises(ValueError, match="max_memory"):
        kg.query("ASK {}", max_memory=-1)


def test_a_query_past_its_deadline_raises_query_timeout_and_the_worker_is_replaced(kg, pool):
    pool.run("ASK { }")
    before = pool.pids()[-1]
    with pytest.raises(QueryTimeout, match="stopped after 1 s") as caught:
        pool.run(CROSS_PRODUCT, timeout=1)
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, MBCGraphError)
    assert not os.path.exists(f"/proc/{before}")  # killed and reaped
    assert pool.run("ASK { mbc:Liver ?p ?o }", timeout=60)[0] == b'{"head":{},"boolean":true}'
    assert pool.pids()[-1] != before


def test_kg_query_with_timeout_stops_the_cross_product(kg):
    with pytest.raises(QueryTimeout):
        kg.query(CROSS_PRODUCT, timeout=1)
    assert kg.query("ASK { mbc:Liver ?p ?o }", timeout=60)  # the graph's pool carries on


def test_a_query_over_its_memory_budget_raises_query_too_large(kg):
    with pytest.raises(QueryTooLarge, match="memory budget of 256 MiB") as caught:
        kg.query(concat_bomb(), timeout=120, max_memory=BUDGET)
    assert isinstance(caught.value, MemoryError) and isinstance(caught.value, MBCGraphError)
    assert kg.query("ASK { mbc:Liver ?p ?o }", max_memory=BUDGET)


def test_an_idle_worker_killed_from_outside_is_replaced(pool):
    pool.run("ASK { }")
    worker = pool.pids()[-1]
    os.kill(worker, signal.SIGKILL)
    assert pool.run("ASK { mbc:Liver ?p ?o }", timeout=60)[0].endswith(b"true}")
    assert worker not in pool.pids()


def test_a_worker_that_dies_mid_query_is_an_error_not_a_hang(pool):
    """Without a memory budget, a crashed worker is a QueryFailed naming the signal."""
    result: list[BaseException] = []

    def run() -> None:
        try:
            pool.run(CROSS_PRODUCT)
        except BaseException as exc:  # noqa: BLE001 (the test reads it)
            result.append(exc)

    pool.run("ASK { }")
    worker = pool.pids()[-1]
    thread = threading.Thread(target=run)
    thread.start()
    _wait_until_busy(worker)
    os.kill(worker, signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive()
    assert isinstance(result[0], QueryFailed) and "exit code -9" in str(result[0])


def _wait_until_busy(pid: int) -> None:
    """Until the process has used some CPU time on the query (no timing threshold: a bounded poll)."""
    import time

    def cpu() -> int:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    start = cpu()
    for _ in range(600):
        if cpu() > start + 5:
            return
        time.sleep(0.05)
    raise AssertionError("the worker never started on the query")


@pytest.mark.once
def test_a_full_queue_raises_server_busy(kg):
    pool = QueryWorkers(load_args=load_args_of(kg), workers=1, queue=0)
    failures: list[BaseException] = []

    def occupy() -> None:
        try:
            pool.run(CROSS_PRODUCT, timeout=300)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    try:
        pool.run("ASK { }")
        thread = threading.Thread(target=occupy)
        thread.start()
        _wait_until_busy(pool.pids()[-1])
        with pytest.raises(ServerBusy, match="All 1 query workers are busy"):
            pool.run("ASK { }")
    finally:
        pool.close()  # also ends the long query: its worker goes with the zygote
    thread.join(60)
    assert not thread.is_alive() and isinstance(failures[0], MBCGraphError)


def test_workers_are_not_forks_of_this_process(kg, pool):
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(os.getpid()))  # runs on any os.fork() here
    threads = set(threading.enumerate())
    with QueryWorkers(load_args=load_args_of(kg), workers=2) as fresh:
        fresh.run("ASK { }")
        zygote, *workers = fresh.pids()
        assert zygote != os.getpid() and workers and zygote not in workers
        with open(f"/proc/{zygote}/cmdline", "rb") as cmdline:
            assert b"mbc_graph.worker_process" in cmdline.read()  # a new interpreter, exec'd
        assert os.listdir(f"/proc/{zygote}/task") == [str(zygote)]  # single-threaded: safe to fork
        assert set(workers) <= _children(zygote)
        assert set(threading.enumerate()) == threads  # the pool starts no thread here
    assert os.getpid() not in forks
