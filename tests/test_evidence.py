"""Every edge can say where it comes from."""

from __future__ import annotations

import pytest

from mbc_graph import UnknownRelation


def test_evidence_names_document_and_quote(kg):
    items = kg.evidence("brain metastasis", "hasSymptom", "seizure")
    by_file = {e.source: e for e in items}
    assert by_file["001_c125eb9c1db86d14.txt"].quote == "Seizures"
    assert all(e.title for e in items) and not any(e.curated for e in items)


def test_relation_by_label_or_curie(kg):
    assert kg.evidence("brain metastasis", "has symptom", "seizure") == kg.evidence("brain metastasis", "mbc:hasSymptom", "seizure")


def test_inverse_relation_finds_the_same_evidence(kg):
    assert kg.evidence("seizure", "suggests", "brain metastasis") == kg.evidence("brain metastasis", "has symptom", "seizure")


def test_inherited_edges_say_where_they_are_stated(kg):
    inherited = [e for e in kg.evidence("brain metastasis", "has symptom", "memory loss") if e.asserted_on]
    assert inherited and inherited[0].asserted_on == "nervous system metastasis"


def test_curated_evidence_is_marked(kg):
    items = kg.evidence("letrozole", "used in", "aromatase inhibitor therapy")
    assert items and all(e.curated and e.source.startswith("DRUGBANK:") and e.note for e in items)


def test_no_edge_no_evidence(kg):
    assert kg.evidence("brain metastasis", "has symptom", "jaundice") == []


def test_unknown_relation(kg):
    with pytest.raises(UnknownRelation, match="hasSymptom"):
        kg.evidence("brain metastasis", "causes", "seizure")


def test_explain_renders_the_edge_and_its_quotes(kg):
    text = kg.explain("liver metastasis", "has symptom", "jaundice")
    first, *rest = text.splitlines()
    assert first == "liver metastasis --has symptom--> jaundice"
    assert any('001_c125eb9c1db86d14.txt: "Jaundice"' in line for line in rest)


def test_subclass_axioms_from_documents_have_evidence_both_ways(kg):
    down = kg.evidence("immunotherapy", "has subclass", "immune checkpoint inhibitor therapy")
    up = kg.evidence("immune checkpoint inhibitor therapy", "is a", "immunotherapy")
    assert down == up and any(e.source == "003_ac68bf19d4ba80d2.txt" for e in up)
    assert kg.explain("immunotherapy", "hasSubclass", "immune checkpoint inhibitor therapy").startswith(
        "immunotherapy --has subclass--> immune checkpoint inhibitor therapy")
