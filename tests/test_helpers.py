"""The domain helpers answer the questions users ask, on both stores."""

from __future__ import annotations


def labels(concepts):
    return {c.label for c in concepts}


def test_symptoms_of_a_site_come_from_its_metastases(kg):
    by_site = labels(kg.symptoms_of("brain"))
    assert {"headache", "seizure"} <= by_site
    assert by_site == labels(kg.symptoms_of("brain metastasis"))
    assert "jaundice" not in by_site


def test_symptoms_of_a_parent_site_include_its_parts(kg):
    assert labels(kg.symptoms_of("brain")) <= labels(kg.symptoms_of("nervous system"))


def test_a_symptom_suggests_sites(kg):
    assert labels(kg.sites_suggested_by("jaundice")) == {"liver"}
    assert "bone" in labels(kg.sites_suggested_by("bone pain"))


def test_diagnostics_for_a_site(kg):
    assert "bone scan" in labels(kg.diagnostics_for("bone"))


def test_therapies_for_a_subtype_include_subclasses_and_drugs(kg):
    found = labels(kg.therapies_for("HER2-positive"))
    assert {"HER2-targeted therapy", "trastuzumab"} <= found
    hormone = labels(kg.therapies_for("HR-positive"))
    assert {"tamoxifen", "fulvestrant", "letrozole"} <= hormone
    triple_negative = labels(kg.therapies_for("triple-negative"))
    assert "pembrolizumab" in triple_negative and not {"trastuzumab", "tamoxifen"} & triple_negative


def test_targets_of_a_therapy(kg):
    assert "HER2" in labels(kg.targets_of("HER2-targeted therapy"))


def test_risk_factors_subtypes_and_stages(kg):
    assert {"obesity", "BRCA1 mutation"} <= labels(kg.risk_factors())
    assert labels(kg.subtypes()) >= {
        "hormone receptor-positive breast cancer", "HER2-positive breast cancer", "triple-negative breast cancer"}
    assert {"stage 0", "stage IV"} <= labels(kg.stages())


def test_claims_keep_conflicting_sources_side_by_side(kg):
    survival = kg.claims(status="conflicting", topic="five-year survival")
    files = {e.source for c in survival for e in c.evidence}
    assert {"002_8ae3c21c0ec48979.txt", "003_ac68bf19d4ba80d2.txt"} <= files
    for claim in survival:
        assert claim.conflicts_with and claim.status == "conflicting"


def test_claims_filter_by_concept(kg):
    about_mbc = kg.claims(about="metastatic breast cancer")
    assert about_mbc and all("metastatic breast cancer" in c.about for c in about_mbc)
    assert {c.status for c in kg.claims(status="contradicted")} == {"contradicted"}


def test_a_drug_inherits_the_targets_of_its_class(kg):
    assert labels(kg.targets_of("alpelisib")) == {"PIK3CA"}
    assert "PIK3CA" in labels(kg.targets_of("targeted therapy"))
