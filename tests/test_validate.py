"""mbc_graph.validate: the bundled ontology passes, and every check fires on
a small ontology broken on purpose."""

from __future__ import annotations

import json
import sys

import pytest

import mbc_graph
from mbc_graph import stores
from mbc_graph import validate as qc
from mbc_graph.errors import MissingDependency
from mbc_graph.validate import CHECKS, MAX_INHERITING_SUBCLASSES, Report, Severity, Violation, validate

# A tiny ontology in the shape tools/build_ontology.py writes, with one
# mistake per class. Each mistake is named after the check that must find it.
BROKEN = """
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .

# missing_ontology_license: no dcterms:license
<https://w3id.org/mbc-graph/mbc.ttl> a owl:Ontology ;
    dcterms:title "Broken"@en ; dcterms:description "Broken on purpose."@en ;
    dcterms:creator "tests" ; owl:versionIRI <https://w3id.org/mbc-graph/releases/0.0.0/mbc.ttl> ;
    owl:versionInfo "0.0.0" .

mbc:hasEvidence a owl:AnnotationProperty ; rdfs:label "has evidence"@en ; skos:definition "Evidence."@en .
mbc:source a owl:AnnotationProperty ; rdfs:label "source"@en ; skos:definition "Source."@en .
mbc:quote a owl:AnnotationProperty ; rdfs:label "quote"@en ; skos:definition "Quote."@en .
mbc:claimStatus a owl:AnnotationProperty ; rdfs:label "claim status"@en ; skos:definition "Status."@en .
mbc:about a owl:AnnotationProperty ; rdfs:label "about"@en ; skos:definition "About."@en .
mbc:topic a owl:AnnotationProperty ; rdfs:label "topic"@en ; skos:definition "Topic."@en .
mbc:statusNote a owl:AnnotationProperty ; rdfs:label "status note"@en ; skos:definition "Note."@en .
mbc:xrefLabel a owl:AnnotationProperty ; rdfs:label "cross-reference label"@en ; skos:definition "Label."@en .
mbc:categoryKey a owl:AnnotationProperty ; rdfs:label "category key"@en ; skos:definition "Key."@en .
mbc:patientLabel a owl:AnnotationProperty ; rdfs:label "patient-friendly label"@en ; skos:definition "Name."@en .

mbc:SourceDocument a owl:Class ; rdfs:label "source document"@en ; skos:definition "A document."@en .
mbc:Evidence a owl:Class ; rdfs:label "evidence item"@en ; skos:definition "Evidence."@en .
mbc:DocumentEvidence a owl:Class ; rdfs:subClassOf mbc:Evidence ;
    rdfs:label "document evidence"@en ; skos:definition "Quoted evidence."@en .
mbc:Claim a owl:Class ; rdfs:label "claim"@en ; skos:definition "A claim."@en .
mbc:ClaimStatus a owl:Class ; rdfs:label "claim status class"@en ; skos:definition "A status."@en .
mbc:Supported a owl:NamedIndividual, mbc:ClaimStatus ; rdfs:label "supported"@en .

mbc:doc_000 a owl:NamedIndividual, mbc:SourceDocument ;
    dcterms:identifier "000.txt" ; dcterms:title "Document zero" .
mbc:doc_999 a owl:NamedIndividual, mbc:SourceDocument ;  # shacl:SourceDocumentIdentifier
    dcterms:title "A document without an identifier" .
mbc:ev_good a owl:NamedIndividual, mbc:DocumentEvidence ; mbc:source mbc:doc_000 ; mbc:quote "Bone pain." .
mbc:ev_noquote a owl:NamedIndividual, mbc:DocumentEvidence ; mbc:source mbc:doc_000 .  # shacl:DocumentEvidenceQuote
mbc:ev_untyped a owl:NamedIndividual ; mbc:source mbc:doc_000 ; mbc:quote "Bone pain." .  # shacl:EvidenceItemType
mbc:ev_lonely_premise a owl:NamedIndividual, mbc:CombinedEvidence ; mbc:premise mbc:ev_good .  # shacl:CombinedEvidence*

mbc:Disease a owl:Class ; rdfs:label "disease"@en ; skos:definition "A disease."@en ; mbc:categoryKey "disease" .
mbc:Symptom a owl:Class ; rdfs:label "symptom"@en ; skos:definition "A symptom."@en ; mbc:categoryKey "symptom" .
mbc:Therapy a owl:Class ; rdfs:label "therapy"@en ; skos:definition "A therapy."@en ; mbc:categoryKey "therapy" .
mbc:Metastasis a owl:Class ; rdfs:label "metastasis"@en ; skos:definition "A secondary tumour."@en ;
    mbc:categoryKey "metastasis" .
mbc:AnatomicalSite a owl:Class ; rdfs:label "anatomical site"@en ; skos:definition "A body part."@en ;
    mbc:categoryKey "site" .
[] a owl:AllDisjointClasses ; owl:members ( mbc:Disease mbc:Symptom mbc:Therapy mbc:Metastasis mbc:AnatomicalSite ) .
mbc:Conflicting a owl:NamedIndividual, mbc:ClaimStatus ; rdfs:label "conflicting"@en .

mbc:locatedIn a owl:ObjectProperty ; rdfs:label "located in"@en ; skos:definition "Links a metastasis to a site."@en ;
    rdfs:domain mbc:Metastasis ; rdfs:range mbc:AnatomicalSite .
mbc:Breast a owl:Class ; rdfs:subClassOf mbc:AnatomicalSite ; rdfs:label "breast"@en ; skos:definition "The breast."@en .
mbc:Nipple a owl:Class ; rdfs:subClassOf mbc:Breast ; rdfs:label "nipple"@en ; skos:definition "Part of the breast."@en .
mbc:NippleMetastasis a owl:Class ; rdfs:subClassOf mbc:Metastasis , _:inNipple ;    # metastasis_in_breast
    rdfs:label "nipple metastasis"@en ; skos:definition "A metastasis in the nipple."@en .
_:inNipple a owl:Restriction ; owl:onProperty mbc:locatedIn ; owl:someValuesFrom mbc:Nipple .
[] a owl:Axiom ; owl:annotatedSource mbc:NippleMetastasis ; owl:annotatedProperty rdfs:subClassOf ;
    owl:annotatedTarget _:inNipple ; mbc:hasEvidence mbc:ev_good .

mbc:LoopA a owl:Class ; rdfs:subClassOf mbc:Symptom , mbc:LoopB ;                   # subclass_cycle
    rdfs:label "loop a"@en ; skos:definition "First half of a cycle."@en .
mbc:LoopB a owl:Class ; rdfs:subClassOf mbc:LoopA ;
    rdfs:label "loop b"@en ; skos:definition "Second half of a cycle."@en .

mbc:ClaimLonely a owl:NamedIndividual, mbc:Claim ;                                  # conflict_without_partner
    rdfs:label "Half of all patients live five years."@en ; mbc:topic "survival"@en ;
    mbc:claimStatus mbc:Conflicting ; mbc:statusNote "Other figures differ."@en ;
    mbc:about mbc:BoneMetastasis ; mbc:hasEvidence mbc:ev_good .

mbc:hasSymptom a owl:ObjectProperty ; rdfs:label "has symptom"@en ; skos:definition "Links a disease to a symptom."@en ;
    rdfs:domain mbc:Disease ; rdfs:range mbc:Symptom ; owl:inverseOf mbc:suggests .
mbc:suggests a owl:ObjectProperty ; rdfs:label "suggests"@en ; skos:definition "The inverse of has symptom."@en ;
    rdfs:domain mbc:Symptom .  # missing_range

mbc:BoneMetastasis a owl:Class ; rdfs:subClassOf mbc:Disease ;
    rdfs:label "bone metastasis"@en ; skos:definition "Cancer spread to bone."@en ;
    rdfs:subClassOf _:withEvidence , _:withoutEvidence .
_:withEvidence a owl:Restriction ; owl:onProperty mbc:hasSymptom ; owl:someValuesFrom mbc:BonePain .
[] a owl:Axiom ; owl:annotatedSource mbc:BoneMetastasis ; owl:annotatedProperty rdfs:subClassOf ;
    owl:annotatedTarget _:withEvidence ; mbc:hasEvidence mbc:ev_good .
_:withoutEvidence a owl:Restriction ; owl:onProperty mbc:hasSymptom ; owl:someValuesFrom mbc:Fatigue .  # missing_evidence

mbc:BonePain a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "bone pain"@en ; skos:definition "Pain in a bone."@en ;
    skos:exactMatch obo:HP_0002653 ; oboInOwl:hasDbXref "HP:0002653" .
[] a owl:Axiom ; owl:annotatedSource mbc:BonePain ; owl:annotatedProperty skos:exactMatch ;
    owl:annotatedTarget obo:HP_0002653 ; mbc:xrefLabel "Bone pain" .

mbc:Fatigue a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "fatigue"@en , "tiredness"@en ;                       # multiple_labels
    skos:definition "Lasting tiredness."@en .

mbc:TripleNegative a owl:Class ; rdfs:subClassOf mbc:Disease ; owl:disjointWith mbc:HER2Positive ;
    rdfs:label "triple-negative"@en ; skos:definition "No receptors."@en .
mbc:HER2Positive a owl:Class ; rdfs:subClassOf mbc:Disease ; rdfs:label "HER2-positive"@en ; skos:definition "HER2."@en .
mbc:HER2PositiveSubtype a owl:Class ; rdfs:subClassOf mbc:HER2Positive ;
    rdfs:label "HER2-positive subtype"@en ; skos:definition "A kind of HER2."@en .
mbc:patientSubtype a owl:AnnotationProperty ; rdfs:label "patient subtype"@en ; skos:definition "Subtype."@en .
mbc:plantedPatient1 mbc:patientSubtype mbc:TripleNegative , mbc:HER2PositiveSubtype .  # shacl:PatientSubtypesCompatible
mbc:plantedPatient2 mbc:patientSubtype mbc:HER2Positive , mbc:HER2PositiveSubtype .

mbc:Headache a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "headache"@en .                                       # missing_definition

mbc:Ache a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "Headache"@en ;                                       # duplicate_label (with mbc:Headache)
    skos:definition "pain in the head"@en .                          # lowercase_definition, definition_punctuation

mbc:Nausea a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "nausea "@en ;                                        # label_whitespace
    skos:definition "Lasting tiredness."@en ;                        # duplicate_definition (with mbc:Fatigue)
    skos:altLabel "bone pain"@en .                                   # ambiguous_synonym (label of mbc:BonePain)

mbc:Cough a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "cough"@en ; skos:definition "A cough."@en ;
    skos:exactMatch obo:HP_9999999 ; oboInOwl:hasDbXref "HP:9999999" .   # xref_not_in_reference
[] a owl:Axiom ; owl:annotatedSource mbc:Cough ; owl:annotatedProperty skos:exactMatch ;
    owl:annotatedTarget obo:HP_9999999 ; mbc:xrefLabel "Nothing" .

mbc:Dyspnea a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "dyspnea"@en ; skos:definition "Shortness of breath."@en ;
    skos:exactMatch obo:HP_0002094 ; oboInOwl:hasDbXref "HP:0002094" .
[] a owl:Axiom ; owl:annotatedSource mbc:Dyspnea ; owl:annotatedProperty skos:exactMatch ;
    owl:annotatedTarget obo:HP_0002094 ; mbc:xrefLabel "Breathlessness" .   # xref_label_mismatch

mbc:Pain a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "pain"@en ; skos:definition "Pain."@en ;
    skos:exactMatch obo:HP_0012531 ; oboInOwl:hasDbXref "HP:0012531" .   # exact_match_not_exact
[] a owl:Axiom ; owl:annotatedSource mbc:Pain ; owl:annotatedProperty skos:exactMatch ;
    owl:annotatedTarget obo:HP_0012531 ; mbc:xrefLabel "Pain" .

mbc:Malaise a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "malaise"@en ; skos:definition "Feeling unwell."@en ;
    skos:closeMatch obo:HP_0033834 ; oboInOwl:hasDbXref "HP:0033834" .   # mapping_on_related_row
[] a owl:Axiom ; owl:annotatedSource mbc:Malaise ; owl:annotatedProperty skos:closeMatch ;
    owl:annotatedTarget obo:HP_0033834 ; mbc:xrefLabel "Malaise" .

mbc:Itch a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "itch"@en ; skos:definition "An itch."@en ;
    oboInOwl:hasDbXref "not a curie" ;                                      # invalid_xref
    skos:closeMatch obo:HP_0000989 .                                        # xref_mapping_mismatch, missing_xref_label

mbc:BonePainToo a owl:Class ; rdfs:subClassOf mbc:Symptom ;
    rdfs:label "bone ache"@en ; skos:definition "Aching bones."@en ;
    skos:exactMatch obo:HP_0002653 , obo:HP_0012531 ;                       # duplicate_exact_match (with mbc:BonePain)
    skos:closeMatch obo:HP_0012531 ;                                        # conflicting_mappings
    oboInOwl:hasDbXref "HP:0002653" , "HP:0012531" .
[] a owl:Axiom ; owl:annotatedSource mbc:BonePainToo ; owl:annotatedProperty skos:exactMatch ;
    owl:annotatedTarget obo:HP_0002653 ; mbc:xrefLabel "Bone pain" .

mbc:Wanderer a owl:Class ;                                                  # missing_category, missing_xref
    rdfs:label "wanderer"@en ; skos:definition "A class below no category."@en ;
    rdfs:seeAlso mbc:Ghost .                                                # dangling_reference

mbc:Chimera a owl:Class ; rdfs:subClassOf mbc:Symptom , mbc:Therapy ;      # disjoint_ancestors
    rdfs:label "chimera"@en ; skos:definition "Both a symptom and a therapy."@en .

mbc:Fever a owl:Class ; rdfs:subClassOf mbc:Symptom , _:misplaced ;
    rdfs:label "fever"@en ; skos:definition "A raised temperature."@en .
_:misplaced a owl:Restriction ; owl:onProperty mbc:hasSymptom ; owl:someValuesFrom mbc:Therapy .  # domain_violation, range_violation
[] a owl:Axiom ; owl:annotatedSource mbc:Fever ; owl:annotatedProperty rdfs:subClassOf ;
    owl:annotatedTarget _:misplaced ; mbc:hasEvidence mbc:ev_untyped , mbc:ev_noquote .

mbc:ClaimBadStatus a owl:NamedIndividual, mbc:Claim ;
    rdfs:label "Bone pain is always a metastasis."@en ; mbc:topic "bone pain"@en ;
    mbc:claimStatus mbc:Maybe ;                                             # shacl:ClaimStatus (and dangling_reference)
    mbc:statusNote "Wrong on purpose."@en ; mbc:about mbc:BonePain ; mbc:hasEvidence mbc:ev_good .

mbc:CuratedEvidence a owl:Class ; rdfs:subClassOf mbc:Evidence ;
    rdfs:label "curated evidence"@en ; skos:definition "Evidence from a reference record."@en .
mbc:ReferenceRecord a owl:Class ; rdfs:label "reference record"@en ; skos:definition "A record."@en .
mbc:curationNote a owl:AnnotationProperty ; rdfs:label "curation note"@en ; skos:definition "A note."@en .
mbc:conflictsWith a owl:AnnotationProperty ; rdfs:label "conflicts with"@en ; skos:definition "Conflict."@en .
mbc:ref_nothing a owl:NamedIndividual, mbc:ReferenceRecord .                    # shacl:ReferenceRecordIdentifier
mbc:doc_998 a owl:NamedIndividual, mbc:SourceDocument ; dcterms:identifier "998.txt" .  # shacl:SourceDocumentTitle
mbc:ev_wrongsource a owl:NamedIndividual, mbc:DocumentEvidence ;               # shacl:DocumentEvidenceSource
    mbc:source mbc:ref_nothing ; mbc:quote "Bone pain." .
mbc:ev_curated a owl:NamedIndividual, mbc:CuratedEvidence ;                    # shacl:CuratedEvidenceSource
    mbc:source mbc:doc_000 .                                                    # shacl:CuratedEvidenceNote

mbc:relatedTo a owl:ObjectProperty ; rdfs:range mbc:Symptom .                   # shacl:PropertyLabel, -Definition, -Domain

mbc:ClaimBare a owl:NamedIndividual, mbc:Claim ;                               # shacl:ClaimLabel (two)
    rdfs:label "A bare claim."@en , "Another statement."@en ;                 # shacl:ClaimTopic, -StatusNote, -About
    mbc:conflictsWith mbc:BonePain .                                            # shacl:ClaimConflictsWith

mbc:assoc_bare a owl:NamedIndividual, mbc:Association ;                        # shacl:AssociationPredicate, -Qualifier, -Evidence
    mbc:associationSubject mbc:Wanderer ; mbc:associationObject mbc:Fatigue , mbc:Nausea .  # shacl:AssociationObject (two)
mbc:assoc_always a owl:NamedIndividual, mbc:Association ;                      # shacl:AssociationQualifier ("always"), domain_violation
    mbc:associationSubject mbc:Wanderer ; mbc:associationPredicate mbc:hasSymptom ;
    mbc:associationObject mbc:Fatigue ; mbc:frequencyQualifier mbc:Always ; mbc:hasEvidence mbc:ev_good .

mbc:assoc_badparts a owl:NamedIndividual, mbc:Association ;                    # shacl:AssociationSubject (not a class)
    mbc:associationSubject mbc:ev_good ; mbc:associationPredicate mbc:hasSymptom ;
    mbc:associationObject mbc:Fatigue ; mbc:frequencyQualifier mbc:Often ; mbc:hasEvidence mbc:ev_good ;
    mbc:condition "" .                                                          # shacl:AssociationCondition

mbc:inheritedBySubclasses a owl:AnnotationProperty ; rdfs:label "inherited by subclasses"@en ;
    skos:definition "Inherited."@en .
mbc:hasSymptom mbc:inheritedBySubclasses true .
mbc:DuctalCancer a owl:Class ; rdfs:subClassOf mbc:Disease ; rdfs:label "ductal cancer"@en ; skos:definition "Ductal."@en .
mbc:LobularCancer a owl:Class ; rdfs:subClassOf mbc:Disease ; rdfs:label "lobular cancer"@en ; skos:definition "Lobular."@en .
mbc:ev_fatigue a owl:NamedIndividual, mbc:DocumentEvidence ; mbc:source mbc:doc_000 ; mbc:quote "Fatigue." .
mbc:assoc_wide a owl:NamedIndividual, mbc:Association ;                        # widely_inherited (6 subclasses of mbc:Disease)
    mbc:associationSubject mbc:Disease ; mbc:associationPredicate mbc:hasSymptom ;
    mbc:associationObject mbc:Fatigue ; mbc:frequencyQualifier mbc:Often ; mbc:hasEvidence mbc:ev_fatigue .
mbc:assoc_narrow a owl:NamedIndividual, mbc:Association ;                      # inherited by one subclass only
    mbc:associationSubject mbc:HER2Positive ; mbc:associationPredicate mbc:hasSymptom ;
    mbc:associationObject mbc:Fatigue ; mbc:frequencyQualifier mbc:Often ; mbc:hasEvidence mbc:ev_fatigue .
mbc:assoc_not_inherited a owl:NamedIndividual, mbc:Association ;               # many subclasses, relation not inherited
    mbc:associationSubject mbc:Symptom ; mbc:associationPredicate mbc:suggests ;
    mbc:associationObject mbc:Disease ; mbc:frequencyQualifier mbc:Often ; mbc:hasEvidence mbc:ev_fatigue .

mbc:ClaimWrongQuote a owl:NamedIndividual, mbc:Claim ;                          # shacl:EvidenceNotMarkedWrong (on assoc_always)
    rdfs:label "Bone pain means fatigue."@en ; mbc:topic "bone pain"@en ; mbc:claimStatus mbc:Contradicted ;
    mbc:statusNote "Wrong on purpose."@en ; mbc:about mbc:BonePain ; mbc:hasEvidence mbc:ev_good .

mbc:ClaimNoEvidence a owl:NamedIndividual, mbc:Claim ;
    rdfs:label "Fatigue is common."@en ; mbc:topic "fatigue"@en ;
    mbc:claimStatus mbc:Supported ; mbc:statusNote "True."@en ; mbc:about mbc:Fatigue .  # shacl:ClaimEvidence
"""

