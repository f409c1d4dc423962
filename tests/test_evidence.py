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
    qualifier = kg.evidence("liver metastasis", "has symptom", "jaundice")[0].qualifier
    assert first == f"liver metastasis --has symptom--> jaundice  [{qualifier}]"
    assert any('001_c125eb9c1db86d14.txt: "Jaundice"' in line for line in rest)


def test_subclass_axioms_from_documents_have_evidence_both_ways(kg):
    down = kg.evidence("targeted therapy", "has subclass", "CDK4/6 inhibitor therapy")
    up = kg.evidence("CDK4/6 inhibitor therapy", "is a", "targeted therapy")
    assert down == up and any(e.source == "001_c125eb9c1db86d14.txt" for e in up)
    assert kg.explain("targeted therapy", "hasSubclass", "CDK4/6 inhibitor therapy").startswith(
        "targeted therapy --has subclass--> CDK4/6 inhibitor therapy")


def test_an_axiom_edge_holds_always_and_an_association_carries_its_qualifier(kg):
    located = kg.evidence("bone metastasis", "located in", "bone")
    assert located and {e.qualifier for e in located} == {"always"}
    assert kg.explain("bone metastasis", "located in", "bone").splitlines()[0].endswith("[always]")
    treated = kg.evidence("triple-negative breast cancer", "treated by", "immune checkpoint inhibitor therapy")
    assert {e.qualifier for e in treated} == {"in selected cases"}
    assert {e.condition for e in treated} == {"with specific biomarkers"}
    assert "[in selected cases, with specific biomarkers]" in kg.explain(
        "triple-negative breast cancer", "treated by", "immune checkpoint inhibitor therapy")


def test_an_inverse_edge_has_no_frequency_of_its_own(kg):
    """'suggests' and 'treats' report the forward association they come from."""
    row = kg.query("""SELECT ?association WHERE {
        ?e rdf:subject ?s ; rdf:predicate mbc:treats ; rdf:object ?o ; mbc:fromAssociation ?association }""",
                   s=kg.concept("immune checkpoint inhibitor therapy").iri,
                   o=kg.concept("triple-negative breast cancer").iri).values()
    assert [str(a) for a in row] == [
        "https://w3id.org/mbc-graph/assoc_TripleNegativeBreastCancer_treatedBy_ImmuneCheckpointInhibitorTherapy"]
    assert kg.evidence("immune checkpoint inhibitor therapy", "treats", "triple-negative") == kg.evidence(
        "triple-negative", "treated by", "immune checkpoint inhibitor therapy")


def test_an_edge_resting_only_on_low_rated_sources_says_so(kg):
    rated = {str(r.file): str(r.rating) for r in kg.query(
        "SELECT ?file ?rating WHERE { ?d a mbc:SourceDocument ; dcterms:identifier ?file ; "
        "mbc:sourceRating/rdfs:label ?rating }").rows}
    assert rated["003_ac68bf19d4ba80d2.txt"] == "low" and len(rated) == 5
    edges = kg.query("SELECT ?s ?p ?o WHERE { ?a a mbc:Association ; mbc:associationSubject ?s ; "
                     "mbc:associationPredicate ?p ; mbc:associationObject ?o }").rows
    low_only = 0
    for s, p, o in edges:
        items = kg.evidence(s, p, o)
        flagged = "only low-rated sources" in kg.explain(s, p, o).splitlines()[0]
        assert flagged == all(e.rating == "low" for e in items), (s, p, o)
        low_only += flagged
    assert low_only > 0
