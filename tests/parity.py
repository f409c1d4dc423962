"""The store parity suite, shared by every test that compares a store with the in-process ones.

Each case takes a loaded graph (with the synthetic cohort of :func:`write_parity_cohort`)
and the values to bind, and returns its answers as comparable sets: every
shipped named query, unbound and with values bound (found at run time from
the category roots, so new content is covered), every competency question,
and the cohort queries. Two stores agree when every case gives the same
answers on both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import rdflib
import yaml

from mbc_graph import synth
from mbc_graph.namespaces import MBC, RELATION_GRAPH
from mbc_graph.queries import named_queries, named_query

COMPETENCY = Path(__file__).parent / "competency"
QUESTIONS = [q | {"file": f.name} for f in sorted(COMPETENCY.glob("*.yaml"))
             for q in yaml.safe_load(f.read_text(encoding="utf-8")) or []]


def answers(result) -> set:
    """A result as a set of comparable rows (blank nodes all alike: their ids are store-local)."""
    if result.type == "ASK":
        return {bool(result)}
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rows = result.graph
    else:
        rows = result.rows
    return {tuple("_:" if isinstance(v, rdflib.BNode) else v for v in row) for row in rows}


def sample_values(kg) -> dict[str, list]:
    """Values to bind, by variable name, discovered from the category roots."""

    def first(sparql, n=2, **bindings):
        return sorted({v for v in kg.query(sparql, bindings).values() if v is not None})[:n]

    below = "SELECT DISTINCT ?c WHERE { ?c rdfs:subClassOf+ ?root FILTER(isIRI(?c)) }"
    edge = kg.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 1", {"g": RELATION_GRAPH}).rows[0]
    subclass = kg.query("SELECT ?s ?o WHERE { ?a owl:annotatedSource ?s ; owl:annotatedProperty rdfs:subClassOf ; "
                        "owl:annotatedTarget ?o FILTER(isIRI(?o)) } ORDER BY ?s ?o LIMIT 1").rows[0]
    return {
        "x": first(below, root=MBC.BreastCancerSubtype, n=1) + first(below, root=MBC.Metastasis, n=1)
        + first("SELECT DISTINCT ?site WHERE { ?m mbc:locatedIn ?site }", n=1),
        "symptom": first("SELECT DISTINCT ?s WHERE { ?s mbc:suggests ?m }"),
        "therapy": first("SELECT DISTINCT ?t WHERE { ?s rdfs:subClassOf ?t ; mbc:targets ?b FILTER(isIRI(?t)) }")
        + first("SELECT DISTINCT ?t WHERE { ?d mbc:usedIn ?t }", n=1),
        "root": [MBC.Disease, MBC.Therapy],
        "disease": first(below, root=MBC.Disease),
        "claim": first("SELECT ?c WHERE { ?c a mbc:Claim }"),
        "status": [MBC.Conflicting],
        "about": first(below, root=MBC.Metastasis, n=1),
        "s": [edge.s, subclass.s],
        "p": [edge.p],
        "o": [edge.o, subclass.o],
    }


def bindable(name: str, samples: dict) -> list[tuple[str, object]]:
    """The (variable, value) pairs to try on a named query: its free variables with samples."""
    text = named_query(name)
    mentioned = set(re.findall(r"[?$]([A-Za-z_]\w*)", text))
    assigned = set(re.findall(r"\bAS\s+[?$](\w+)", text, flags=re.IGNORECASE))
    return [(variable, value) for variable in sorted((mentioned - assigned) & samples.keys())
            for value in samples[variable]]


COHORT_QUERIES = {
    "patients per metastatic site": (
        """SELECT ?site (COUNT(DISTINCT ?p) AS ?patients) WHERE {
             ?p mbc:patientMetastasis ?m . ?m mbc:locatedIn ?site }
           GROUP BY ?site ORDER BY DESC(?patients) ?site""", {}),
    "a bound aggregate": (  # bound values must restrict the pattern, not join after grouping
        """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
             ?p mbc:patientSubtype ?subtype ; mbc:patientMetastasis ?m . ?m rdfs:subClassOf* ?site }""",
        {"subtype": MBC.HormoneReceptorPositiveBreastCancer, "site": MBC.BoneMetastasis}),
    "therapy of a class, by class or by drug": (
        """SELECT DISTINCT ?p WHERE {
             ?p mbc:patientTherapy ?t .
             { ?t rdfs:subClassOf* ?class } UNION { ?t mbc:usedIn ?c . ?c rdfs:subClassOf* ?class } }""",
        {"class": MBC.HormoneTherapy}),
    "an optional bound inside": (
        """SELECT ?p ?symptom WHERE {
             ?p mbc:patientSubtype ?subtype .
             OPTIONAL { ?p mbc:patientSymptom ?symptom . ?symptom mbc:suggests ?m } }""",
        {"m": MBC.BoneMetastasis}),
    "dates": (
        """SELECT ?p ?start WHERE {
             ?p mbc:diagnosisDate ?d ; mbc:therapyCourse ?c . ?c mbc:startDate ?start
             FILTER(?start >= "2024-01-01"^^xsd:date && YEAR(?d) < 2024) }""", {}),
    "ask": ("ASK { ?p mbc:patientSymptom ?s }", {"s": MBC.BonePain}),
    "construct": (
        "CONSTRUCT { ?p mbc:patientMetastasis ?m } WHERE { ?p mbc:patientMetastasis ?m ; mbc:patientSubtype ?st }",
        {"st": MBC.TripleNegativeBreastCancer}),
}


def write_parity_cohort(path: Path, kg) -> Path:
    """The small cohort the cohort queries run on."""
    return synth.write_cohort(path, 200, seed=21, kg=kg)


Case = Callable[[object, dict], list]


def _named(name: str) -> Case:
    return lambda kg, samples: [answers(kg.named(name))]


def _named_bound(name: str) -> Case:
    return lambda kg, samples: [answers(kg.named(name, {v: value})) for v, value in bindable(name, samples)]


def _question(question: dict) -> Case:
    return lambda kg, samples: [answers(kg.query(question["sparql"]))]


def _cohort(name: str) -> Case:
    sparql, bindings = COHORT_QUERIES[name]
    return lambda kg, samples: [answers(kg.query(sparql, bindings))]


#: Every case of the parity suite, by test id.
CASES: dict[str, Case] = {
    **{f"named:{name}": _named(name) for name in named_queries()},
    **{f"named-bound:{name}": _named_bound(name) for name in named_queries()},
    **{f"competency:{q['id']}": _question(q) for q in QUESTIONS},
    **{f"cohort:{name}": _cohort(name) for name in COHORT_QUERIES},
    "relation graph": lambda kg, samples: [answers(kg.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                            g=RELATION_GRAPH))],
    "concepts": lambda kg, samples: [{(str(c.iri), c.label, c.category) for c in kg.concepts}],
    "helpers": lambda kg, samples: [[c.label for c in kg.therapies_for(x)] for x in samples["x"]]
    + [[c.label for c in kg.symptoms_of(x)] for x in samples["x"]],
    "evidence": lambda kg, samples: [sorted((e.source, e.quote) for e in kg.evidence(
        "brain metastasis", "has symptom", "seizure"))],
    "path": lambda kg, samples: [str(kg.path("triple-negative", "PD-L1"))],
}


def reference_answers(kg, samples) -> dict[str, list]:
    """Every case's answers on ``kg``, the in-process store the others are compared with."""
    return {name: case(kg, samples) for name, case in CASES.items()}


def assert_same_answers(kg, parity_reference, case: str) -> None:
    """``kg`` (loaded with the parity cohort) answers ``case`` as the reference store does."""
    _, samples, expected = parity_reference
    assert CASES[case](kg, samples) == expected[case]
