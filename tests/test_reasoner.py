"""HermiT (through owlready2) finds the ontology consistent, with no
unsatisfiable class; and the same set-up does catch planted mistakes, so a
pass means something.

Needs Java: CI (.ci/run) installs a JRE when `java` is missing. The tests
skip, saying why, only when no Java runtime exists at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import mbc_graph
from mbc_graph.namespaces import MBC
from mbc_graph.validate import reason

pytestmark = pytest.mark.reasoner

JAVA = shutil.which("java") or ("/usr/bin/java" if Path("/usr/bin/java").exists() else None)
needs_java = pytest.mark.skipif(JAVA is None, reason="no Java runtime (java not on PATH, no /usr/bin/java): "
                                                     "HermiT needs one; .ci/run installs default-jre-headless")


def run_hermit(graph: Graph) -> dict:
    """Classify ``graph`` with HermiT through the validator's own reasoner step."""
    result = reason(graph, java=JAVA)
    return {"consistent": result.consistent, "unsatisfiable": list(result.unsatisfiable)}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(mbc_graph.bundled_ontology(), format="turtle")


@pytest.fixture(scope="module")
def classified(ontology):
    return run_hermit(ontology)


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_ontology_is_consistent(classified):
    assert classified["consistent"], "HermiT finds ontology/mbc.ttl inconsistent"


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_no_class_is_unsatisfiable(classified):
    assert classified["unsatisfiable"] == [], "unsatisfiable classes:\n" + "\n".join(classified["unsatisfiable"])


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_a_class_below_two_disjoint_categories_is_found(ontology):
    """The category roots are disjoint, and HermiT reads that: a class that is
    both a symptom and a therapy, or a symptom treated by a liver, is unsatisfiable."""
    planted = _copy(ontology)
    planted.add((MBC.PlantedChimera, RDF.type, OWL.Class))
    planted.add((MBC.PlantedChimera, RDFS.subClassOf, MBC.Symptom))
    planted.add((MBC.PlantedChimera, RDFS.subClassOf, MBC.Therapy))
    restriction = BNode()
    planted.add((MBC.PlantedWrongRange, RDF.type, OWL.Class))
    planted.add((MBC.PlantedWrongRange, RDFS.subClassOf, MBC.Symptom))
    planted.add((MBC.PlantedWrongRange, RDFS.subClassOf, restriction))
    planted.add((restriction, RDF.type, OWL.Restriction))
    planted.add((restriction, OWL.onProperty, MBC.treatedBy))
    planted.add((restriction, OWL.someValuesFrom, MBC.Liver))
    result = run_hermit(planted)
    assert result["consistent"]
    assert str(MBC.PlantedChimera) in result["unsatisfiable"]
    assert str(MBC.PlantedWrongRange) in result["unsatisfiable"]


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_an_individual_of_two_disjoint_categories_makes_it_inconsistent(ontology):
    planted = _copy(ontology)
    planted.add((MBC.plantedThing, RDF.type, OWL.NamedIndividual))
    planted.add((MBC.plantedThing, RDF.type, MBC.Symptom))
    planted.add((MBC.plantedThing, RDF.type, MBC.Drug))
    planted.add((MBC.plantedThing, SKOS.definition, Literal("planted")))
    assert not run_hermit(planted)["consistent"]


@needs_java
def test_validate_with_the_reasoner(kg):
    """kg.validate's optional reasoner step agrees."""
    from mbc_graph.validate import validate

    report = validate(kg, shacl=False, reasoner=True)
    assert {"inconsistent_ontology", "unsatisfiable_class"} <= set(report.checks)
    assert not report.filter("unsatisfiable_class") and not report.filter("inconsistent_ontology")


# -- probes: the logic states only what is always true ------------------------------------------
def _subclasses(graph: Graph, root) -> list:
    return sorted(c for c in graph.transitive_subjects(RDFS.subClassOf, root)
                  if c != root and str(c).startswith(str(MBC)) and (c, OWL.deprecated, Literal(True)) not in graph)


