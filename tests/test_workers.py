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

import mbc_graph
from rdflib.compare import isomorphic

from mbc_graph import MBCGraphError
from mbc_graph.errors import ForbiddenQuery, QueryFailed, QuerySyntaxError, QueryTimeout, QueryTooLarge, ServerBusy
from mbc_graph.namespaces import MBC
from mbc_graph.workers import QueryWorkers, load_args_of
from processes import BUDGET, CROSS_PRODUCT, children, concat_bomb, wait_until_busy, wait_until_dead


@pytest.fixture(scope="module")
def pool(kg):
    """A pool of one worker over the graph under test (its store)."""
    with QueryWorkers(load_args=load_args_of(kg), workers=1, queue=0) as pool:
        yield pool


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
    with pytest.raises(QuerySyntaxError) as here:
        kg.query("SELECT ?x WHERE {\n ?x }")
    with pytest.raises(QuerySyntaxError) as there:
        kg.query("SELECT ?x WHERE {\n ?x }", timeout=60)
    assert str(there.value) == str(here.value) and "line 2" in str(there.value)
    assert (there.value.lineno, there.value.offset, there.value.text) == (here.value.lineno, here.value.offset, " ?x }")
    with pytest.raises(ForbiddenQuery, match="SERVICE"):
        kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", timeout=60)
    with pytest.raises(MBCGraphError, match="Cannot bind"):
        kg.query("SELECT ?x WHERE { BIND(1 AS ?x) }", {"x": 2}, timeout=60)
    for timeout in (0, -1, float("inf"), float("nan"), "10"):
        with pytest.raises(ValueError, match="timeout must be a number of seconds above 0"):
            kg.query("ASK {}", timeout=timeout)
    for max_memory in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="max_memory must be a number of bytes above 0"):
            kg.query("ASK {}", max_memory=max_memory)
    assert kg.query("ASK { mbc:Liver ?p ?o }", max_memory=1 << 60)  # more than there is: no limit in effect


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
    wait_until_dead(worker)
    assert pool.run("ASK { mbc:Liver ?p ?o }", timeout=60)[0].endswith(b"true}")
    assert worker not in pool.pids()


