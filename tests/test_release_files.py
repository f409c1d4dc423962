"""The OBO release files: OBO tools read definitions, scoped synonyms, xrefs and ancestors.

``ontology/mbc.owl``, ``mbc.obo``, ``mbc.json`` and ``mbc.sssom.tsv`` are
written by ``make ontology``; ``test_ontology.py`` fails when any is stale.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import mbc_graph
from mbc_graph.namespaces import MBC

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
TNBC = "triple-negative breast cancer"
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
OIO = "http://www.geneontology.org/formats/oboInOwl#"


@pytest.fixture(scope="module")
def ttl() -> Graph:
    return Graph().parse(mbc_graph.bundled_ontology())


def mbc_classes(graph: Graph) -> set[str]:
    return {str(c) for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(MBC))}


def test_the_ontology_iri_is_format_neutral_and_follows_the_package_version(ttl):
    [onto] = ttl.subjects(RDF.type, OWL.Ontology)
    assert str(onto) == "https://w3id.org/mbc-graph/"
    assert str(ttl.value(onto, OWL.versionInfo)) == mbc_graph.__version__
    assert str(ttl.value(onto, OWL.versionIRI)) == f"https://w3id.org/mbc-graph/releases/{mbc_graph.__version__}/"


def test_every_skos_definition_is_also_an_iao_definition(ttl):
    skos = set(ttl.subject_objects(SKOS.definition))
    assert skos and skos == set(ttl.subject_objects(IAO_DEFINITION))


def scopes(graph: Graph, node: URIRef) -> dict[str, str]:
    return {str(text): str(p)[len(OIO) + 3:-7].lower() for p, text in graph.predicate_objects(node)
            if str(p).startswith(OIO + "has") and str(p).endswith("Synonym")}


def test_synonym_scopes_come_from_the_reference_data(ttl):
    with (ROOT / "ontology" / "reference" / "doid.tsv").open(encoding="utf-8") as handle:
        doid = {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    tnbc = scopes(ttl, MBC.TripleNegativeBreastCancer)
    assert "TNBC" in doid["DOID:0060081"]["exact_synonyms"].split("|")  # and TNBC exactMatch DOID:0060081
    assert tnbc["TNBC"] == "exact"
    assert tnbc["triple-negative"] == "related"  # no reference term is called just that
    # a synonym naming the narrower term a class maps to with narrowMatch is a narrow synonym
    [both] = ttl.subjects(RDFS.label, Literal("HR-positive/HER2-positive breast cancer", lang="en"))
    assert scopes(ttl, both)["triple-positive breast cancer"] == "narrow"
    every_synonym = {(s, str(o)) for s, o in ttl.subject_objects(SKOS.altLabel)}
    scoped = {(s, text) for s in {s for s, _ in every_synonym} for text in scopes(ttl, s)}
    assert every_synonym <= scoped


def load_pronto(name: str):
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns about the OWL axioms it does not model
        return pronto.Ontology(str(ONTOLOGY / name))


@pytest.mark.parametrize("name", ["mbc.obo", "mbc.json", "mbc.owl"])
def test_pronto_reads_terms_definitions_synonyms_and_ancestors(ttl, name):
    ontology = load_pronto(name)
    terms = [t for t in ontology.terms() if not t.id.startswith("http://www.w3.org/ns/oa#")]  # selector classes
    assert len(terms) == len(mbc_classes(ttl))
    assert all(t.definition for t in terms)
    [tnbc] = [t for t in terms if t.name == TNBC]
    assert {(s.description, s.scope) for s in tnbc.synonyms} >= {("TNBC", "EXACT"), ("triple-negative", "RELATED")}
    assert {x.id for x in tnbc.xrefs} == {"DOID:0060081", "MONDO:0005494"}
    assert {a.name for a in tnbc.superclasses()} >= {"breast cancer subtype", "disease"}
    assert len(list(ontology.relationships())) == len({str(p) for p in ttl.subjects(RDF.type, OWL.ObjectProperty)})


def test_obo_ids_use_the_mbc_idspace():
    ontology = load_pronto("mbc.obo")
    tnbc = ontology["mbc:TripleNegativeBreastCancer"]
    assert tnbc.name == TNBC
    lacks = {t.name for t in tnbc.relationships[ontology.get_relationship("mbc:lacks")]}
    assert lacks == {"estrogen receptor", "progesterone receptor", "HER2 overexpression"}
    assert "idspace: mbc https://w3id.org/mbc-graph/" in (ONTOLOGY / "mbc.obo").read_text(encoding="utf-8")


def test_owlready2_names_classes_by_attribute_and_hermit_finds_it_consistent(tmp_path):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((ONTOLOGY / "mbc.owl").as_uri()).load()
    tnbc = onto.TripleNegativeBreastCancer
    assert tnbc is not None and TNBC in [str(label) for label in tnbc.label]
    assert tnbc.IAO_0000115 and onto.BreastCancerSubtype in tnbc.ancestors()


@pytest.mark.reasoner
def test_hermit_finds_the_owl_release_consistent():
    import owlready2

    world = owlready2.World()
    world.get_ontology((ONTOLOGY / "mbc.owl").as_uri()).load()
    with world:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_sssom_file_validates_and_holds_every_mapping(ttl):
    from sssom.parsers import parse_sssom_table

    result = subprocess.run([str(Path(sys.executable).parent / "sssom"), "validate", str(ONTOLOGY / "mbc.sssom.tsv")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    msdf = parse_sssom_table(ONTOLOGY / "mbc.sssom.tsv")
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    frame = msdf.df
    stated = [(s, o) for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
              for s, o in ttl.subject_objects(p)]
    assert len(frame[frame.mapping_justification == "semapv:ManualMappingCuration"]) == len(stated)
    row = frame[(frame.subject_id == "mbc:TripleNegativeBreastCancer") & (frame.object_id == "DOID:0060081")]
    assert list(row.predicate_id) == ["skos:exactMatch"] and list(row.object_label) == [TNBC]


def test_the_ontology_access_kit_reads_definitions_synonyms_and_ancestors():
    from oaklib import get_adapter

    adapter = get_adapter(f"pronto:{ONTOLOGY / 'mbc.obo'}")
    tnbc = "mbc:TripleNegativeBreastCancer"
    assert adapter.label(tnbc) == TNBC
    assert adapter.definition(tnbc).startswith("Breast cancer whose cells lack")
    assert "TNBC" in adapter.entity_aliases(tnbc)
    assert "mbc:Disease" in set(adapter.ancestors(tnbc, predicates=["rdfs:subClassOf"]))