REFERENCE = {
    "hp.tsv": [
        ("HP:0002653", "Bone pain", "exact"),
        ("HP:0002094", "Dyspnea", "exact"),
        ("HP:0012531", "Pain", "close"),
        ("HP:0033834", "Malaise", "related"),
        ("HP:0000989", "Pruritus", "exact"),
    ],
}

# (check, subject) pairs that the broken ontology must produce.
EXPECTED = [
    ("missing_ontology_license", "https://w3id.org/mbc-graph/mbc.ttl"),
    ("multiple_labels", "mbc:Fatigue"),
    ("missing_definition", "mbc:Headache"),
    ("duplicate_label", "mbc:Headache"),
    ("duplicate_label", "mbc:Ache"),
    ("lowercase_definition", "mbc:Ache"),
    ("definition_punctuation", "mbc:Ache"),
    ("label_whitespace", "mbc:Nausea"),
    ("duplicate_definition", "mbc:Nausea"),
    ("ambiguous_synonym", "mbc:Nausea"),
    ("xref_not_in_reference", "mbc:Cough"),
    ("xref_label_mismatch", "mbc:Dyspnea"),
    ("exact_match_not_exact", "mbc:Pain"),
    ("mapping_on_related_row", "mbc:Malaise"),
    ("invalid_xref", "mbc:Itch"),
    ("xref_mapping_mismatch", "mbc:Itch"),
    ("missing_xref_label", "mbc:Itch"),
    ("duplicate_exact_match", "mbc:BonePainToo"),
    ("conflicting_mappings", "mbc:BonePainToo"),
    ("missing_category", "mbc:Wanderer"),
    ("missing_xref", "mbc:Wanderer"),
    ("dangling_reference", "mbc:Ghost"),
    ("dangling_reference", "mbc:Maybe"),
    ("disjoint_ancestors", "mbc:Chimera"),
    ("domain_violation", "mbc:Fever"),
    ("range_violation", "mbc:Fever"),
    ("domain_violation", "mbc:Wanderer"),  # from assoc_always: an association outside hasSymptom's domain
    ("missing_evidence", "mbc:BoneMetastasis"),
    ("missing_range", "mbc:suggests"),
    ("subclass_cycle", "mbc:LoopA"),
    ("subclass_cycle", "mbc:LoopB"),
    ("metastasis_in_breast", "mbc:NippleMetastasis"),
    ("conflict_without_partner", "mbc:ClaimLonely"),
    ("widely_inherited", "mbc:assoc_wide"),
    ("shacl:ClassLabel", "mbc:Fatigue"),
    ("shacl:ClassDefinition", "mbc:Headache"),
    ("shacl:RestrictionEvidence", "mbc:BoneMetastasis"),
    ("shacl:ClaimStatus", "mbc:ClaimBadStatus"),
    ("shacl:ClaimEvidence", "mbc:ClaimNoEvidence"),
    ("shacl:EvidenceItemType", "axiom on mbc:Fever rdfs:subClassOf"),
    ("shacl:DocumentEvidenceQuote", "mbc:ev_noquote"),
    ("shacl:SourceDocumentIdentifier", "mbc:doc_999"),
    ("shacl:PropertyRange", "mbc:suggests"),
    ("shacl:PropertyLabel", "mbc:relatedTo"),
    ("shacl:PropertyDefinition", "mbc:relatedTo"),
    ("shacl:PropertyDomain", "mbc:relatedTo"),
    ("missing_label", "mbc:relatedTo"),
    ("missing_domain", "mbc:relatedTo"),
    ("shacl:ReferenceRecordIdentifier", "mbc:ref_nothing"),
    ("shacl:SourceDocumentTitle", "mbc:doc_998"),
    ("shacl:DocumentEvidenceSource", "mbc:ev_wrongsource"),
    ("shacl:CuratedEvidenceSource", "mbc:ev_curated"),
    ("shacl:CuratedEvidenceNote", "mbc:ev_curated"),
    ("shacl:ClaimLabel", "mbc:ClaimBare"),
    ("shacl:ClaimTopic", "mbc:ClaimBare"),
    ("shacl:ClaimStatus", "mbc:ClaimBare"),
    ("shacl:ClaimStatusNote", "mbc:ClaimBare"),
    ("shacl:ClaimAbout", "mbc:ClaimBare"),
    ("shacl:ClaimEvidence", "mbc:ClaimBare"),
    ("shacl:ClaimConflictsWith", "mbc:ClaimBare"),
    ("shacl:PatientSubtypesCompatible", "mbc:plantedPatient1"),
    ("shacl:CombinedEvidencePremises", "mbc:ev_lonely_premise"),
    ("shacl:CombinedEvidenceStep", "mbc:ev_lonely_premise"),
    ("shacl:AssociationPredicate", "mbc:assoc_bare"),
    ("shacl:AssociationObject", "mbc:assoc_bare"),
    ("shacl:AssociationQualifier", "mbc:assoc_bare"),
    ("shacl:AssociationEvidence", "mbc:assoc_bare"),
    ("shacl:AssociationQualifier", "mbc:assoc_always"),
    ("shacl:SourceDocumentRating", "mbc:doc_998"),
    ("shacl:AssociationSubject", "mbc:assoc_badparts"),
    ("shacl:EvidenceNotMarkedWrong", "mbc:assoc_always"),
    ("shacl:AssociationCondition", "mbc:assoc_badparts"),
]


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    (folder / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    reference = folder / "reference"
    reference.mkdir()
    for name, rows in REFERENCE.items():
        lines = ["id\tlabel\tmatch", *("\t".join(row) for row in rows)]
        (reference / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "broken.ttl", reference


@pytest.fixture(scope="module")
def broken_kg(broken_files):
    return mbc_graph.load(ontology=broken_files[0])


@pytest.fixture(scope="module")
def broken(broken_kg, broken_files):
    return validate(broken_kg, reference_dir=broken_files[1])


@pytest.fixture(scope="module")
def bundled_report(kg):
    return validate(kg)


# -- the bundled ontology ---------------------------------------------------------------
def test_bundled_ontology_has_no_errors(bundled_report):
    errors = bundled_report.filter(severity="ERROR")
    assert bundled_report.ok, "\n".join(str(v) for v in errors)


def test_every_check_ran_on_the_bundled_ontology(bundled_report):
    """Nothing is left out silently: every QC check (bar the optional reasoner) and every shape ran."""
    expected = set(CHECKS) - {"inconsistent_ontology", "unsatisfiable_class"}
    assert expected <= set(bundled_report.checks)
    assert {"shacl:MbcClass", "shacl:ClassLabel", "shacl:ClaimStatus", "shacl:RestrictionEvidence"} <= set(
        bundled_report.checks)


def test_reference_checks_ran_against_the_reference_data(bundled_report):
    """In a checkout the reference data is found, so the xref checks are not skipped."""
    skipped = [v for v in bundled_report if v.message.startswith("skipped")]
    assert qc.default_reference_dir().is_dir()  # ../shared/reference, else the copy in ontology/reference
    assert not skipped


@pytest.mark.parametrize("store", stores.available())
def test_every_store_gives_the_same_report(store, bundled_report):
    assert validate(mbc_graph.load(store=store)).violations == bundled_report.violations


# -- every check fires on the broken ontology ---------------------------------------------
#: Shapes that report with another severity than ERROR (sh:severity).
SHAPE_SEVERITY = {"shacl:EvidenceNotMarkedWrong": Severity.WARN}


@pytest.mark.parametrize(("check", "subject"), EXPECTED, ids=[f"{c}-{s}" for c, s in EXPECTED])
def test_check_fires(broken, check, subject):
    hits = broken.filter(check, subject=subject)
    assert hits, f"{check} did not fire on {subject}; report:\n{broken.to_text()}"
    expected_severity = CHECKS[check][0] if check in CHECKS else SHAPE_SEVERITY.get(check, Severity.ERROR)
    assert all(v.severity == expected_severity for v in hits)


def test_every_check_is_exercised_by_the_broken_ontology():
    exercised = {check for check, _ in EXPECTED}
    untested = set(CHECKS) - exercised - {
        "missing_ontology_header", "missing_ontology_title", "missing_ontology_description",
        "missing_ontology_creator", "missing_version_iri", "missing_version_info",  # test_header_checks
        "label_not_english", "multiple_definitions",  # test_more_text_checks
        "annotation_whitespace", "shared_synonym",
        "inconsistent_ontology", "unsatisfiable_class",  # tests/test_reasoner.py
    }
    assert not untested


def test_every_shape_is_exercised_by_the_broken_ontology():
    """Each property shape and SPARQL-based shape of shapes.ttl is named in EXPECTED."""
    from rdflib import Graph, URIRef

    shapes = Graph().parse(qc.bundled_shapes(), format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    constraining = {s for s in shapes.subjects(URIRef(sh + "path"), None)} | set(
        shapes.subjects(URIRef(sh + "sparql"), None))
    names = {f"shacl:{str(s).rsplit('/', 1)[-1]}" for s in constraining if isinstance(s, URIRef)}
    assert names == {check for check, _ in EXPECTED if check.startswith("shacl:")}


def test_shapes_file_is_valid_shacl():
    """ontology/shapes.ttl itself conforms to SHACL's own shapes (SHACL-SHACL)."""
    import pyshacl
    from rdflib import Graph

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=str(qc.bundled_shapes()), meta_shacl=True,
                                         advanced=True)
    assert conforms, text


def test_clean_classes_are_not_reported(broken):
    """The checks point at the broken classes only."""
    assert not broken.filter("metastasis_in_breast", subject="mbc:Breast")
    assert not broken.filter("subclass_cycle", subject="mbc:Symptom")
    assert not broken.filter("missing_category", subject="mbc:LoopB")  # below mbc:Symptom through the cycle
    assert not broken.filter("conflict_without_partner", subject="mbc:ClaimBadStatus")
    assert not broken.filter(subject="mbc:BonePain", severity="ERROR")
    assert not broken.filter(subject="mbc:Dyspnea", check="exact_match_not_exact")
    assert not broken.filter(check="missing_evidence", subject="mbc:Fever")
    assert not broken.filter("widely_inherited", subject="mbc:assoc_narrow")  # one subclass
    assert not broken.filter("widely_inherited", subject="mbc:assoc_not_inherited")  # suggests is not inherited


def test_broken_report_is_not_ok(broken):
    assert not broken.ok
    assert broken.count("ERROR") >= len({c for c, _ in EXPECTED if CHECKS.get(c, (Severity.ERROR,))[0] == "ERROR"})


def test_missing_evidence_names_the_assertion(broken):
    hits = {v.subject: v.message for v in broken.filter("missing_evidence")}
    assert set(hits) == {"mbc:BoneMetastasis", "mbc:Wanderer"}  # a restriction, an association (assoc_bare)
    assert "mbc:BoneMetastasis mbc:hasSymptom some mbc:Fatigue" in hits["mbc:BoneMetastasis"]


def test_widely_inherited_names_the_association_subject_and_count(broken):
    (hit,) = broken.filter("widely_inherited")
    assert hit.subject == "mbc:assoc_wide" and hit.severity == Severity.INFO
    assert "(mbc:Disease mbc:hasSymptom mbc:Fatigue)" in hit.message
    assert "inherited by 6 subclasses of mbc:Disease" in hit.message


def test_widely_inherited_matches_the_bundled_ontology(bundled_report):
    """The associations listed, and their counts, are those a plain rdflib walk of
    rdfs:subClassOf finds in ontology/mbc.ttl."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, RDFS

    from mbc_graph.bundled import bundled_ontology
    from mbc_graph.namespaces import MBC, curie

    onto = Graph().parse(bundled_ontology(), format="turtle")
    inherited = {p for p, flag in onto.subject_objects(MBC.inheritedBySubclasses) if flag.toPython() is True}
    expected = {}
    for association in onto.subjects(RDF.type, MBC.Association):
        if onto.value(association, MBC.associationPredicate) not in inherited:
            continue
        subject = onto.value(association, MBC.associationSubject)
        below = {c for c in onto.transitive_subjects(RDFS.subClassOf, subject) if isinstance(c, URIRef)} - {subject}
        if len(below) > MAX_INHERITING_SUBCLASSES:
            expected[curie(str(association))] = (curie(str(subject)), len(below))
    listed = {v.subject: v.message for v in bundled_report.filter("widely_inherited")}
    assert set(listed) == set(expected)
    for association, (subject, count) in expected.items():
        assert f"inherited by {count} subclasses of {subject}:" in listed[association]


def test_header_checks(tmp_path):
    path = tmp_path / "headless.ttl"
    path.write_text("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <https://example.org/o> a owl:Ontology .
    """, encoding="utf-8")
    report = validate(path, shacl=False)
    for check in ("missing_ontology_title", "missing_ontology_description", "missing_ontology_license",
                  "missing_ontology_creator", "missing_version_iri", "missing_version_info"):
        assert report.filter(check, subject="https://example.org/o"), check
    path.write_text("@prefix mbc: <https://w3id.org/mbc-graph/> .\n", encoding="utf-8")
    assert validate(path, shacl=False).filter("missing_ontology_header")


def test_more_text_checks(tmp_path):
    path = tmp_path / "texts.ttl"
    path.write_text("""
        @prefix mbc: <https://w3id.org/mbc-graph/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        mbc:Root a owl:Class ; rdfs:label "root"@en ; skos:definition "The root."@en ; mbc:categoryKey "root" .
        mbc:NoLabel a owl:Class ; rdfs:subClassOf mbc:Root ; skos:definition "No label."@en .
        mbc:French a owl:Class ; rdfs:subClassOf mbc:Root ; rdfs:label "douleur" ;
            skos:definition "One."@en , "Two."@en ; skos:altLabel "ache  "@en , "pain"@en .
        mbc:Other a owl:Class ; rdfs:subClassOf mbc:Root ; rdfs:label "other"@en ; skos:definition "Other."@en ;
            skos:altLabel "pain"@en .
        mbc:relatesTo a owl:ObjectProperty ; rdfs:label "relates to"@en ; skos:definition "Relates."@en ;
            rdfs:range mbc:Root .
    """, encoding="utf-8")
    report = validate(path, shacl=False)
    assert report.filter("missing_label", subject="mbc:NoLabel")
    assert report.filter("label_not_english", subject="mbc:French")
    assert report.filter("multiple_definitions", subject="mbc:French")
    assert report.filter("annotation_whitespace", subject="mbc:French")
    assert report.filter("shared_synonym", subject="mbc:Other")
    assert report.filter("missing_domain", subject="mbc:relatesTo")
    assert not report.filter("missing_range")


# -- reference data ------------------------------------------------------------------------
def test_reference_checks_are_skipped_without_reference_data(broken_kg, tmp_path, monkeypatch):
    monkeypatch.setattr(qc, "default_reference_dir", lambda: tmp_path / "absent")
    report = validate(broken_kg, shacl=False)
    for check in ("xref_not_in_reference", "xref_label_mismatch", "exact_match_not_exact"):
        (hit,) = report.filter(check)
        assert hit.severity == Severity.INFO
        assert hit.message.startswith("skipped: reference data not found")
    # the checks that need no reference data still run
    assert report.filter("duplicate_exact_match", subject="mbc:BonePainToo")


def test_a_missing_reference_dir_given_explicitly_is_an_error(broken_kg, tmp_path):
    with pytest.raises(FileNotFoundError, match="absent"):
        validate(broken_kg, reference_dir=tmp_path / "absent", shacl=False)


# -- the report ------------------------------------------------------------------------------
def test_report_api(broken):
    assert broken.count() == len(broken.violations) == sum(broken.count(s) for s in Severity)
    assert broken.count("error") == broken.count(Severity.ERROR)
    text = broken.to_text()
    assert text == str(broken)
    first, *lines = text.splitlines()
    assert first == broken.summary() and len(lines) == broken.count()
    assert lines[0].startswith("ERROR")  # errors first
    data = json.loads(broken.to_json())
    assert data["ok"] is False
    assert data["counts"]["ERROR"] == broken.count("ERROR")
    assert {"check": "multiple_labels", "severity": "ERROR", "subject": "mbc:Fatigue"}.items() <= next(
        v for v in data["violations"] if v["check"] == "multiple_labels").items()
    assert broken.by_check()["duplicate_label"] == 2


def test_an_empty_report_is_ok():
    report = Report([])
    assert report.ok and report.count() == 0
    assert report.to_text() == "0 errors, 0 warnings, 0 infos"
    report = Report([Violation("missing_xref", Severity.INFO, "mbc:X", "m")])
    assert report.ok  # INFO and WARN do not fail a report


# -- optional dependency -------------------------------------------------------------------
def test_without_pyshacl_shacl_raises_missing_dependency(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyshacl", None)  # makes `import pyshacl` fail
    with pytest.raises(MissingDependency, match="pyshacl"):
        validate(kg)
    assert validate(kg, shacl=False).ok  # the other checks need only rdflib


def test_kg_validate_is_the_same(kg, bundled_report):
    assert kg.validate().violations == bundled_report.violations


def test_a_synthetic_cohort_validates_cleanly(tmp_path):
    """The patient-data vocabulary is declared, so user-style records raise no error."""
    import mbc_graph
    from mbc_graph import synth

    cohort = synth.write_cohort(tmp_path / "cohort.ttl", n_patients=20, seed=3)
    report = mbc_graph.load(extra=[cohort]).validate()
    assert report.ok, report.to_text()
