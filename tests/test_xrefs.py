"""Cross-references, header, relations and categories, read straight from
ontology/mbc.ttl with rdflib (independently of mbc_graph.validate).

The cross-reference tests compare with the reference extracts the project
ships in ontology/reference/*.tsv (copied from ../shared/reference by
`make ontology`; a test fails when the copy is stale), so they run in any
clone.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

import mbc_graph
from mbc_graph.namespaces import MBC, OBOINOWL
from mbc_graph.validate import XREF_PREFIXES

pytestmark = pytest.mark.once  # independent of the store under test: run in the first pass only

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "ontology" / "reference"  # the copy the project ships (make ontology)
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason=f"the reference data ({REFERENCE}) is missing: run `make ontology`")

MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(mbc_graph.bundled_ontology(), format="turtle")


@pytest.fixture(scope="module")
def reference() -> dict[str, dict]:
    rows = {}
    for path in sorted(REFERENCE.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                assert row["id"] not in rows, f"{row['id']} is in two reference files"
                rows[row["id"]] = row | {"file": path.name}
    assert rows, f"no rows in {REFERENCE}/*.tsv"
    return rows


def to_curie(iri: URIRef) -> str:
    for prefix, base in XREF_PREFIXES.items():
        if str(iri).startswith(base):
            return f"{prefix}:{str(iri)[len(base):]}"
    raise AssertionError(f"{iri} is not an IRI of a known source")


def mappings(g: Graph):
    """(class, predicate, target IRI) for every SKOS mapping of an mbc class."""
    for predicate in MATCHES:
        for cls, target in g.subject_objects(predicate):
            if str(cls).startswith(str(MBC)):
                yield cls, predicate, target


def xref_labels(g: Graph) -> dict[tuple, list[str]]:
    labels = defaultdict(list)
    for axiom in g.subjects(RDF.type, OWL.Axiom):
        for label in g.objects(axiom, MBC.xrefLabel):
            key = (g.value(axiom, OWL.annotatedSource), g.value(axiom, OWL.annotatedProperty),
                   g.value(axiom, OWL.annotatedTarget))
            labels[key].append(str(label))
    return labels


# -- cross-references against the reference data ----------------------------------------
@needs_reference
def test_there_are_mappings_to_check(onto):
    assert len(list(mappings(onto))) > 50


@needs_reference
def test_every_mapping_target_is_in_the_reference(onto, reference):
    missing = [f"{cls} {p} {to_curie(t)}" for cls, p, t in mappings(onto) if to_curie(t) not in reference]
    assert not missing, "mappings to terms that are not in ../shared/reference:\n" + "\n".join(missing)


@needs_reference
def test_every_dbxref_is_in_the_reference(onto, reference):
    missing = [f"{cls} {x}" for cls, x in onto.subject_objects(OBOINOWL.hasDbXref) if str(x) not in reference]
    assert not missing, "hasDbXref CURIEs that are not in ../shared/reference:\n" + "\n".join(missing)


@needs_reference
def test_every_mapping_carries_the_reference_label(onto, reference):
    labels = xref_labels(onto)
    wrong = []
    for cls, predicate, target in mappings(onto):
        row = reference.get(to_curie(target))
        given = labels.get((cls, predicate, target), [])
        if row is None:
            continue  # reported by test_every_mapping_target_is_in_the_reference
        if given != [row["label"]]:
            wrong.append(f"{cls} {to_curie(target)}: xrefLabel {given} != {row['label']!r} ({row['file']})")
    assert not wrong, "\n".join(wrong)


@needs_reference
def test_exact_match_only_where_the_reference_row_is_exact(onto, reference):
    wrong = [f"{cls} exactMatch {to_curie(t)}: the row ({reference[to_curie(t)]['file']}) says "
             f"{reference[to_curie(t)]['match']!r}"
             for cls, p, t in mappings(onto)
             if p == SKOS.exactMatch and to_curie(t) in reference and reference[to_curie(t)]["match"] != "exact"]
    assert not wrong, "\n".join(wrong)


def test_dbxrefs_and_mappings_agree(onto):
    """Each hasDbXref CURIE has a SKOS mapping to the same term, and the other way round."""
    skos = {(cls, to_curie(t)) for cls, _, t in mappings(onto)}
    db = {(cls, str(x)) for cls, x in onto.subject_objects(OBOINOWL.hasDbXref)}
    assert skos == db, f"only SKOS: {sorted(skos - db)}; only hasDbXref: {sorted(db - skos)}"


def test_a_class_maps_a_term_with_one_predicate(onto):
    seen = defaultdict(set)
    for cls, predicate, target in mappings(onto):
        seen[(cls, target)].add(predicate)
    assert not {k: v for k, v in seen.items() if len(v) > 1}


def test_build_and_validator_turn_curies_into_the_same_iris(monkeypatch):
    pytest.importorskip("yaml", reason="tools/build_ontology.py needs PyYAML (the dev extra)")
    spec = importlib.util.spec_from_file_location("build_ontology", ROOT / "tools" / "build_ontology.py")
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_ontology", build)  # dataclasses look their module up
    spec.loader.exec_module(build)
    assert build.XREF_IRI == XREF_PREFIXES


# -- header, relations, categories ------------------------------------------------------------
def test_header_is_complete(onto):
    (ontology,) = onto.subjects(RDF.type, OWL.Ontology)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, OWL.versionIRI,
                 OWL.versionInfo):
        assert len(list(onto.objects(ontology, prop))) == 1, prop
    assert isinstance(onto.value(ontology, DCTERMS.license), URIRef)
    assert isinstance(onto.value(ontology, OWL.versionIRI), URIRef)
    assert str(onto.value(ontology, OWL.versionInfo)) in str(onto.value(ontology, OWL.versionIRI))


def test_every_object_property_has_domain_and_range(onto):
    properties = [p for p in onto.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(MBC))]
    assert len(properties) >= 30
    missing = [f"{p}: {axis}" for p in properties for axis in (RDFS.domain, RDFS.range) if onto.value(p, axis) is None]
    assert not missing, "\n".join(missing)


def test_every_object_property_has_an_inverse(onto):
    properties = {p for p in onto.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(MBC))}
    paired = {p for pair in onto.subject_objects(OWL.inverseOf) for p in pair}
    assert properties <= paired, sorted(properties - paired)


def _categories(onto: Graph) -> set:
    return set(onto.subjects(MBC.categoryKey, None))


def _roots(onto: Graph) -> set:
    """Category classes with no category above them."""
    cats = _categories(onto)
    return {c for c in cats if not (set(onto.transitive_objects(c, RDFS.subClassOf)) - {c}) & cats}


def test_category_roots_are_pairwise_disjoint(onto):
    roots = _roots(onto)
    assert len(roots) >= 10
    disjoint = set()
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(onto, onto.value(node, OWL.members)))
        disjoint |= {frozenset(pair) for pair in itertools.combinations(members, 2)}
    for a, b in onto.subject_objects(OWL.disjointWith):
        disjoint.add(frozenset((a, b)))
    missing = [f"{a} / {b}" for a, b in itertools.combinations(sorted(roots), 2) if frozenset((a, b)) not in disjoint]
    assert not missing, "category roots not declared disjoint:\n" + "\n".join(missing)


def test_every_domain_class_is_below_exactly_one_category_root(onto):
    roots = _roots(onto)
    from mbc_graph.validate import INFRASTRUCTURE as infrastructure
    wrong = []
    for cls in onto.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(MBC)) or cls in infrastructure:
            continue
        if (cls, OWL.deprecated, Literal(True)) in onto:  # an obsolete name has no parents, by design
            continue
        found = set(onto.transitive_objects(cls, RDFS.subClassOf)) & roots
        if len(found) != 1:
            wrong.append(f"{cls}: below {sorted(found) or 'no category'}")
    assert not wrong, "\n".join(wrong)


def test_labels_are_english_literals(onto):
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(str(MBC)):
            for label in onto.objects(cls, RDFS.label):
                assert isinstance(label, Literal) and label.language == "en", cls
