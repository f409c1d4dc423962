"""The ontology build (tools/build_ontology.py): what it accepts from the
curation tables and what it writes for axioms, associations and obsolete
names."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS

from mbc_graph.namespaces import MBC

pytestmark = pytest.mark.once  # independent of the store under test: run in the first pass only

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_ontology", ROOT / "tools" / "build_ontology.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build_ontology = _load_builder()
ROW = {"s": "BoneMetastasis", "p": "hasSymptom", "o": "BonePain"}


@pytest.mark.parametrize("extra, message", [
    ({}, "either 'axiom: true'"),
    ({"axiom": True, "qualifier": "often"}, "either 'axiom: true'"),
    ({"qualifier": "always"}, "not one of"),
    ({"qualifier": "frequently"}, "not one of"),
    ({"axiom": "yes"}, "'axiom' is 'true' or absent"),
    ({"axiom": True, "condition": "if it has spread"}, "holds without conditions"),
    ({"qualifier": "sometimes", "condition": " "}, "non-empty string"),
])
def test_an_assertion_row_must_say_whether_it_is_an_axiom_or_how_often(extra, message):
    with pytest.raises(build_ontology.BuildError, match=message):
        build_ontology.check_statement_kind(ROW | extra, "row 1")


def test_a_subclass_row_is_always_an_axiom():
    row = {"s": "Mastectomy", "p": "subClassOf", "o": "Surgery", "qualifier": "often"}
    with pytest.raises(build_ontology.BuildError, match="always an axiom"):
        build_ontology.check_statement_kind(row, "row 1")


def test_every_curated_row_is_classified():
    """No relation row of the curation tables is left without a kind (the conversion to 0.2.0)."""
    for path in sorted((ROOT / "ontology" / "src").glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")).get("assertions") or []:
            build_ontology.check_statement_kind(row, f"{path.name}: {row['s']} {row['p']} {row['o']}")
            assert row.get("qualifier") != "always"


@pytest.fixture()
def src_copy(tmp_path, monkeypatch):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("the build needs ../shared/seeds and ../shared/reference")
    src = tmp_path / "src"
    shutil.copytree(ROOT / "ontology" / "src", src)
    monkeypatch.setattr(build_ontology, "SRC", src)
    return src


def _append_obsolete(src: Path, rows: list[dict]) -> None:
    path = src / "clinical.yaml"
    data = path.read_text(encoding="utf-8")
    path.write_text(data + "\n" + yaml.safe_dump({"obsolete": rows}), encoding="utf-8")


def test_an_obsolete_class_stays_resolvable_and_points_to_its_successor(src_copy):
    _append_obsolete(src_copy, [{
        "id": "OldBonePain", "label": "old bone pain", "reason": "Merged into bone pain.",
        "replaced_by": "BonePain", "consider": ["Pain"], "deprecated_in": "0.2.0",
    }])
    g = build_ontology.build(SHARED)
    old = MBC.OldBonePain
    assert (old, OWL.deprecated, Literal(True)) in g
    assert (old, build_ontology.TERM_REPLACED_BY, MBC.BonePain) in g
    assert (old, URIRef("http://www.geneontology.org/formats/oboInOwl#consider"), MBC.Pain) in g
    assert str(g.value(old, RDFS.label)) == "obsolete old bone pain"
    assert g.value(old, RDFS.subClassOf) is None


def test_the_build_refuses_to_use_an_obsolete_name_or_one_without_successor(src_copy):
    _append_obsolete(src_copy, [{"id": "BonePain", "label": "bone pain", "reason": "r", "replaced_by": "Pain"}])
    with pytest.raises(build_ontology.BuildError, match="also defined elsewhere"):
        build_ontology.build(SHARED)
    shutil.copy(ROOT / "ontology" / "src" / "clinical.yaml", src_copy / "clinical.yaml")
    _append_obsolete(src_copy, [{"id": "OldPain", "label": "old pain", "reason": "r"}])
    with pytest.raises(build_ontology.BuildError, match="needs 'replaced_by' or 'consider'"):
        build_ontology.build(SHARED)


def test_names_published_in_0_1_0_stay_resolvable():
    """A removed or split class stays as an obsolete class pointing to its successor (issue 11, item 8)."""
    from rdflib import Graph
    from rdflib.namespace import RDF

    import mbc_graph

    onto = Graph().parse(mbc_graph.bundled_ontology(), format="turtle")
    published = [line for line in (ROOT / "tests" / "data" / "names-0.1.0.txt").read_text().splitlines()
                 if line and not line.startswith("#")]
    assert len(published) > 250
    missing, without_successor = [], []
    for name in published:
        node = MBC[name]
        if (node, RDF.type, None) not in onto:
            missing.append(name)
        elif (node, OWL.deprecated, Literal(True)) in onto and not (
                (node, build_ontology.TERM_REPLACED_BY, None) in onto
                or (node, URIRef("http://www.geneontology.org/formats/oboInOwl#consider"), None) in onto):
            without_successor.append(name)
    assert not missing, "published in 0.1.0, gone now (add an `obsolete` row): " + ", ".join(missing)
    assert not without_successor, "obsolete without a successor: " + ", ".join(without_successor)



def _builder():
    if not (SHARED / "seeds").is_dir():
        pytest.skip("the build needs ../shared/seeds and ../shared/reference")
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (SHARED / "seeds").glob("*.txt")}
    _, documents = build_ontology.read_sources()
    ctx = build_ontology.Context(seeds=seeds, documents=documents, reference={})
    return build_ontology.Builder(ctx)


BONE_PAIN_QUOTES = [{"doc": "001", "quote": "Bone pain, often in the back or hips"},
                    {"doc": "004", "quote": "Bone pain, particularly in the back, hips, or ribs."}]


def test_combined_evidence_lists_each_quote_and_the_step():
    from rdflib.namespace import RDF

    builder = _builder()
    [combined] = builder.evidence_nodes([{"combined": BONE_PAIN_QUOTES, "step": "Both documents list it."}], "row")
    graph = builder.g
    assert (combined, RDF.type, MBC.CombinedEvidence) in graph
    premises = set(graph.objects(combined, MBC.premise))
    assert len(premises) == 2 and all((p, RDF.type, MBC.DocumentEvidence) in graph for p in premises)
    assert {str(graph.value(p, MBC.quote)) for p in premises} == {q["quote"] for q in BONE_PAIN_QUOTES}
    assert str(graph.value(combined, MBC.inferenceStep)) == "Both documents list it."


@pytest.mark.parametrize("item", [
    {"combined": BONE_PAIN_QUOTES[:1], "step": "One quote is not a combination."},
    {"combined": BONE_PAIN_QUOTES},
    {"combined": [BONE_PAIN_QUOTES[0], {"doc": "004", "quote": "Not a sentence of document 004."}], "step": "Made up."},
])
def test_combined_evidence_needs_two_verbatim_quotes_and_a_step(item):
    with pytest.raises(build_ontology.BuildError, match="combined evidence needs|not verbatim"):
        _builder().evidence_nodes([item], "row")
