"""Breast cancer subtypes are breast cancers, and the ones that exclude each
other are disjoint: in the logic (HermiT) and, for patient data coded with
annotation properties, in the SHACL shapes."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS
from test_reasoner import needs_java, run_hermit

import mbc_graph
from mbc_graph.namespaces import MBC

SUBTYPES = {
    "hormone receptor-positive breast cancer": "DOID:0070784",
    "HER2-positive breast cancer": "DOID:0060079",
    "triple-negative breast cancer": "DOID:0060081",
    "HR-positive/HER2-negative breast cancer": "DOID:0070780",
    "HR-positive/HER2-positive breast cancer": "DOID:0070779",
    "HR-negative/HER2-positive breast cancer": "DOID:0070778",
    "HER2-low breast cancer": "DOID:0070781",
}


@pytest.mark.parametrize("label", SUBTYPES)
def test_each_subtype_is_a_breast_cancer_with_its_doid_term(kg, label):
    concept = kg.concept(label)
    assert kg.query("ASK { ?c rdfs:subClassOf+ mbc:BreastCancer }", {"c": concept.iri})
    assert SUBTYPES[label] in concept.xrefs
    assert concept.category == "subtype"


def test_combined_subtypes_sit_below_both_receptor_subtypes(kg):
    parents = {kg.concept(p).label for p in kg.concept("triple-positive breast cancer").parents}
    assert parents == {"hormone receptor-positive breast cancer", "HER2-positive breast cancer"}
    assert {c.label for c in kg.subclasses(MBC.HER2PositiveBreastCancer)} >= {
        "HR-positive/HER2-positive breast cancer", "HR-negative/HER2-positive breast cancer"}


@pytest.mark.parametrize(("a", "b"), [
    (MBC.TripleNegativeBreastCancer, MBC.HormoneReceptorPositiveBreastCancer),
    (MBC.TripleNegativeBreastCancer, MBC.HER2PositiveBreastCancer),
    (MBC.HER2LowBreastCancer, MBC.HER2PositiveBreastCancer),
    (MBC.DeNovoMetastaticBreastCancer, MBC.DistantRecurrence),
    (MBC.Stage1, MBC.Stage4),
])
def test_what_excludes_each_other_is_declared_disjoint(kg, a, b):
    disjoint = """ASK { { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a } UNION {
        ?set a owl:AllDisjointClasses ; owl:members ?l . ?l rdf:rest*/rdf:first ?a . ?l rdf:rest*/rdf:first ?b } }"""
    assert kg.query(disjoint, {"a": a, "b": b})


def test_hr_positive_and_her2_positive_may_overlap(kg):
    assert not kg.query("ASK { { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a } }",
                        {"a": MBC.HormoneReceptorPositiveBreastCancer, "b": MBC.HER2PositiveBreastCancer})


@needs_java
@pytest.mark.reasoner
@pytest.mark.once
def test_hermit_finds_a_tumour_both_triple_negative_and_her2_positive_unsatisfiable():
    graph = Graph().parse(mbc_graph.bundled_ontology(), format="turtle")
    planted = {
        MBC.PlantedTNBCAndHER2: (MBC.TripleNegativeBreastCancer, MBC.HER2PositiveBreastCancer),
        MBC.PlantedDeNovoRecurrence: (MBC.DeNovoMetastaticBreastCancer, MBC.DistantRecurrence),
        MBC.PlantedStage1And4: (MBC.Stage1, MBC.Stage4),
        MBC.PlantedTriplePositiveHER2Low: (MBC.HormoneReceptorPositiveHER2PositiveBreastCancer, MBC.HER2LowBreastCancer),
        MBC.PlantedHRAndHER2: (MBC.HormoneReceptorPositiveBreastCancer, MBC.HER2PositiveBreastCancer),
    }
    for probe, parents in planted.items():
        graph.add((probe, RDF.type, OWL.Class))
        for parent in parents:
            graph.add((probe, RDFS.subClassOf, parent))
    result = run_hermit(graph)
    assert result["consistent"]
    unsatisfiable = set(result["unsatisfiable"])
    assert {str(p) for p in planted if p != MBC.PlantedHRAndHER2} <= unsatisfiable
    assert str(MBC.PlantedHRAndHER2) not in unsatisfiable  # HR+ and HER2+ together is triple-positive


PATIENTS = """
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix ex: <https://example.org/clinic/> .
ex:p1 a mbc:Patient ; mbc:patientSubtype mbc:TripleNegativeBreastCancer , mbc:HormoneReceptorNegativeHER2PositiveBreastCancer .
ex:p2 a mbc:Patient ; mbc:patientSubtype mbc:HormoneReceptorPositiveBreastCancer , mbc:HER2PositiveBreastCancer .
ex:p3 a mbc:Patient ; mbc:patientSubtype mbc:TripleNegativeBreastCancer , mbc:HER2LowBreastCancer .
"""


@pytest.mark.once
def test_shacl_flags_a_patient_coded_with_two_disjoint_subtypes(tmp_path):
    """p1 (triple-negative and HER2-positive) is flagged; p2 (triple-positive) and
    p3 (HER2-low triple-negative) are real tumours and are not."""
    data = tmp_path / "patients.ttl"
    data.write_text(PATIENTS, encoding="utf-8")
    report = mbc_graph.load(extra=[data]).validate()
    flagged = report.filter("shacl:PatientSubtypesCompatible")
    assert [v.subject for v in flagged] == ["https://example.org/clinic/p1"]
    assert "disjoint" in flagged[0].message and not report.ok
