"""kg.query answers what the engine answers: literals as written, a base IRI,
one error type, ``SELECT *`` columns alike on every store."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from mbc_graph import BadBinding, QueryFailed, stores
from mbc_graph.graph import KnowledgeGraph
from mbc_graph.loading import default_store
from mbc_graph.namespaces import QUERY_BASE

DATA = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:date "2006-08-24Z"^^xsd:date ;
     ex:double "1050"^^xsd:double ;
     ex:time "14:45:13Z"^^xsd:time ;
     ex:huge "1e10000000"^^xsd:decimal .
"""
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def small_graph(tmp_path, text: str = DATA, store: str | None = None) -> KnowledgeGraph:
    """A graph holding only ``text`` (no ontology), on the store under test."""
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    backend = stores.get(store or default_store())()
    backend.parse(path, URIRef(path.as_uri()))
    return KnowledgeGraph(backend, [path])


@pytest.mark.parametrize(("predicate", "written"), [
    ("date", "2006-08-24Z"), ("double", "1050"), ("time", "14:45:13Z")])
def test_literals_keep_their_lexical_form_and_bind_back(tmp_path, predicate, written):
    kg = small_graph(tmp_path)
    (value,) = kg.query("SELECT ?v WHERE { ?s ?p ?v }", {"p": URIRef(EX + predicate)}).values()
    assert str(value) == written
    assert value.datatype == URIRef(XSD + predicate)
    # the value read can be bound back and finds its triple
    assert kg.query("ASK { ?s ?p ?v }", {"p": URIRef(EX + predicate), "v": value})


def test_a_decimal_with_a_large_exponent_is_not_expanded(tmp_path):
    """F6: normalizing "1e10000000"^^xsd:decimal writes ten million digits (1e1000000000: a gigabyte)."""
    kg = small_graph(tmp_path)
    (value,) = kg.query("SELECT ?v WHERE { ?s <http://example.org/huge> ?v }").values()
    assert str(value) == "1e10000000"
    (value,) = kg.query('SELECT ?v WHERE { BIND("1e10000000"^^xsd:decimal AS ?v) }').values()
    assert str(value) == "1e10000000"


def test_relative_iris_resolve_against_one_default_base(tmp_path):
    kg = small_graph(tmp_path)
    assert kg.query("SELECT ?x WHERE { BIND(<a> AS ?x) }").values() == [URIRef(QUERY_BASE + "a")]
    assert len(kg.query("SELECT * WHERE { <a> <b> <c> }")) == 0  # valid, and matches nothing
    assert len(kg.query("DESCRIBE <u>")) == 0


def test_base_option_and_the_querys_own_base(tmp_path):
    kg = small_graph(tmp_path)
    assert kg.query("SELECT ?x WHERE { BIND(<a> AS ?x) }", base="http://example.org/").values() == [
        URIRef("http://example.org/a")]
    declared = "BASE <http://example.com/b/> SELECT ?x WHERE { BIND(<a> AS ?x) }"
    assert kg.query(declared, base="http://example.org/").values() == [URIRef("http://example.com/b/a")]
    assert kg.query("ASK { ?s ?p ?o }", base="http://example.org/")  # relative data IRIs stay as loaded
    with pytest.raises(BadBinding, match="absolute IRI"):
        kg.query("ASK {}", base="not a base")


def test_a_negative_decimal_is_read(tmp_path):
    """rdflib's parser raised a bare TypeError for ``-1.0``."""
    kg = small_graph(tmp_path)
    try:
        values = kg.query("SELECT ?x WHERE { BIND(-1.5 AS ?x) }").values()
    except QueryFailed:  # rdflib's engine cannot read it: an MBCGraphError, as every engine error
        assert kg.store.name == "memory"
    else:
        assert values == [Literal("-1.5", datatype=URIRef(XSD + "decimal"))]
    try:
        assert len(kg.query("SELECT * WHERE { <a><b>-1.0 }")) == 0
    except QueryFailed:
        assert kg.store.name == "memory"


@pytest.mark.once
def test_select_star_has_the_same_columns_in_the_same_order_on_both_stores(tmp_path):
    query = "SELECT * WHERE { ?z ?y ?x OPTIONAL { ?x ?b ?a } BIND(1 AS ?c) }"
    columns = [small_graph(tmp_path, store=name).query(query).vars for name in ("memory", "oxigraph")]
    assert columns[0] == columns[1] == ["a", "b", "c", "x", "y", "z"]
