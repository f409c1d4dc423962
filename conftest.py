"""Shared pytest set-up: a loaded graph for doctests and tests, per store."""

from __future__ import annotations

import pytest

import mbc_graph


@pytest.fixture(scope="session")
def kg():
    """The bundled ontology in the default store."""
    return mbc_graph.load()


@pytest.fixture(scope="session", params=["memory", "oxigraph"])
def any_kg(request):
    """The bundled ontology in each store, for tests that must agree across stores."""
    return mbc_graph.load(store=request.param)


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace, kg):
    doctest_namespace["kg"] = kg
    doctest_namespace["mbc_graph"] = mbc_graph
