"""Bound values: one semantics on both stores, the VALUES block opening WHERE.

Binding ?v to X answers as if the WHERE group began with ``VALUES ?v { X }``.
The oracle is Oxigraph running that VALUES block written into the query.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
from rdflib import URIRef

import mbc_graph
from mbc_graph import BadBinding, stores
from mbc_graph.graph import KnowledgeGraph
from mbc_graph.namespaces import MBC

DATA = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:x ; ex:q ex:y ; ex:t ex:T .
ex:b ex:p ex:y ; ex:q ex:x ; ex:t ex:T .
ex:c ex:p ex:z ; ex:t ex:T .
ex:x ex:r ex:y .
ex:y ex:r ex:x .
"""
PREFIX = "PREFIX ex: <http://example.org/>\n"
EX = "http://example.org/"

CASES = {
    "optional": ("SELECT ?s ?v WHERE { ?s ex:p ?o OPTIONAL { ?s ex:q ?v } }", "v", "x"),
    "nested optional": ("SELECT ?s ?w ?v WHERE { ?s ex:p ?o OPTIONAL { ?s ex:q ?w OPTIONAL { ?w ex:r ?v } } }",
                        "v", "x"),
    "optional then filter": ("SELECT ?s WHERE { ?s ex:t ex:T OPTIONAL { ?s ex:q ?v } FILTER(!BOUND(?v)) }", "v", "x"),
    "minus": ("SELECT ?s ?v WHERE { ?s ex:p ?v MINUS { ?s ex:q ?v } }", "v", "x"),
    "minus sharing the value": ("SELECT ?s WHERE { ?s ex:t ?t MINUS { ?s ex:q ?v . ?v ex:r ?t } }", "t", "T"),
    "projected by a subquery": ("SELECT ?s ?n WHERE { ?s ex:t ex:T { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
                                "GROUP BY ?s } }", "s", "a"),
    "a subquery with a limit": ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ex:t ex:T } ORDER BY ?s LIMIT 1 } }",
                                "s", "b"),
    "a bare subquery": ("SELECT ?s WHERE { SELECT ?s WHERE { ?s ex:t ex:T } ORDER BY ?s LIMIT 2 }", "s", "c"),
    "union": ("SELECT ?s ?o WHERE { { ?s ex:p ?o } UNION { ?s ex:q ?o } }", "o", "x"),
    "count": ("SELECT (COUNT(*) AS ?n) WHERE { ?s ex:p ?o }", "o", "y"),
    "path": ("SELECT ?s ?o WHERE { ?s ex:p/ex:r ?o }", "s", "a"),
    "exists": ("SELECT ?s WHERE { ?s ex:t ?t FILTER EXISTS { ?s ex:q ?o } }", "s", "c"),
    "a filter of the where group": ("SELECT ?s WHERE { ?s ex:p ?o FILTER(?o != ?not) }", "not", "x"),
}


def graph(tmp_path, store: str) -> KnowledgeGraph:
    path = tmp_path / "data.ttl"
    path.write_text(DATA, encoding="utf-8")
    backend = stores.get(store)()
    backend.parse(path, URIRef(path.as_uri()))
    return KnowledgeGraph(backend, [path])


def answers(result) -> list:
    return sorted(tuple(str(v) for v in row) for row in result.rows)


@pytest.mark.once  # loads both stores itself
@pytest.mark.parametrize("case", CASES)
def test_a_bound_value_answers_as_a_values_block_opening_where_on_both_stores(tmp_path, case):
    query, name, local = CASES[case]
    value = URIRef(EX + local)
    at = query.index("WHERE {") + len("WHERE {")
    written = PREFIX + query[:at] + f" VALUES ?{name} {{ <{value}> }} " + query[at:]
    if case == "a bare subquery":  # a subquery alone in WHERE takes no VALUES beside it
        written = PREFIX + query[:at] + f" VALUES ?{name} {{ <{value}> }} {{" + query[at:-1] + "} }"
    expected = answers(graph(tmp_path, "oxigraph").query(written))
    for store in ("oxigraph", "memory"):
        assert answers(graph(tmp_path, store).query(PREFIX + query, {name: value})) == expected, store


@pytest.mark.parametrize(("query", "name"), [
    ("SELECT ?l WHERE { { SELECT ?l WHERE { ?c rdfs:label ?l } } }", "c"),  # F3: inside a subquery only
    ("SELECT ?n WHERE { { SELECT (COUNT(?s) AS ?n) WHERE { ?s rdfs:subClassOf ?c } } }", "c"),
    ("SELECT ?l WHERE { ?c rdfs:label ?l OPTIONAL { ?c rdfs:comment ?k FILTER(?k != ?other) } }", "other"),
    ("SELECT ?c WHERE { ?c rdfs:label ?l MINUS { ?c rdfs:comment ?gone } }", "gone"),  # in a MINUS only
    ("SELECT ?l WHERE { ?c rdfs:label ?l }", "lable"),  # misspelled
    ("SELECT ?k (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l } GROUP BY (STR(?l) AS ?k)", "k"),  # assigned
    ("SELECT ?l ?x WHERE { ?c rdfs:label ?l BIND(1 AS ?x) }", "x"),
])
def test_a_name_not_in_scope_at_the_top_of_where_is_refused_by_name(kg, query, name):
    with pytest.raises(BadBinding, match=rf"\?{name}\b"):
        kg.query(query, {name: MBC.BoneMetastasis})


def test_bindings_go_in_a_dict_and_keywords_still_work_with_a_warning(kg):
    query = "SELECT ?l WHERE { ?c rdfs:label ?l }"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Binding variables")
        assert [str(v) for v in kg.query(query, {"c": MBC.Liver}).values()] == ["liver"]
    with pytest.warns(DeprecationWarning, match=r"bindings=\{'c': \.\.\.\}"):
        assert [str(v) for v in kg.query(query, c=MBC.Liver).values()] == ["liver"]
    with pytest.warns(DeprecationWarning):
        assert len(kg.named("symptoms_of", x=MBC.LiverMetastasis)) > 0
    with pytest.warns(DeprecationWarning), pytest.raises(BadBinding, match="bound twice"):
        kg.query(query, {"c": MBC.Liver}, c=MBC.Bone)


def test_options_no_longer_collide_with_variable_names(kg):
    """``base`` was a keyword binding; now it is the base IRI, and ?base is bound through the dict."""
    query = "SELECT ?l WHERE { ?base rdfs:label ?l }"
    assert [str(v) for v in kg.query(query, {"base": MBC.Liver}, base="http://example.org/").values()] == ["liver"]


def test_a_repeated_bind_option_is_an_error():
    run = subprocess.run([sys.executable, "-m", "mbc_graph", "query", "SELECT ?l WHERE { ?c rdfs:label ?l }",
                          "--bind", "c=mbc:Liver", "--bind", "c=mbc:Bone"], capture_output=True, text=True)
    assert run.returncode != 0
    assert "?c" in run.stderr and "more than once" in run.stderr
    assert run.stdout == ""
