"""Path queries over the relation graph, explained step by step."""

from __future__ import annotations

import networkx as nx
import pytest

from mbc_graph import NoPath
from mbc_graph.namespaces import MBC
from mbc_graph.paths import MAX_PATH_LENGTH


def test_networkx_projection_is_typed_and_labelled(kg):
    G = kg.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    bone = str(MBC.BoneMetastasis)
    assert G.nodes[bone]["label"] == "bone metastasis" and G.nodes[bone]["category"] == "metastasis"
    assert G.has_edge(bone, str(MBC.Bone), key="locatedIn")
    assert G.has_edge(str(MBC.Bone), bone, key="siteOf")  # inverses are materialized
    G.remove_node(bone)
    assert bone in kg.to_networkx()  # callers get a copy


def test_shortest_path_is_explained(kg):
    path = kg.path("HER2-positive", "trastuzumab")
    assert len(path) == 2
    (a, r1, b), (b2, r2, c) = path.steps
    assert (a, b2, c) == (str(MBC.HER2PositiveBreastCancer), b, str(MBC.Trastuzumab))
    G = kg.to_networkx()
    label = G.nodes[b]["label"]
    relation = G.graph["relation_labels"]
    assert str(path) == f"HER2-positive breast cancer --{relation[r1]}--> {label} --{relation[r2]}--> trastuzumab"
    assert G.has_edge(a, b, key=r1) and G.has_edge(b, c, key=r2)


def test_paths_are_stable_between_runs(kg):
    first = [str(p) for p in kg.paths("HER2-positive", "trastuzumab", max_length=3)]
    assert first == [str(p) for p in kg.paths("HER2-positive", "trastuzumab", max_length=3)]


def test_path_from_subtype_to_biomarker(kg):
    path = kg.path("triple-negative", "PD-L1")
    assert path.steps[0][0] == str(MBC.TripleNegativeBreastCancer) and path.steps[-1][2] == str(MBC.PDL1)


def test_path_restricted_to_relations(kg):
    with pytest.raises(NoPath, match="jaundice.*using only"):
        kg.path("jaundice", "bone pain", relations=["treatedBy"])


def test_paths_are_simple_bounded_and_shortest_first(kg):
    found = kg.paths("triple-negative", "PD-L1", max_length=4)
    lengths = [len(p) for p in found]
    assert lengths == sorted(lengths) and max(lengths) <= 4 and len(found) > 1
    for p in found:
        nodes = [p.steps[0][0]] + [s[2] for s in p.steps]
        assert len(nodes) == len(set(nodes))


def test_a_huge_max_length_is_capped_and_returns(kg):
    found = kg.paths("jaundice", "seizure", max_length=10_000, limit=50)
    assert 0 < len(found) <= 50 and max(len(p) for p in found) <= MAX_PATH_LENGTH


def test_bad_arguments(kg):
    with pytest.raises(ValueError):
        kg.paths("jaundice", "seizure", max_length=0)


def test_neighborhood(kg):
    hood = kg.neighborhood("liver metastasis", radius=1)
    assert str(MBC.Jaundice) in hood and str(MBC.Liver) in hood
    assert str(MBC.Seizure) not in hood
    wider = kg.neighborhood("liver metastasis", radius=2)
    assert set(hood) < set(wider)


def test_relations_may_be_one_string(kg):
    assert kg.path("jaundice", "liver metastasis", relations="suggests").steps == kg.path(
        "jaundice", "liver metastasis", relations=["suggests"]).steps
    hood = kg.neighborhood("liver metastasis", radius=1, relations="has symptom")
    assert str(MBC.Jaundice) in hood and str(MBC.Liver) not in hood


def test_a_path_from_a_concept_to_itself_is_empty(kg):
    path = kg.path("liver", "liver")
    assert path.steps == [] and str(path) == "liver"
