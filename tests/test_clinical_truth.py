"""What a clinician would check first (issue 11, "Why"; clinical review of
0.1.0): each test failed on release 0.1.0."""

from __future__ import annotations

import pytest

from mbc_graph.errors import MBCGraphError
from mbc_graph.namespaces import MBC


def labels(concepts) -> set[str]:
    return {c.label for c in concepts}


def test_metastatic_breast_cancer_is_not_treated_by_mastectomy(kg):
    """Review 1.4: surgery for MBC is surgery of a metastasis, in selected cases."""
    therapies = labels(kg.therapies_for("metastatic breast cancer"))
    assert not {"mastectomy", "breast cancer surgery", "surgery"} & therapies
    assert {"metastasis surgery", "liver metastasis surgery"} <= therapies
    evidence = kg.evidence("metastatic breast cancer", "treated by", "metastasis surgery")
    assert {e.qualifier for e in evidence} == {"in selected cases"}


def test_nipple_discharge_suggests_no_metastatic_site(kg):
    """Review 1.1-1.3: a sign of the breast tumour; chest-wall disease is locoregional."""
    assert kg.sites_suggested_by("nipple discharge") == []
    assert not kg.query("ASK { mbc:MetastaticBreastCancer mbc:metastasizesTo mbc:ChestWall }")
    [claim] = [c for c in kg.claims(about="nipple discharge") if c.iri.endswith("ClaimChestWallSymptoms")]
    assert claim.status == "contradicted"
    assert kg.query("ASK { mbc:ChestWallMetastasis owl:deprecated true ; oboInOwl:consider mbc:ChestWall }")


def test_reduced_alertness_does_not_point_to_bone_only(kg):
    """Review 1.7."""
    assert "bone" not in labels(kg.sites_suggested_by("reduced alertness"))


def test_triple_negative_is_treated_by_chemotherapy_and_checkpoint_inhibitors_in_selected_cases(kg):
    """Review 1.5: chemotherapy (combined evidence from 001) and checkpoint inhibitors with their qualifier."""
    therapies = labels(kg.therapies_for("triple-negative breast cancer"))
    assert {"chemotherapy", "paclitaxel", "immune checkpoint inhibitor therapy", "pembrolizumab"} <= therapies
    ici = kg.evidence("triple-negative breast cancer", "treated by", "immune checkpoint inhibitor therapy")
    assert {(e.qualifier, e.condition) for e in ici} == {("in selected cases", "with specific biomarkers")}
    chemo = kg.evidence("triple-negative breast cancer", "treated by", "chemotherapy")
    assert {e.quote for e in chemo} == {"Cancer is aggressive", "More aggressive"}
    assert all(e.note and "aggressive" in e.note for e in chemo)  # the step between the two quotes
    assert {e.condition for e in chemo} == {"when the cancer is aggressive"}


def test_a_headache_is_not_treated_by_radiation(kg):
    """Review 1.6: 001's 'pain relief' is pain from a metastasis, not every pain."""
    assert "radiation therapy" not in labels(kg.therapies_for("headache"))
    assert "radiation therapy" in labels(kg.therapies_for("pain from a metastasis"))


def test_brca_mutations_are_not_risk_factors_of_metastatic_disease(kg):
    """Review 1.8: 000 ties them to developing breast cancer, not to its spread."""
    risks = labels(kg.risk_factors("metastatic breast cancer"))
    assert not {"BRCA1 mutation", "BRCA2 mutation", "inherited gene mutation", "genetic mutation"} & risks
    assert "acquired gene mutation" in risks
    assert {"BRCA1 mutation", "BRCA2 mutation"} <= labels(kg.risk_factors("breast cancer"))


def test_pembrolizumab_does_not_target_pd_l1(kg):
    """Review 1.9: pembrolizumab binds PD-1; PD-L1 selects the patients."""
    assert "PD-L1" not in labels(kg.targets_of("pembrolizumab"))
    assert labels(kg.targets_of("atezolizumab")) == {"PD-L1"}
    assert kg.query("ASK { mbc:ImmuneCheckpointInhibitorTherapy mbc:selectedBy mbc:PDL1 }")


