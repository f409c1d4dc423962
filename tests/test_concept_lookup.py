"""Concept lookup: shared codes resolve to the best match alike on every store, and a
user's own classes, in any namespace, are concepts like the ontology's."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mbc_graph
from mbc_graph import ConceptAmbiguous, MBCGraphError

USER_TTL = """@prefix ex: <http://example.org/onto#> .
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:SpinalBoneMetastasis a owl:Class ;
    rdfs:label "spinal bone metastasis"@en ;
    skos:altLabel "spine mets"@en ;
    rdfs:subClassOf mbc:BoneMetastasis .
ex:Gadget a owl:Class .
"""


@pytest.mark.once  # loads both stores itself
@pytest.mark.parametrize(("code", "curie"), [
    ("MAXO:0001269", "mbc:Biopsy"),  # exactMatch; mbc:MetastaticSiteBiopsy has it as a broadMatch
    ("HP:0012531", "mbc:Pain"),  # exactMatch; mbc:PersistentPain has it as a broadMatch
])
def test_a_shared_code_resolves_to_its_exact_match_on_both_stores(code, curie):
    for store in ("oxigraph", "memory"):
        assert mbc_graph.load(store=store).concept(code).curie == curie, store


def test_a_code_shared_equally_is_ambiguous_and_lists_the_candidates(kg):
    with pytest.raises(ConceptAmbiguous) as info:
        kg.concept("NCIT:C8493")  # a relatedMatch of both BRCA mutations
    assert sorted(c.curie for c in info.value.candidates) == ["mbc:BRCA1Mutation", "mbc:BRCA2Mutation"]
    assert isinstance(info.value, MBCGraphError) and isinstance(info.value, LookupError)
    assert "mbc:BRCA1Mutation (BRCA1 mutation)" in str(info.value)


def test_the_cli_says_a_name_is_ambiguous():
    run = subprocess.run([sys.executable, "-m", "mbc_graph", "show", "NCIT:C8493"], capture_output=True, text=True)
    assert run.returncode == 3
    assert "names several concepts" in run.stderr and "mbc:BRCA2Mutation" in run.stderr


@pytest.fixture(scope="module")
def user_kg(tmp_path_factory):
    path = tmp_path_factory.mktemp("user") / "mine.ttl"
    path.write_text(USER_TTL, encoding="utf-8")
    return mbc_graph.load(extra=[path]), path


def test_a_users_class_in_its_own_namespace_is_a_concept(user_kg):
    kg, _ = user_kg
    concept = kg.concept("spine mets")
    assert str(concept.iri) == "http://example.org/onto#SpinalBoneMetastasis"
    assert concept.category == "metastasis"  # inherited from mbc:BoneMetastasis
    assert kg.concept("http://example.org/onto#SpinalBoneMetastasis") == concept
    assert kg.search("spinal bone metastasis")[0][0] == concept


def test_a_users_class_outside_the_categories_is_other(user_kg):
    kg, _ = user_kg
    gadget = kg.concept("Gadget")  # no label: its local name
    assert (gadget.label, gadget.category) == ("Gadget", "other")


def test_a_users_class_takes_part_in_paths_and_views(user_kg):
    kg, _ = user_kg
    assert "spinal bone metastasis --is a--> bone metastasis" in str(kg.path("spine mets", "bone metastasis"))
    assert "spinal bone metastasis" in kg.visualize(focus="spine mets", radius=1).html


def test_the_cli_shows_a_users_class(user_kg):
    _, path = user_kg
    run = subprocess.run([sys.executable, "-m", "mbc_graph", "--extra", str(path), "show", "spine mets"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "spinal bone metastasis" in run.stdout
