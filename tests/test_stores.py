"""Store parity: the Oxigraph store answers exactly as the rdflib store does.

Every shipped named query runs on both stores, unbound and with values bound
(concepts found at run time from the category roots, so new content is
covered), then a set of cohort queries over a small synthetic cohort. Also:
the relation graph cache, and user files with axioms or blank nodes.
"""

from __future__ import annotations

import pytest
import rdflib
from parity import COHORT_QUERIES, answers, bindable, sample_values, write_parity_cohort

import mbc_graph
from mbc_graph import relation_graph
from mbc_graph.namespaces import MBC, RELATION_GRAPH
from mbc_graph.queries import named_queries

pytestmark = pytest.mark.once  # loads both stores itself: the store under test changes nothing

STORES = ("memory", "oxigraph")


@pytest.fixture(scope="module")
def stores():
    return {name: mbc_graph.load(store=name) for name in STORES}


@pytest.fixture(scope="module")
def samples(stores):
    return sample_values(stores["memory"])


def test_every_named_query_has_an_answer_to_compare(stores):
    assert len(named_queries()) > 10
    assert len(stores["memory"].named("concept_names")) > 100


@pytest.mark.parametrize("name", named_queries())
def test_named_query_unbound(stores, name):
    memory, oxigraph = (answers(stores[s].named(name)) for s in STORES)
    assert oxigraph == memory


@pytest.mark.parametrize("name", named_queries())
def test_named_query_with_values_bound(stores, samples, name):
    for variable, value in bindable(name, samples):
        memory, oxigraph = (answers(stores[s].named(name, {variable: value})) for s in STORES)
        assert oxigraph == memory, f"?{variable} = {value}"


QUERY_FORMS = {
    "construct where": "CONSTRUCT WHERE { ?c rdfs:label ?label }",
    "an expression in the projection": "SELECT ?label (STRLEN(?label) AS ?n) WHERE { ?c rdfs:label ?label }",
    "exists in a bind": "SELECT ?label ?synonyms WHERE { ?c rdfs:label ?label BIND(EXISTS { ?c skos:altLabel ?a } AS ?synonyms) }",
    "braces in a comment and a string": '# { not a group }\nSELECT ?label ("}{" AS ?x) WHERE { ?c rdfs:label ?label }',
    "ask": 'ASK { ?c rdfs:label "bone metastasis"@en }',
    "construct with template": "CONSTRUCT { ?c rdfs:comment ?label } WHERE { ?c rdfs:label ?label }",
}


@pytest.mark.parametrize("name", QUERY_FORMS)
def test_bound_values_reach_every_query_form(stores, name):
    memory, oxigraph = (answers(stores[s].query(QUERY_FORMS[name], {"c": MBC.BoneMetastasis})) for s in STORES)
    assert oxigraph == memory
    assert len(memory) == 1 and memory != {False}


def test_values_open_the_where_group_whatever_comes_before():
    from mbc_graph.stores.oxigraph import where_group

    for query in ("SELECT (EXISTS { ?c ?p ?o } AS ?e) WHERE { ?c rdfs:label ?l }",  # rdflib cannot run this one
                  "PREFIX ex: <http://example.org/#x> # { a comment\nSELECT ?l { ?c rdfs:label ?l }",
                  "CONSTRUCT { ?c ex:p '}' } WHERE { ?c rdfs:label ?l }"):
        assert query[where_group(query):] == " ?c rdfs:label ?l }"
    assert where_group("CONSTRUCT WHERE { ?c rdfs:label ?l }") is None  # nowhere to put VALUES: trailing


# -- a small cohort ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cohort_stores(kg, tmp_path_factory):
    path = write_parity_cohort(tmp_path_factory.mktemp("cohort") / "cohort.ttl", kg)
    return {name: mbc_graph.load(store=name, extra=[path]) for name in STORES}


@pytest.mark.parametrize("name", COHORT_QUERIES)
def test_cohort_query(cohort_stores, name):
    sparql, bindings = COHORT_QUERIES[name]
    memory, oxigraph = (answers(cohort_stores[s].query(sparql, bindings)) for s in STORES)
    assert oxigraph == memory
    assert memory not in (set(), {False}), "the query should find something in the cohort"


def test_same_triples_in_both_stores(cohort_stores):
    memory, oxigraph = (cohort_stores[s].store for s in STORES)
    assert len(oxigraph) == len(memory)
    edges = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert answers(cohort_stores["oxigraph"].query(edges, {"g": RELATION_GRAPH})) == answers(
        cohort_stores["memory"].query(edges, {"g": RELATION_GRAPH}))


