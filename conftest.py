"""Shared pytest set-up: the store under test, and a loaded graph for tests and doctests.

The whole suite runs on one store, ``--store oxigraph`` (the default) or
``--store memory``; ``make test`` runs it on each. The option sets
``$MBC_GRAPH_STORE``, so graphs the tests load themselves, the CLI run in a
subprocess and the notebooks use that store too. Tests that compare the
stores with each other load both explicitly (``tests/test_stores.py``).
"""

from __future__ import annotations

import os
import socket
import threading

import pytest

import mbc_graph
from mbc_graph import relation_graph, stores


def pytest_addoption(parser):
    parser.addoption("--store", choices=stores.available(), default=None,
                     help="the store every test runs on (default: $MBC_GRAPH_STORE, else oxigraph)")


def pytest_configure(config):
    chosen = config.getoption("store")
    if chosen:
        os.environ["MBC_GRAPH_STORE"] = chosen


def pytest_report_header(config):
    return f"mbc-graph store: {mbc_graph.loading.default_store()}"


@pytest.fixture(scope="session")
def kg():
    """The bundled ontology in the store under test."""
    return mbc_graph.load()


@pytest.fixture(autouse=True)
def _doctest_namespace(request):
    if isinstance(request.node, pytest.DoctestItem):
        namespace = request.getfixturevalue("doctest_namespace")
        namespace["kg"] = request.getfixturevalue("kg")
        namespace["mbc_graph"] = mbc_graph


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty relation-graph cache directory (not yet created), and no edges remembered in memory."""
    monkeypatch.setenv("MBC_GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(relation_graph, "_MEMORY", {})
    return tmp_path / "cache"


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 that records every connection made to it (nothing may reach it)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                hits.append(conn.recv(200))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join()
    server.close()
@pytest.fixture(scope="session")
def parity_cohort(kg, tmp_path_factory):
    """The small synthetic cohort of the store parity suite (tests/parity.py)."""
    from parity import write_parity_cohort

    return write_parity_cohort(tmp_path_factory.mktemp("parity") / "cohort.ttl", kg)


@pytest.fixture(scope="session")
def parity_reference(parity_cohort):
    """The in-memory Oxigraph store with the parity cohort: the values to bind, and
    every parity case's answers there, which other stores must give too."""
    from parity import reference_answers, sample_values

    kg = mbc_graph.load(store="oxigraph", extra=[parity_cohort])
    samples = sample_values(kg)
    return kg, samples, reference_answers(kg, samples)
