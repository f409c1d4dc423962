"""Associations (issue 11): what the sources say can or often happens is a
qualified association, materialized as a plain edge with a link back, reaching
subclasses only where the metagraph says so; helpers filter on qualifier and
sources."""

from __future__ import annotations

import pytest

import mbc_graph
from mbc_graph.errors import InvalidFilter, MBCGraphError
from mbc_graph.namespaces import MBC


def labels(concepts):
    return {c.label for c in concepts}


# A user file with its own small hierarchy, so the rules are tested apart from the curated content.
USER_FILE = """
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
mbc:TestAche a owl:Class ; rdfs:subClassOf mbc:Symptom ; rdfs:label "test ache"@en .
mbc:TestHeadAche a owl:Class ; rdfs:subClassOf mbc:TestAche ; rdfs:label "test head ache"@en .
mbc:TestMetastasis a owl:Class ; rdfs:subClassOf mbc:Metastasis ; rdfs:label "test metastasis"@en .
mbc:TestSubMetastasis a owl:Class ; rdfs:subClassOf mbc:TestMetastasis ; rdfs:label "test sub metastasis"@en .
mbc:assoc_test_treated a mbc:Association ;
    mbc:associationSubject mbc:TestAche ; mbc:associationPredicate mbc:treatedBy ;
    mbc:associationObject mbc:RadiationTherapy ; mbc:frequencyQualifier mbc:Sometimes ;
    mbc:hasEvidence mbc:ev_test .
mbc:assoc_test_symptom a mbc:Association ;
    mbc:associationSubject mbc:TestMetastasis ; mbc:associationPredicate mbc:hasSymptom ;
    mbc:associationObject mbc:TestAche ; mbc:frequencyQualifier mbc:Often ;
    mbc:condition "if tested"@en ; mbc:hasEvidence mbc:ev_test .
mbc:ev_test a mbc:DocumentEvidence ; mbc:source mbc:doc_003 ; mbc:quote "A test quote." .
"""


@pytest.fixture(scope="module")
def user_kg(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("assoc") / "user.ttl"
    path.write_text(USER_FILE, encoding="utf-8")
    return mbc_graph.load(request.config.getoption("--store"), extra=[path])


def test_an_association_reaches_subclasses_only_for_inherited_relations(user_kg):
    """treatedBy is not inherited (a 'pain relief' edge must not treat every headache); hasSymptom is."""
    assert labels(user_kg.therapies_for("test ache")) == {"radiation therapy"}
    assert labels(user_kg.therapies_for("test head ache")) == set()
    assert labels(user_kg.symptoms_of("test sub metastasis")) == {"test ache"}
    inherited = user_kg.evidence("test sub metastasis", "has symptom", "test ache")
    assert [(e.qualifier, e.condition, e.asserted_on) for e in inherited] == [("often", "if tested", "test metastasis")]


def test_inverse_edges_link_to_the_forward_association(user_kg):
    rows = user_kg.query("""SELECT ?p ?association WHERE {
        ?e rdf:subject mbc:TestAche ; rdf:predicate ?p ; rdf:object ?o ; mbc:fromAssociation ?association }""",
                         {"o": MBC.TestMetastasis}).rows
    assert [(str(r.p), str(r.association)) for r in rows] == [(str(MBC.suggests), str(MBC.assoc_test_symptom))]
    assert user_kg.explain("test ache", "suggests", "test metastasis").splitlines()[0] == (
        "test ache --suggests--> test metastasis  [test metastasis has symptom test ache: often, if tested; "
        "only low-rated sources]")


def test_headache_is_not_treated_by_radiation(kg):
    """Issue 11: the 'pain relief' edge on pain no longer reaches headache."""
    assert "radiation therapy" not in labels(kg.therapies_for("headache"))


def test_brca_mutations_are_not_risk_factors_of_metastatic_breast_cancer(kg):
    """Issue 11 / review 1.8: an association on 'genetic mutation' does not leak to BRCA1/2."""
    assert not {"BRCA1 mutation", "BRCA2 mutation"} & labels(kg.risk_factors("metastatic breast cancer"))


def test_exclude_sources_and_min_rating_drop_edges_resting_on_those_sources(kg):
    everything = labels(kg.symptoms_of("lung"))
    without_003 = labels(kg.symptoms_of("lung", exclude_sources=["003"]))
    assert without_003 < everything
    assert without_003 == labels(kg.symptoms_of("lung", exclude_sources=["003_ac68bf19d4ba80d2.txt"]))
    assert without_003 == labels(kg.symptoms_of("lung", min_rating="medium"))
    for symptom in everything - without_003:
        assert {e.source[:3] for e in kg.evidence("lung metastasis", "has symptom", symptom)} == {"003"}
    assert labels(kg.symptoms_of("lung", min_rating="low")) == everything


def test_qualifiers_keep_only_edges_with_those_qualifiers(kg):
    tnbc = labels(kg.therapies_for("triple-negative breast cancer", qualifiers={"in selected cases"}))
    assert "immune checkpoint inhibitor therapy" in tnbc and "chemotherapy" not in tnbc
    assert "immune checkpoint inhibitor therapy" not in labels(
        kg.therapies_for("triple-negative breast cancer", qualifiers={"often"}))
    every = {"always", "often", "sometimes", "rarely", "in selected cases", "not stated"}
    assert labels(kg.therapies_for("metastatic breast cancer", qualifiers=every)) == labels(
        kg.therapies_for("metastatic breast cancer"))


@pytest.mark.parametrize("filters, message", [
    ({"qualifiers": {"always", "usually"}}, "Unknown qualifier 'usually'"),
    ({"min_rating": "excellent"}, "Unknown rating 'excellent'"),
])
def test_a_bad_filter_is_a_clear_error(kg, filters, message):
    with pytest.raises(InvalidFilter, match=message) as caught:
        kg.symptoms_of("lung", **filters)
    assert isinstance(caught.value, MBCGraphError) and isinstance(caught.value, ValueError)
    with pytest.raises(TypeError, match="min_ratings"):
        kg.symptoms_of("lung", min_ratings="high")


def test_networkx_edges_carry_the_qualifier(kg):
    G = kg.to_networkx()
    tnbc, immuno = str(kg.concept("triple-negative").iri), str(kg.concept("immune checkpoint inhibitor therapy").iri)
    assert G.edges[tnbc, immuno, "treatedBy"]["qualifier"] == "in selected cases"
    assert G.edges[tnbc, immuno, "treatedBy"]["condition"] == "with specific biomarkers"
    assert G.edges[immuno, tnbc, "treats"]["qualifier"] == "in selected cases"  # the forward association's
    bone_metastasis, bone = str(kg.concept("bone metastasis").iri), str(kg.concept("bone").iri)
    assert G.edges[bone_metastasis, bone, "locatedIn"]["qualifier"] == "always"