# -- user files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("store", STORES)
def test_user_axioms_extend_the_relation_graph(tmp_path, store):
    path = tmp_path / "mine.ttl"
    path.write_text("@prefix mbc: <https://w3id.org/mbc-graph/> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "<https://example.org/SpinalBoneMetastasis> rdfs:subClassOf mbc:BoneMetastasis .\n")
    kg = mbc_graph.load(store=store, extra=[path])
    assert kg.query("ASK { <https://example.org/SpinalBoneMetastasis> mbc:hasSymptom mbc:BonePain }")
    assert not mbc_graph.load(store=store).query(
        "ASK { <https://example.org/SpinalBoneMetastasis> mbc:hasSymptom ?s }")


@pytest.mark.parametrize("store", STORES)
def test_blank_node_labels_stay_local_to_their_file(tmp_path, store):
    files = []
    for name in ("a", "b"):
        files.append(tmp_path / f"{name}.ttl")
        files[-1].write_text(f'_:b0 <https://example.org/source> "{name}" .\n')
    kg = mbc_graph.load(store=store, extra=files)
    nodes = kg.query("SELECT DISTINCT ?n WHERE { ?n <https://example.org/source> ?file }")
    assert len(nodes) == 2


@pytest.mark.parametrize("store", STORES)
def test_relative_iris_resolve_against_the_file(tmp_path, store):
    path = tmp_path / "relative.ttl"
    path.write_text('<#me> <https://example.org/p> "x" .\n')
    kg = mbc_graph.load(store=store, extra=[path])
    assert kg.query("ASK { ?s <https://example.org/p> 'x' }", {"s": rdflib.URIRef(path.as_uri() + "#me")})


# -- the relation graph cache -------------------------------------------------------------------
def relation_edges_of(kg) -> set:
    return answers(kg.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": RELATION_GRAPH}))


@pytest.mark.parametrize("store", STORES)
def test_cached_relation_graph_equals_the_computed_one(fresh_cache, store):
    computed = relation_edges_of(mbc_graph.load(store=store))
    [cache_file] = fresh_cache.iterdir()
    relation_graph._MEMORY.clear()
    assert relation_edges_of(mbc_graph.load(store=store)) == computed  # from disk
    assert relation_edges_of(mbc_graph.load(store=store)) == computed  # from memory
    assert len(computed) == len(cache_file.read_text().splitlines()) - 1


def test_a_damaged_cache_file_is_ignored_and_rewritten(fresh_cache):
    expected = relation_edges_of(mbc_graph.load())
    [cache_file] = fresh_cache.iterdir()
    text = cache_file.read_text()
    for damage in (text[: len(text) // 2], text.replace("<", "", 1), "\0\1garbage", ""):
        cache_file.write_text(damage)
        relation_graph._MEMORY.clear()
        assert relation_edges_of(mbc_graph.load(store="oxigraph")) == expected
        assert cache_file.read_text() == text


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("MBC_GRAPH_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(relation_graph, "_MEMORY", {})
    assert mbc_graph.load().query("ASK { mbc:BoneMetastasis mbc:locatedIn mbc:Bone }")


def test_the_disk_cache_keeps_the_latest_files_only(fresh_cache, tmp_path):
    fresh_cache.mkdir()
    for i in range(12):
        (fresh_cache / f"relation-graph-old{i}.nt").write_text("# stale\n")
    mbc_graph.load(store="oxigraph")
    kept = sorted(p.name for p in fresh_cache.iterdir())
    assert len(kept) == relation_graph._DISK_FILES
    assert f"relation-graph-{relation_graph.cache_key(mbc_graph.bundled_ontology())}.nt" in kept


def test_the_cache_key_follows_the_ontology_content(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    text = mbc_graph.bundled_ontology().read_text()
    a.write_text(text)
    b.write_text(text + "\n# an edit\n")
    assert relation_graph.cache_key(a) == relation_graph.cache_key(mbc_graph.bundled_ontology())
    assert relation_graph.cache_key(b) != relation_graph.cache_key(a)


def test_the_rdflib_view_of_oxigraph_holds_the_data_and_follows_new_data():
    kg = mbc_graph.load(store="oxigraph")
    assert len(kg.graph) == len({(s, p, o) for s, p, o, _ in kg.store.quads()})
    new = (MBC.Liver, rdflib.RDFS.comment, rdflib.Literal("added later"))
    assert new not in kg.graph
    kg.store.add([new], rdflib.URIRef("urn:test"))
    assert new in kg.graph  # the copy kept between accesses is not stale
