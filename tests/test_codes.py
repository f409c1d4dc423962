"""Clinical codes derived through exact DOID/MONDO mappings: kept apart, with provenance, found from patient codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, SKOS

import mbc_graph
from mbc_graph.codes import canonical_prefix
from mbc_graph.namespaces import MBC, OBOINOWL

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "ontology" / "reference"  # the copy the project ships (make ontology)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(mbc_graph.bundled_ontology())


def derivations(onto):
    for axiom in onto.subjects(OWL.annotatedProperty, MBC.derivedXref):
        yield (onto.value(axiom, OWL.annotatedSource), str(onto.value(axiom, OWL.annotatedTarget)),
               str(onto.value(axiom, MBC.derivedVia)))


def reference_rows() -> dict[str, dict]:
    rows = {}
    for name in ("doid.tsv", "mondo.tsv"):
        with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
            rows |= {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    return rows


@pytest.mark.once
def test_each_derived_code_comes_through_an_exact_mapping_whose_row_lists_it(onto):
    rows = reference_rows()
    found = list(derivations(onto))
    assert {(c, code) for c, code, _ in found} == {(c, str(v)) for c, v in onto.subject_objects(MBC.derivedXref)}
    assert found
    for cls, code, via in found:
        prefix, local = via.split(":")
        assert (cls, SKOS.exactMatch, mbc_graph.namespaces.PREFIXES["obo"] + f"{prefix}_{local}") in {
            (s, p, str(o)) for s, p, o in onto.triples((cls, SKOS.exactMatch, None))}
        written = [x for x in rows[via]["xrefs"].split("|") if x]
        code_prefix, code_local = code.split(":", 1)
        assert any(canonical_prefix(x.split(":")[0]) == canonical_prefix(code_prefix) and x.split(":", 1)[1] == code_local
                   for x in written), (code, via, written)


@pytest.mark.once
def test_derived_codes_stay_apart_from_direct_mappings(onto):
    for cls, code, _ in derivations(onto):
        assert Literal(code) not in set(onto.objects(cls, OBOINOWL.hasDbXref))
        for match in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"):
            assert not any(str(t).endswith(code.split(":", 1)[1]) and code.split(":")[0].lower() in str(t).lower()
                           for t in onto.objects(cls, SKOS[match]))


@pytest.mark.once
def test_prefixes_are_the_bioregistrys(onto):
    bioregistry = pytest.importorskip("bioregistry", reason="bioregistry is in the dev extra")
    prefixes = {code.split(":")[0] for _, code, _ in derivations(onto)}
    assert {"icd10cm", "snomedct", "umls"} <= prefixes
    assert not prefixes & {"SNOMEDCT_US_2025_09_01", "SCTID", "UMLS_CUI", "UMLS", "NCI", "MESH"}
    for prefix in prefixes:
        normalized = bioregistry.normalize_prefix(prefix)
        assert (bioregistry.get_preferred_prefix(normalized) or normalized) == prefix


def test_a_billable_subcode_finds_its_concept_through_its_parents(kg):
    assert kg.concept("ICD10CM:C50.911").iri == MBC.BreastCancer
    found = kg.concepts_for_codes(["ICD10CM:C50.911", "icd10cm:c50911", "SCTID:254837009", "UMLS_CUI:C0006142",
                                   "SNOMEDCT_US_2025_09_01:254837009", "ICD10CM:E66.9", "ICD10CM:E66"])
    assert {code: [c.label for c in concepts] for code, concepts in found.items()} == {
        "ICD10CM:C50.911": ["breast cancer"], "icd10cm:c50911": ["breast cancer"],
        "SCTID:254837009": ["breast cancer"], "UMLS_CUI:C0006142": ["breast cancer"],
        "SNOMEDCT_US_2025_09_01:254837009": ["breast cancer"], "ICD10CM:E66.9": ["obesity"],
        "ICD10CM:E66": [],  # a parent does not match its children's concepts
    }


def test_codes_the_reference_data_lacks_match_nothing(kg):
    # no secondary-neoplasm (C77-C79) or receptor-status (Z17) codes are in the reference data
    assert kg.concepts_for_codes(["ICD10CM:C78.7", "ICD10CM:C79.51", "ICD10CM:Z17.0", "nonsense", "ICD10CM:"]) == {
        "ICD10CM:C78.7": [], "ICD10CM:C79.51": [], "ICD10CM:Z17.0": [], "nonsense": [], "ICD10CM:": []}


def test_direct_mappings_come_before_derived_codes(kg):
    assert kg.concept("DOID:1612").iri == MBC.BreastCancer
    assert kg.concept("breast cancer").codes and "icd10cm:C50" in kg.concept("breast cancer").codes


@pytest.mark.once
def test_sssom_lists_each_chain_as_a_chaining_mapping(onto):
    pytest.importorskip("sssom", reason="sssom is in the obo extra")
    from sssom.parsers import parse_sssom_table

    frame = parse_sssom_table(ROOT / "ontology" / "mbc.sssom.tsv").df
    chained = frame[frame.mapping_justification == "semapv:MappingChaining"]
    assert len(chained) == len(list(derivations(onto)))
    assert set(chained.predicate_id) == {"oboInOwl:hasDbXref"}
    row = chained[(chained.subject_id == "mbc:BreastCancer") & (chained.object_id == "icd10cm:C50")]
    assert {c.split(",")[0].rsplit(" ", 1)[1] for c in row.comment} == {"DOID:1612", "MONDO:0007254"}
