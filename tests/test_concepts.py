"""Looking concepts up by any name, and searching in everyday words."""

from __future__ import annotations

import pytest

from mbc_graph import ConceptNotFound
from mbc_graph.namespaces import MBC


@pytest.mark.parametrize("text", [
    "bone metastasis", "Bone Metastasis", "  bone   metastasis ", "bone-metastasis", "bone mets",
    "mbc:BoneMetastasis", "BoneMetastasis", str(MBC.BoneMetastasis), "MONDO:0024884",
])
def test_any_name_resolves(kg, text):
    assert kg.concept(text).iri == MBC.BoneMetastasis


def test_xref_and_plus_sign_resolve(kg):
    assert kg.concept("DOID:1612").iri == MBC.BreastCancer
    assert kg.concept("HER2+").iri == kg.concept("HER2-positive breast cancer").iri
    assert kg.concept("stage 4 breast cancer").iri == MBC.MetastaticBreastCancer


def test_concept_carries_what_a_user_needs(kg):
    c = kg.concept("bone metastasis")
    assert c.label == "bone metastasis" and c.category == "metastasis"
    assert c.definition and "bone" in c.definition
    assert "bone mets" in c.synonyms
    assert c.xrefs["MONDO:0024884"] == "broadMatch"  # MONDO's term covers any primary carcinoma (review 5.11a)
    assert "mbc:BreastCancerMetastasis" in c.parents
    assert c.curie == "mbc:BoneMetastasis"


def test_categories_follow_the_nearest_root(kg):
    assert kg.concept("HER2-positive breast cancer").category == "subtype"
    assert kg.concept("breast cancer").category == "disease"
    assert kg.concept("liver").category == "site"


def test_unknown_concept_suggests_near_matches(kg):
    with pytest.raises(ConceptNotFound) as info:
        kg.concept("bone metastasys")
    assert "bone metastasis" in info.value.suggestions
    assert "Did you mean" in str(info.value) and isinstance(info.value, LookupError)


def test_nonsense_has_no_suggestions(kg):
    with pytest.raises(ConceptNotFound) as info:
        kg.concept("qqqqzzzz")
    assert info.value.suggestions == []


def test_search_tolerates_typos_word_order_and_everyday_words(kg):
    assert kg.search("brain metastsis")[0][0].iri == MBC.BrainMetastasis
    assert kg.search("metastasis liver")[0][0].iri == MBC.LiverMetastasis
    top = kg.search("yellowing skin", limit=3)
    assert kg.concept("jaundice") in [c for c, _ in top]


def test_search_ranks_and_limits(kg):
    hits = kg.search("breast cancer", limit=5)
    assert len(hits) == 5
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0][0].iri == MBC.BreastCancer and hits[0][1] == 1.0
    assert kg.search("") == []
    with pytest.raises(ValueError):
        kg.search("bone", limit=0)