def _probe_graph(ontology: Graph) -> tuple[Graph, dict]:
    """The ontology plus one probe class ``P ≡ p some X`` per relation and filler of interest."""
    probed = _copy(ontology)
    probes = {}
    fillers = {MBC.hasMetastasis: _subclasses(ontology, MBC.Metastasis),
               MBC.hasSymptom: _subclasses(ontology, MBC.Symptom),
               MBC.treatedBy: _subclasses(ontology, MBC.Therapy),
               MBC.hasSubtype: _subclasses(ontology, MBC.BreastCancerSubtype),
               MBC.hasStage: [MBC.Stage4], MBC.locatedIn: [MBC.Bone]}
    for prop, classes in fillers.items():
        for filler in classes:
            probe = MBC[f"Probe_{prop.split('/')[-1]}_{filler.split('/')[-1]}"]
            restriction = BNode()
            probed.add((probe, RDF.type, OWL.Class))
            probed.add((probe, OWL.equivalentClass, restriction))
            probed.add((restriction, RDF.type, OWL.Restriction))
            probed.add((restriction, OWL.onProperty, prop))
            probed.add((restriction, OWL.someValuesFrom, filler))
            probes[(prop, filler)] = probe
    return probed, probes


@pytest.fixture(scope="module")
def probed(ontology, tmp_path_factory):
    """One HermiT run over the ontology and every probe: the probes subsuming each class we ask about."""
    import owlready2

    owlready2.JAVA_EXE = JAVA
    graph, probes = _probe_graph(ontology)
    path = tmp_path_factory.mktemp("probes") / "probed.nt"
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    world = owlready2.World()
    try:
        world.get_ontology(path.as_uri()).load(format="ntriples")
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        unsatisfiable = [c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing]
        asked = (MBC.MetastaticBreastCancer, MBC.BoneMetastasis, MBC.TripleNegativeBreastCancer)
        subsumers = {cls: {str(a.iri) for a in world[str(cls)].ancestors()} for cls in asked}
    finally:
        world.close()
    found = {cls: {key for key, probe in probes.items() if str(probe) in names} for cls, names in subsumers.items()}
    return {"probes": probes, "found": found, "unsatisfiable": unsatisfiable}


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_probes_catch_what_always_holds(probed):
    """The controls: the probe method finds real axioms, so its silence below means something."""
    assert (MBC.hasStage, MBC.Stage4) in probed["found"][MBC.MetastaticBreastCancer]
    assert (MBC.locatedIn, MBC.Bone) in probed["found"][MBC.BoneMetastasis]
    assert len(probed["probes"]) > 60 and probed["unsatisfiable"] == []


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_metastatic_breast_cancer_is_not_said_to_have_every_metastasis_symptom_or_therapy(probed):
    """Issue 11: 'can spread to', 'can cause', 'is treated by' are not 'every X has'."""
    wrong = sorted(f"{p.split('/')[-1]} some {o.split('/')[-1]}" for p, o in probed["found"][MBC.MetastaticBreastCancer]
                   if p in (MBC.hasMetastasis, MBC.hasSymptom, MBC.treatedBy, MBC.hasSubtype))
    assert not wrong, "HermiT concludes every metastatic breast cancer has: " + ", ".join(wrong)


@pytest.mark.once  # reads the ontology file, not the store under test
@needs_java
def test_bone_metastasis_and_tnbc_are_not_over_stated(probed):
    assert (MBC.hasSymptom, MBC.PathologicFracture) not in probed["found"][MBC.BoneMetastasis]
    assert not {o for p, o in probed["found"][MBC.BoneMetastasis] if p == MBC.hasSymptom}
    assert (MBC.treatedBy, MBC.Immunotherapy) not in probed["found"][MBC.TripleNegativeBreastCancer]
