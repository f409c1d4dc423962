"""Synthetic cohorts: reproducible, consistent with the relation graph, loadable, streamed."""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest
import rdflib

import mbc_graph
from mbc_graph import synth
from mbc_graph.namespaces import MBC

N = 300  # small cohorts keep the suite fast; the generator is the same at any size


@pytest.fixture(scope="module")
def cohort_file(kg, tmp_path_factory):
    return synth.write_cohort(tmp_path_factory.mktemp("cohort") / "cohort.ttl", N, seed=11, kg=kg)


@pytest.fixture(scope="module")
def cohort_kg(cohort_file):
    return mbc_graph.load(extra=[cohort_file])


def test_same_seed_gives_the_same_bytes(kg, tmp_path):
    first = synth.write_cohort(tmp_path / "a.ttl", 50, seed=5, kg=kg)
    second = synth.write_cohort(tmp_path / "b.ttl", 50, seed=5, kg=kg)
    assert first.read_bytes() == second.read_bytes()


def test_another_seed_gives_other_patients(kg, tmp_path):
    first = synth.write_cohort(tmp_path / "a.ttl", 50, seed=5, kg=kg)
    other = synth.write_cohort(tmp_path / "b.ttl", 50, seed=6, kg=kg)
    assert first.read_bytes() != other.read_bytes()
    assert "@prefix patient: <https://w3id.org/mbc-graph/cohort/6/patient/> ." in other.read_text()


def test_a_small_cohort_is_the_start_of_a_larger_one(kg):
    assert list(synth.cohort(5, seed=2, kg=kg)) == list(synth.cohort(40, seed=2, kg=kg))[:5]


def test_the_file_holds_what_the_stream_yields(kg, tmp_path):
    path = synth.write_cohort(tmp_path / "c.ttl", 20, seed=3, kg=kg)
    from_file = rdflib.Graph().parse(path, format="turtle")
    from_stream = {t for patient in synth.cohort(20, seed=3, kg=kg) for t in patient.triples()}
    assert set(from_file) == from_stream


def test_codes_come_from_the_right_categories(kg):
    for patient in synth.cohort(100, seed=4, kg=kg):
        assert kg.concept(patient.subtype).category == "subtype"
        assert {kg.concept(m).category for m in patient.metastases} == {"metastasis"}
        assert 1 <= len(patient.metastases) <= 3 and 1 <= len(patient.courses) <= 3
        assert all(course.start >= patient.diagnosis_date for course in patient.courses)
        assert date(2015, 1, 1) <= patient.diagnosis_date <= date(2024, 12, 31)


def test_symptoms_and_tests_belong_to_the_patients_metastases(cohort_kg):
    # Checked against the loaded relation graph, not against the generator.
    for relation, prop in (("hasSymptom", "patientSymptom"), ("detectedBy", "patientDiagnostic")):
        stray = cohort_kg.query(f"""
            SELECT ?p ?x WHERE {{
              ?p mbc:{prop} ?x .
              FILTER NOT EXISTS {{ ?p mbc:patientMetastasis ?m . ?m mbc:{relation} ?x }}
            }}""")
        assert len(stray) == 0, stray.rows[:3]
    assert len(cohort_kg.query("SELECT DISTINCT ?p WHERE { ?p mbc:patientSymptom ?s }")) > N / 2


def test_therapies_are_those_given_for_the_patients_subtype(kg, cohort_kg):
    allowed = {str(s.iri): {str(t.iri) for t in kg.therapies_for(s)} for s in kg.subtypes()}
    rows = cohort_kg.query("SELECT ?subtype ?therapy WHERE { ?p mbc:patientSubtype ?subtype ; mbc:patientTherapy ?therapy }")
    assert len(rows) >= N
    for row in rows:
        assert str(row.therapy) in allowed[str(row.subtype)]


def test_courses_give_a_start_date_for_each_therapy(cohort_kg):
    late = cohort_kg.query("""
        SELECT ?p WHERE {
          ?p mbc:diagnosisDate ?diagnosed ; mbc:therapyCourse ?course .
          ?course mbc:startDate ?start ; mbc:courseTherapy ?therapy .
          FILTER(?start < ?diagnosed || NOT EXISTS { ?p mbc:patientTherapy ?therapy })
        }""")
    assert len(late) == 0


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_cohort_loads_and_answers_cohort_queries(kg, cohort_file, store):
    loaded = mbc_graph.load(store=store, extra=[cohort_file])
    expected = sum(MBC.BoneMetastasis in map(rdflib.URIRef, p.metastases) for p in synth.cohort(N, seed=11, kg=kg))
    assert len(loaded.query("SELECT ?p WHERE { ?p a mbc:Patient }")) == N
    counted = loaded.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p mbc:patientMetastasis ?m . "
                           "?m rdfs:subClassOf* ?site }", {"site": MBC.BoneMetastasis})
    assert counted.rows[0][0].toPython() == expected > 0


def test_writing_streams_in_constant_memory(kg, tmp_path):
    def peak(n):
        tracemalloc.start()
        try:
            synth.write_cohort(tmp_path / f"{n}.ttl", n, seed=1, kg=kg)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(100)  # warm the query caches
    small, large = peak(2_000), peak(20_000)
    assert large < 2 * small + 1_000_000, (small, large)
    assert large < 8_000_000


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(kg, tmp_path, monkeypatch):
    path = tmp_path / "cohort.ttl"
    path.write_text("# the previous cohort\n")

    def broken(patient):
        raise OSError("disk full")

    monkeypatch.setattr(synth, "_turtle", broken)
    with pytest.raises(OSError, match="disk full"):
        synth.write_cohort(path, 10, seed=1, kg=kg)
    assert path.read_text() == "# the previous cohort\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.ttl"]


@pytest.mark.parametrize("n, seed, error", [(-1, 0, ValueError), (1.5, 0, TypeError), (3, "7", TypeError)])
def test_bad_arguments_are_refused_before_writing(kg, tmp_path, n, seed, error):
    with pytest.raises(error):
        synth.write_cohort(tmp_path / "x.ttl", n, seed=seed, kg=kg)
    assert not (tmp_path / "x.ttl").exists()
