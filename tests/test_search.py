"""Search: ranking that prefers whole words and labels, a score cut-off, claims and quotes."""

from __future__ import annotations

import pytest

from mbc_graph.namespaces import MBC
from mbc_graph.search import SCORE_CUTOFF, TextIndex, rank


def labels(hits):
    return [item.label for item, _ in hits]


def test_a_near_miss_word_does_not_pass_for_a_match(kg):
    # difflib ranked "previous breast cancer diagnosis" at 0.78 ("breath" ~ "breast").
    assert labels(kg.search("short of breath")) == ["dyspnea"]


def test_the_rarer_word_decides(kg):
    # "cancer" is in half the names, "brain" in a few: brain metastasis, not "family history of cancer".
    hits = kg.search("cancer in the brain", limit=3)
    assert hits[0][0].iri == MBC.BrainMetastasis
    assert "family history of cancer" not in labels(hits)


def test_whole_words_beat_typos_and_prefixes():
    index = TextIndex([("a", "breast", True), ("b", "breath", True), ("c", "breathing", True)])
    assert [m.iri for m in index.search("breath", limit=3)] == ["b", "c", "a"]


def test_a_label_beats_a_synonym_with_the_same_words():
    index = TextIndex([("syn", "bone pain", False), ("label", "bone pain", True)])
    assert index.search("bone pain")[0].iri == "label"


def test_scores_below_the_cutoff_are_dropped(kg):
    assert kg.search("qqqqxxxxzzzz") == []
    assert all(score >= SCORE_CUTOFF for _, score in kg.search("metastasis", limit=50))
    assert rank([("a", "fatigue")], "bone pain") == []


@pytest.mark.parametrize("text, label", [
    ("jaundise", "jaundice"), ("jaun", "jaundice"), ("HP:0000952", "jaundice"), ("yellowing skin", "jaundice"),
    ("tnbc", "triple-negative breast cancer"), ("mbc:BoneMetastasis", "bone metastasis"),
    ("brian metastsis", "brain metastasis"), ("bone mets", "bone metastasis"),
])
def test_typos_prefixes_synonyms_and_codes_come_first(kg, text, label):
    assert kg.search(text)[0][0].label == label


def test_claims_and_quotes_are_searchable(kg):
    claims = kg.search("incurable", kinds="claim")
    assert claims and claims[0][0].topic == "curability"
    quotes = kg.search("incurable", kinds="quote")
    assert quotes and all("curable" in item.quote for item, _ in quotes)
    mixed = kg.search("brain", limit=20, kinds=["concept", "claim", "quote"])
    assert {type(item).__name__ for item, _ in mixed} == {"Concept", "Claim", "Evidence"}
    assert [s for _, s in mixed] == sorted((s for _, s in mixed), reverse=True)
    with pytest.raises(ValueError, match="valid kinds"):
        kg.search("brain", kinds="claims")


def test_claims_by_topic_tolerate_wording_and_case(kg):
    exact = {c.iri for c in kg.claims(topic="five-year survival")}
    assert len(exact) >= 2
    assert {c.iri for c in kg.claims(topic="5 year survival")} == exact
    assert {c.iri for c in kg.claims(topic="Five Year Survival", status="Conflicting")} <= exact
    assert kg.claims(topic="qqqqzzzz") == []
    # no topic says "curable": the statements that do are found instead
    assert {c.topic for c in kg.claims(topic="curable")} == {"curability"}
    assert "five-year survival" in kg.claim_topics()
    assert kg.claim_topics() == sorted(kg.claim_topics(), key=str.casefold)


def test_status_is_case_insensitive(kg):
    assert {c.iri for c in kg.claims(status="Conflicting")} == {c.iri for c in kg.claims(status="conflicting")}
    with pytest.raises(ValueError):
        kg.claims(status="maybe")