def test_a_worker_that_dies_mid_query_is_an_error_not_a_hang(pool):
    """Without a memory budget, a worker killed mid-query is a QueryFailed naming the signal."""
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
    wait_until_busy(worker)
    os.kill(worker, signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive()
    assert isinstance(result[0], QueryFailed) and "killed by SIGKILL" in str(result[0])


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
        wait_until_busy(pool.pids()[-1])
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
        assert set(workers) <= children(zygote)
        assert set(threading.enumerate()) == threads  # the pool starts no thread here
    assert os.getpid() not in forks


SELECT_LABELS = "SELECT ?c ?l WHERE { VALUES ?c { mbc:Liver mbc:Brain } ?c rdfs:label ?l } ORDER BY ?c"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_in_each_format(kg, pool, fmt):
    import pyoxigraph as ox

    data, media_type = pool.run(SELECT_LABELS, result_format=fmt)
    assert media_type == {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                          "csv": "text/csv; charset=utf-8",
                          "tsv": "text/tab-separated-values; charset=utf-8"}[fmt]
    if fmt == "csv":  # plain values, no datatypes or languages
        assert data.decode().splitlines() == ["c,l", f"{MBC.Brain},brain", f"{MBC.Liver},liver"]
        return
    parsed = ox.parse_query_results(data, ox.QueryResultsFormat.from_media_type(media_type))
    assert [(str(row["c"]), str(row["l"])) for row in parsed] == [
        (f"<{MBC.Brain}>", '"brain"@en'), (f"<{MBC.Liver}>", '"liver"@en')]


def test_ask_results_in_each_format(pool):
    assert pool.run("ASK { mbc:Liver ?p ?o }", result_format="json")[0] == b'{"head":{},"boolean":true}'
    assert b"<boolean>false</boolean>" in pool.run("ASK { mbc:Liver mbc:nothing ?o }", result_format="xml")[0]


@pytest.mark.parametrize("fmt,media_type", [("nt", "application/n-triples"), ("ttl", "text/turtle"),
                                            ("xml", "application/rdf+xml"), ("jsonld", "application/ld+json"),
                                            ("json", "application/ld+json"), ("tsv", "application/n-triples")])
def test_graphs_in_each_format(kg, pool, fmt, media_type):
    """Graph formats, and the nearest graph format for a results format name."""
    import pyoxigraph as ox

    from mbc_graph.stores.oxigraph import to_oxigraph

    data, given = pool.run(QUERIES["CONSTRUCT"], result_format=fmt)
    assert given == media_type
    parsed = {str(quad.triple) for quad in ox.parse(data, format=ox.RdfFormat.from_media_type(media_type))}
    expected = {str(ox.Triple(*map(to_oxigraph, triple))) for triple in kg.query(QUERIES["CONSTRUCT"]).graph}
    assert parsed == expected and expected


def test_unknown_result_format_is_refused(pool):
    with pytest.raises(ValueError, match="Unknown result format 'yaml'"):
        pool.run("ASK { }", result_format="yaml")


def test_queries_from_many_threads_each_get_their_own_answer(kg):
    names = ["liver", "brain", "bone", "lung", "seizure", "jaundice"] * 4

    def label(name: str):
        text = "SELECT ?l WHERE { ?c rdfs:label ?l }"
        return kg.query(text, {"c": kg.concept(name)}, timeout=120).values()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as threads:
        found = list(threads.map(label, names))
    assert found == [[Literal(kg.concept(name).label, lang="en")] for name in names]


@pytest.mark.once
def test_the_deadline_counts_the_wait_for_a_free_worker(kg):
    with QueryWorkers(load_args=load_args_of(kg), workers=1, queue=1) as pool:
        pool.run("ASK { }")
        thread = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, CROSS_PRODUCT, timeout=30))
        thread.start()
        wait_until_busy(pool.pids()[-1])
        with pytest.raises(QueryTimeout, match="waited 1 s, its time limit, for a free worker"):
            pool.run("ASK { }", timeout=1)
        thread.join(60)
        assert not thread.is_alive()


def test_fresh_workers_open_the_store_themselves(kg, monkeypatch):
    """How an on-disk store is served (its database must not be forked): each worker a new process."""
    from mbc_graph import launchers, workers

    monkeypatch.setattr(workers, "Zygote", launchers.FreshWorkers)
    with QueryWorkers(load_args=load_args_of(kg), workers=1) as fresh:
        here = kg.query(QUERIES["SELECT"])
        data, _ = fresh.run(QUERIES["SELECT"], result_format="tsv")
        assert data.decode() == here.serialize("tsv")
        (worker,) = fresh.pids()
        assert worker in children(os.getpid())
        with open(f"/proc/{worker}/cmdline", "rb") as cmdline:
            assert b"mbc_graph.worker_process" in cmdline.read()
        with pytest.raises(QueryTimeout):
            fresh.run(CROSS_PRODUCT, timeout=1)
        assert not os.path.exists(f"/proc/{worker}")  # killed and reaped
        assert fresh.run("ASK { mbc:Liver ?p ?o }")[0].endswith(b"true}")
        assert fresh.pids() != [worker]


def test_load_args_name_the_same_graph(kg, tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text("<urn:x> <urn:p> 'mine' .\n")
    mine = mbc_graph.load(extra=[extra])
    assert load_args_of(mine) == {"store": mine.store.name, "ontology": str(mine.sources[0]), "extra": [str(extra)]}
    assert mine.query("SELECT ?o WHERE { <urn:x> <urn:p> ?o }", timeout=60).values() == [Literal("mine")]


def test_a_killed_zygote_is_started_again(kg):
    with QueryWorkers(load_args=load_args_of(kg), workers=1) as pool:
        pool.run("ASK { }")
        zygote, worker = pool.pids()
        os.kill(zygote, signal.SIGKILL)
        wait_until_dead(worker)  # a worker does not outlive its zygote
        assert pool.run("ASK { mbc:Liver ?p ?o }")[0].endswith(b"true}")
        assert pool.pids()[0] != zygote
