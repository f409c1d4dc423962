"""load(): stores by name, the user's own files, clear errors."""

from __future__ import annotations

import pytest

import mbc_graph
from mbc_graph import MBCGraphError, TurtleSyntaxError, UnknownStore
from mbc_graph.namespaces import RELATION_GRAPH

USER_TTL = """\
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix ex: <https://example.org/clinic/> .
ex:patient1 mbc:patientSubtype mbc:HER2PositiveBreastCancer .
"""


def test_unknown_store_lists_the_valid_ones():
    with pytest.raises(UnknownStore, match="memory, oxigraph"):
        mbc_graph.load(store="postgres")


def test_oxigraph_is_the_default_store(monkeypatch):
    monkeypatch.delenv("MBC_GRAPH_STORE", raising=False)
    assert mbc_graph.load().store.name == "oxigraph"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_environment_chooses_the_default_store(monkeypatch, store):
    monkeypatch.setenv("MBC_GRAPH_STORE", store)
    assert mbc_graph.load().store.name == store
    assert mbc_graph.load(store="oxigraph" if store == "memory" else "memory").store.name != store  # an argument wins


def test_an_unknown_store_in_the_environment_says_where_it_came_from(monkeypatch):
    monkeypatch.setenv("MBC_GRAPH_STORE", "postgres")
    with pytest.raises(UnknownStore, match=r"'postgres' \(from \$MBC_GRAPH_STORE\)\. Available stores: memory, oxigraph"):
        mbc_graph.load()


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_user_files_are_queryable_with_the_ontology(tmp_path, store):
    path = tmp_path / "clinic.ttl"
    path.write_text(USER_TTL)
    kg = mbc_graph.load(store=store, extra=[path])
    rows = kg.query("SELECT ?label WHERE { ?p mbc:patientSubtype ?s . ?s rdfs:label ?label }").values()
    assert [str(v) for v in rows] == ["HER2-positive breast cancer"]


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_malformed_user_file_names_file_and_line(tmp_path, store):
    path = tmp_path / "broken.ttl"
    path.write_text(USER_TTL + 'ex:patient2 mbc:patientSubtype "unterminated .\n')
    with pytest.raises(TurtleSyntaxError) as info:
        mbc_graph.load(store=store, extra=[path])
    assert info.value.filename == str(path) and info.value.lineno == 4
    assert "broken.ttl, line 4" in str(info.value)


def test_missing_user_file(tmp_path):
    with pytest.raises(MBCGraphError, match="No such file"):
        mbc_graph.load(extra=[tmp_path / "nope.ttl"])


def test_relation_graph_is_a_named_graph(kg):
    in_relation_graph = kg.query(
        "ASK { GRAPH ?g { mbc:BoneMetastasis mbc:locatedIn mbc:Bone } }", {"g": RELATION_GRAPH})
    axiom_only = kg.query(
        "ASK { GRAPH ?g { mbc:BoneMetastasis mbc:locatedIn mbc:Bone } }",
        {"g": mbc_graph.namespaces.ONTOLOGY_GRAPH})
    assert in_relation_graph and not axiom_only


def test_edges_are_inherited_by_subclasses(kg):
    # stated on nervous system metastasis, inherited by brain metastasis
    assert kg.query("ASK { mbc:BrainMetastasis mbc:hasSymptom mbc:MemoryLoss }")


def test_heavy_submodules_load_on_first_use():
    assert callable(mbc_graph.synth.write_cohort)
    with pytest.raises(AttributeError):
        mbc_graph.no_such_thing
