"""The ontology file itself: it parses, follows the conventions, and every
quote is verbatim in the document it cites."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

import mbc_graph
from mbc_graph.namespaces import MBC

pytestmark = pytest.mark.once  # independent of the store under test: run in the first pass only

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(mbc_graph.bundled_ontology(), format="turtle")
    return g


def mbc_classes(g: Graph):
    return sorted(c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(MBC)))


def test_ontology_parses_and_has_a_header(onto):
    (ontology,) = onto.subjects(RDF.type, OWL.Ontology)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionIRI, OWL.versionInfo):
        assert onto.value(ontology, prop) is not None, prop


def test_every_class_has_one_english_label_and_a_definition(onto):
    problems = []
    for cls in mbc_classes(onto):
        labels = [l for l in onto.objects(cls, RDFS.label) if isinstance(l, Literal) and l.language == "en"]
        definitions = list(onto.objects(cls, SKOS.definition))
        if len(labels) != 1 or len(list(onto.objects(cls, RDFS.label))) != 1:
            problems.append(f"{cls}: {len(labels)} English labels")
        if len(definitions) != 1:
            problems.append(f"{cls}: {len(definitions)} definitions")
    assert not problems, "\n".join(problems)


def _annotated_targets(g: Graph):
    evidence = {}
    for axiom in g.subjects(RDF.type, OWL.Axiom):
        key = (g.value(axiom, OWL.annotatedSource), g.value(axiom, OWL.annotatedProperty), g.value(axiom, OWL.annotatedTarget))
        evidence.setdefault(key, []).extend(g.objects(axiom, MBC.hasEvidence))
    return evidence


def test_every_domain_assertion_has_evidence(onto):
    evidence = _annotated_targets(onto)
    restrictions = [
        (cls, r) for cls in mbc_classes(onto) for r in onto.objects(cls, RDFS.subClassOf)
        if (r, RDF.type, OWL.Restriction) in onto
    ]
    assert len(restrictions) > 50  # the axioms are there at all
    missing = [f"{cls} {onto.value(r, OWL.onProperty)} {onto.value(r, OWL.someValuesFrom)}"
               for cls, r in restrictions if not evidence.get((cls, RDFS.subClassOf, r))]
    assert not missing, "restrictions without evidence:\n" + "\n".join(missing)


def test_every_association_has_its_parts_and_evidence(onto):
    """0.2.0: what the sources say can happen is an association node, never an OWL restriction."""
    associations = list(onto.subjects(RDF.type, MBC.Association))
    assert len(associations) > 100
    qualifiers = {MBC.Often, MBC.Sometimes, MBC.Rarely, MBC.InSelectedCases, MBC.NotStated}
    for node in associations:
        for prop in (MBC.associationSubject, MBC.associationPredicate, MBC.associationObject):
            assert len(list(onto.objects(node, prop))) == 1, (node, prop)
        assert onto.value(node, MBC.frequencyQualifier) in qualifiers, node
        assert list(onto.objects(node, MBC.hasEvidence)), node
    stated = {(onto.value(a, MBC.associationSubject), onto.value(a, MBC.associationPredicate),
               onto.value(a, MBC.associationObject)) for a in associations}
    axioms = {(cls, onto.value(r, OWL.onProperty), onto.value(r, OWL.someValuesFrom))
              for cls in mbc_classes(onto) for r in onto.objects(cls, RDFS.subClassOf)}
    assert not stated & axioms, "stated both as an axiom and as an association"
    assert (MBC.MetastaticBreastCancer, MBC.hasMetastasis, MBC.BoneMetastasis) in stated
    assert (MBC.BoneMetastasis, MBC.locatedIn, MBC.Bone) in axioms


def test_evidence_items_name_a_source_and_quote(onto):
    for ev in onto.subjects(RDF.type, MBC.DocumentEvidence):
        source = onto.value(ev, MBC.source)
        assert (source, RDF.type, MBC.SourceDocument) in onto, ev
        assert onto.value(source, DCTERMS.identifier) and onto.value(source, DCTERMS.title), source
        assert onto.value(ev, MBC.quote), ev
    for ev in onto.subjects(RDF.type, MBC.CuratedEvidence):
        assert (onto.value(ev, MBC.source), RDF.type, MBC.ReferenceRecord) in onto, ev
        assert onto.value(ev, MBC.curationNote), ev


def test_one_source_document_per_seed(onto):
    identifiers = sorted(str(onto.value(d, DCTERMS.identifier)) for d in onto.subjects(RDF.type, MBC.SourceDocument))
    assert identifiers == [
        "000_05c8660aa17beb86.txt", "001_c125eb9c1db86d14.txt", "002_8ae3c21c0ec48979.txt",
        "003_ac68bf19d4ba80d2.txt", "004_0edae8691a99043f.txt",
    ]


def test_every_document_is_cited(onto):
    cited = {onto.value(ev, MBC.source) for ev in onto.subjects(RDF.type, MBC.DocumentEvidence)}
    assert cited == set(onto.subjects(RDF.type, MBC.SourceDocument))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents (../shared/seeds) are not beside the project")
def test_every_quote_is_verbatim_in_its_document(onto):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    wrong = []
    for ev in onto.subjects(RDF.type, MBC.DocumentEvidence):
        file = str(onto.value(onto.value(ev, MBC.source), DCTERMS.identifier))
        quote = str(onto.value(ev, MBC.quote))
        if quote not in texts[file]:
            wrong.append(f"{file}: {quote!r}")
    assert not wrong, "quotes not found verbatim:\n" + "\n".join(wrong)


def test_claims_have_a_status_and_evidence(onto):
    claims = list(onto.subjects(RDF.type, MBC.Claim))
    assert claims
    statuses = {MBC.Supported, MBC.Conflicting, MBC.Contradicted, MBC.Misleading}
    for claim in claims:
        assert onto.value(claim, MBC.claimStatus) in statuses, claim
        assert list(onto.objects(claim, MBC.hasEvidence)), claim
        assert list(onto.objects(claim, MBC.about)), claim


def test_metastases_are_not_located_in_the_breast(onto):
    """MONDO's note: a metastasis must not inherit a location in the breast."""
    ancestors = set(onto.transitive_objects(MBC.BoneMetastasis, RDFS.subClassOf))
    assert MBC.BreastCancer not in ancestors
    assert MBC.Metastasis in ancestors


def test_generated_file_matches_its_sources():
    """ontology/mbc.ttl is what tools/build_ontology.py makes of ontology/src."""
    if not SEEDS.is_dir():
        pytest.skip("the build needs ../shared/seeds and ../shared/reference")
    import subprocess, sys

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_ontology.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
