"""The domain helpers answer the questions users ask, on both stores."""

from __future__ import annotations

from mbc_graph.namespaces import MBC


def labels(concepts):
    return {c.label for c in concepts}


def test_symptoms_of_a_site_come_from_its_metastases(any_kg):
    by_site = labels(any_kg.symptoms_of("brain"))
    assert {"headache", "seizure"} <= by_site
    assert by_site == labels(any_kg.symptoms_of("brain metastasis"))
    assert "jaundice" not in by_site


def test_symptoms_of_a_parent_site_include_its_parts(any_kg):
    assert labels(any_kg.symptoms_of("brain")) <= labels(any_kg.symptoms_of("nervous system"))


def test_a_symptom_suggests_sites(any_kg):
    assert labels(any_kg.sites_suggested_by("jaundice")) == {"liver"}
    assert "bone" in labels(any_kg.sites_suggested_by("bone pain"))


def test_diagnostics_for_a_site(any_kg):
    assert "bone scan" in labels(any_kg.diagnostics_for("bone"))


def test_therapies_for_a_subtype_include_subclasses_and_drugs(any_kg):
    found = labels(any_kg.therapies_for("HER2-positive"))
    assert {"HER2-targeted therapy", "trastuzumab"} <= found
    hormone = labels(any_kg.therapies_for("HR-positive"))
    assert {"tamoxifen", "fulvestrant", "letrozole"} <= hormone
    triple_negative = labels(any_kg.therapies_for("triple-negative"))
    assert "pembrolizumab" in triple_negative and not {"trastuzumab", "tamoxifen"} & triple_negative


def test_targets_of_a_therapy(any_kg):
    assert "HER2" in labels(any_kg.targets_of("HER2-targeted therapy"))


def test_risk_factors_subtypes_and_stages(any_kg):
    assert {"obesity", "BRCA1 mutation"} <= labels(any_kg.risk_factors())
    assert labels(any_kg.subtypes()) >= {
        "hormone receptor-positive breast cancer", "HER2-positive breast cancer", "triple-negative breast cancer"}
    assert {"stage 0", "stage IV"} <= labels(any_kg.stages())


def test_claims_keep_conflicting_sources_side_by_side(any_kg):
    survival = any_kg.claims(status="conflicting", topic="five-year survival")
    files = {e.source for c in survival for e in c.evidence}
    assert {"002_8ae3c21c0ec48979.txt", "003_ac68bf19d4ba80d2.txt"} <= files
    for claim in survival:
        assert claim.conflicts_with and claim.status == "conflicting"


def test_claims_filter_by_concept(any_kg):
    about_mbc = any_kg.claims(about="metastatic breast cancer")
    assert about_mbc and all("metastatic breast cancer" in c.about for c in about_mbc)
    assert {c.status for c in any_kg.claims(status="contradicted")} == {"contradicted"}


def test_a_drug_inherits_the_targets_of_its_class(any_kg):
    assert labels(any_kg.targets_of("alpelisib")) == {"PIK3CA"}
    assert "PIK3CA" in labels(any_kg.targets_of("targeted therapy"))