def test_pd_l1_is_not_called_a_receptor(kg):
    """Review 2.3: PD-L1 is the ligand of PD-1."""
    assert "PD-L1 receptor" not in kg.concept("PD-L1").synonyms
    with pytest.raises(MBCGraphError):
        kg.concept("PD-L1 receptor")


@pytest.mark.parametrize("site", ["liver metastasis", "brain metastasis"])
def test_liver_and_brain_metastases_get_systemic_therapy(kg, site):
    """Review 1.12: not surgery or radiation alone; 002 says spread is treated as breast cancer."""
    therapies = labels(kg.therapies_for(site))
    assert {"systemic therapy", "hormone therapy", "chemotherapy", "trastuzumab"} <= therapies
    evidence = kg.evidence(site, "treated by", "systemic therapy")
    assert len({e.quote for e in evidence}) == 2 and {e.source for e in evidence} == {"002_8ae3c21c0ec48979.txt"}
    assert all("breast cancer drugs" in e.note for e in evidence)


def test_liver_surgery_is_for_selected_cases(kg):
    evidence = kg.evidence("liver metastasis", "treated by", "liver metastasis surgery")
    assert {e.qualifier for e in evidence} == {"in selected cases"}


def test_receptor_subtypes_are_breast_cancers(kg):
    """Review 5.2: as their exact DOID mappings require."""
    breast_cancers = labels(kg.subclasses("breast cancer"))
    assert {"hormone receptor-positive breast cancer", "HER2-positive breast cancer",
            "triple-negative breast cancer", "HER2-low breast cancer"} <= breast_cancers


def test_triple_negative_lacks_her2_overexpression_not_her2(kg):
    """Review 1.10: many triple-negative cancers make a little HER2 (HER2-low)."""
    lacks = set(kg.query("SELECT ?b WHERE { mbc:TripleNegativeBreastCancer mbc:lacks ?b }").values())
    assert MBC.HER2Overexpression in lacks and MBC.HER2 not in lacks


def test_a_mammogram_is_not_a_test_stated_for_metastases(kg):
    """Review 1.11: the edge is stated on breast cancer (it images the breast)."""
    assert kg.query("ASK { ?a mbc:associationSubject mbc:BreastCancer ; mbc:associationPredicate mbc:detectedBy ;"
                    " mbc:associationObject mbc:Mammogram }")
    assert not kg.query("ASK { ?a mbc:associationSubject mbc:MetastaticBreastCancer ;"
                        " mbc:associationObject mbc:Mammogram }")


def test_drugs_name_their_molecular_targets(kg):
    """Review 1.26 / 5.6: targets that are not biomarkers (CDK4/6, aromatase, TROP2, ...)."""
    assert labels(kg.targets_of("palbociclib")) == {"CDK4", "CDK6"}
    assert labels(kg.targets_of("letrozole")) == {"aromatase"}
    assert labels(kg.targets_of("sacituzumab govitecan")) == {"TROP2"}
    assert labels(kg.targets_of("alpelisib")) == {"PIK3CA"}
    assert kg.concept("CDK4").category == "target"


def test_misleading_claims_have_their_own_status_and_conflicts_run_both_ways(kg):
    """Review S9 and S5."""
    misleading = {c.iri.rsplit("/", 1)[-1] for c in kg.claims(status="misleading")}
    assert {"ClaimMBCFinalStageExtremelyDangerous", "ClaimBoneSpreadSymptomsWillInclude",
            "ClaimInheritedOrAcquiredMutationsSpread"} <= misleading
    assert kg.query("ASK { mbc:ClaimSurgeryRarelyUsed mbc:conflictsWith mbc:ClaimSurgeryRemovesBreastTumour }")
    assert not kg.query("ASK { mbc:ClaimHormoneTherapyBindsReceptorsToDrugs mbc:conflictsWith ?other }")


def test_the_fifteen_percent_survival_figure_carries_its_period_caveat(kg):
    """Review S1 / 4.16: 002's own qualifier is attached as evidence."""
    quotes = set(kg.query("SELECT ?q WHERE { mbc:ClaimFiveYearSurvival15Percent mbc:hasEvidence/mbc:quote ?q }")
                 .values())
    assert any("before some of the newer treatments" in str(q) for q in quotes)
