"""Synthetic patient cohorts coded with the ontology's own concepts.

A cohort is a stream of made-up patients whose every code is a class of the
loaded ontology, chosen so that the record is consistent with the relation
graph: symptoms and tests come from the patient's metastases, therapies from
the patient's subtype. It is for demos, tests and benchmarks, never for
clinical use.

Nothing here lists concepts by name: the candidates are found at run time
with SPARQL, from the category roots and relations of the metagraph, so new
classes added to the ontology show up in new cohorts.

Patient vocabulary
------------------
Patient records are instance data. They use their own properties, whose
values are the IRIs of ontology classes (no individual is made per
condition, and the class-level relations such as ``mbc:hasMetastasis`` are
not reused for patients). The ontology declares them as annotation
properties, so a class IRI as value is plain OWL 2 DL, and ``mbc:Patient``
and ``mbc:TherapyCourse`` as classes:

==========================  ============================================================
``rdf:type mbc:Patient``    a synthetic patient, ``.../cohort/<seed>/patient/000001``
``mbc:patientSubtype``      the subtype: a subclass of ``mbc:BreastCancerSubtype``
``mbc:diagnosisDate``       the date of diagnosis (``xsd:date``)
``mbc:patientMetastasis``   a metastasis: a subclass of ``mbc:Metastasis`` that is
                            ``mbc:locatedIn`` a site
``mbc:patientSymptom``      a symptom that one of the patient's metastases
                            ``mbc:hasSymptom`` in the relation graph
``mbc:patientDiagnostic``   a test that one of the patient's metastases is
                            ``mbc:detectedBy``
``mbc:patientTherapy``      a therapy class or named drug for the subtype: a class it
                            is ``mbc:treatedBy``, a subclass of one, or a drug
                            ``mbc:usedIn`` one (the ``therapies_for`` named query)
``mbc:therapyCourse``       a course of that therapy, ``.../cohort/<seed>/course/000001-1``,
                            typed ``mbc:TherapyCourse``
``mbc:courseTherapy``       (on a course) the therapy given, one of the patient's therapies
``mbc:startDate``           (on a course) when it started (``xsd:date``), on or after
                            the diagnosis date
==========================  ============================================================

Every patient has one subtype, a diagnosis date in 2015-2024, one to three
metastases (one for half of the patients, two for a third), and one to
three therapies, each with one course starting within two years of the
diagnosis; symptoms (up to three) and tests (up to two) are drawn from what
the metastases allow. Each code is drawn uniformly from its candidates.
The ``therapies`` of a patient are a subset of ``kg.therapies_for(subtype)``.

Determinism
-----------
``random.Random(seed)`` drives every choice and candidates are sorted by
IRI, so for one ontology the same seed gives the same patients and
:func:`write_cohort` the same bytes. Patient *i* does not depend on the
cohort size: ``cohort(10, seed=1)`` is the first ten of ``cohort(1000, seed=1)``.
A different ontology (new classes) gives a different cohort.

Examples
--------
>>> from mbc_graph import synth
>>> first = next(synth.cohort(1, seed=7, kg=kg))
>>> first.iri
'https://w3id.org/mbc-graph/cohort/7/patient/000001'
>>> kg.concept(first.subtype).category
'subtype'
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import MBCGraphError
from .files import write_atomically
from .cohort_turtle import header as _header
from .cohort_turtle import patient_turtle as _turtle
from .loading import load
from .namespaces import MBC

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore

__all__ = ["Patient", "TherapyCourse", "Vocabulary", "cohort", "cohort_base", "vocabulary", "write_cohort"]

_MBC = str(MBC)
_FIRST_DIAGNOSIS = date(2015, 1, 1).toordinal()
_DIAGNOSIS_DAYS = date(2024, 12, 31).toordinal() - _FIRST_DIAGNOSIS + 1
_MAX_THERAPY_DELAY_DAYS = 730


def cohort_base(seed: int) -> str:
    """The IRI every patient and course of the cohort ``seed`` starts with.

    >>> cohort_base(42)
    'https://w3id.org/mbc-graph/cohort/42/'
    """
    return f"{_MBC}cohort/{seed}/"


@dataclass(frozen=True)
class TherapyCourse:
    """One course of a therapy: the class or drug IRI and its start date."""

    iri: str
    therapy: str
    start: date


@dataclass(frozen=True)
class Patient:
    """One synthetic patient. Codes are ontology class IRIs (strings).

    Use :meth:`triples` for rdflib triples in the patient vocabulary above.
    """

    iri: str
    subtype: str
    diagnosis_date: date
    metastases: tuple[str, ...]
    symptoms: tuple[str, ...]
    diagnostics: tuple[str, ...]
    courses: tuple[TherapyCourse, ...]

    @property
    def therapies(self) -> tuple[str, ...]:
        """The therapies given, in the order of their courses."""
        return tuple(course.therapy for course in self.courses)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The patient as rdflib triples (the same as :func:`write_cohort` writes).

        >>> patient = next(cohort(1, seed=7, kg=kg))
        >>> next(patient.triples())[1]
        rdflib.term.URIRef('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')
        """
        me = URIRef(self.iri)
        yield me, RDF.type, MBC.Patient
        yield me, MBC.patientSubtype, URIRef(self.subtype)
        yield me, MBC.diagnosisDate, Literal(self.diagnosis_date.isoformat(), datatype=XSD.date)
        for prop, values in ((MBC.patientMetastasis, self.metastases), (MBC.patientSymptom, self.symptoms),
                             (MBC.patientDiagnostic, self.diagnostics), (MBC.patientTherapy, self.therapies)):
            for value in values:
                yield me, prop, URIRef(value)
        for course in self.courses:
            yield me, MBC.therapyCourse, URIRef(course.iri)
        for course in self.courses:
            yield URIRef(course.iri), RDF.type, MBC.TherapyCourse
            yield URIRef(course.iri), MBC.courseTherapy, URIRef(course.therapy)
            yield URIRef(course.iri), MBC.startDate, Literal(course.start.isoformat(), datatype=XSD.date)


@dataclass(frozen=True)
class Vocabulary:
    """The candidate codes, read once from a loaded graph, sorted by IRI."""

    subtypes: tuple[str, ...]
    metastases: tuple[str, ...]
    symptoms: dict[str, tuple[str, ...]]
    diagnostics: dict[str, tuple[str, ...]]
    therapies: dict[str, tuple[str, ...]]
    version: str


def vocabulary(kg: GraphCore | None = None) -> Vocabulary:
    """Discover the codes a cohort can use, by SPARQL on ``kg`` (default: the bundled ontology).

    Raises :class:`~mbc_graph.errors.MBCGraphError` when the ontology has no
    subtype, no located metastasis, or a subtype without any therapy.

    >>> voc = vocabulary(kg)
    >>> "https://w3id.org/mbc-graph/BoneMetastasis" in voc.metastases
    True
    """
    if kg is None:
        kg = load()

    def column(sparql: str, **bindings) -> tuple[str, ...]:
        return tuple(sorted({str(v) for v in kg.query(sparql, bindings).values()}))

    def table(sparql: str) -> dict[str, tuple[str, ...]]:
        grouped: dict[str, set[str]] = {}
        for row in kg.query(sparql).rows:
            grouped.setdefault(str(row[0]), set()).add(str(row[1]))
        return {key: tuple(sorted(values)) for key, values in grouped.items()}

    subtypes = column("SELECT DISTINCT ?c WHERE { ?c rdfs:subClassOf+ mbc:BreastCancerSubtype FILTER(isIRI(?c)) }")
    metastases = column("SELECT DISTINCT ?m WHERE { ?m rdfs:subClassOf+ mbc:Metastasis ; mbc:locatedIn ?site "
                        "FILTER(isIRI(?m) && isIRI(?site)) }")
    symptoms = table("SELECT DISTINCT ?m ?s WHERE { ?m rdfs:subClassOf+ mbc:Metastasis ; mbc:hasSymptom ?s "
                     "FILTER(isIRI(?m) && isIRI(?s)) }")
    diagnostics = table("SELECT DISTINCT ?m ?d WHERE { ?m rdfs:subClassOf+ mbc:Metastasis ; mbc:detectedBy ?d "
                        "FILTER(isIRI(?m) && isIRI(?d)) }")
    # What kg.therapies_for(subtype) means: the classes the subtype is treated
    # by, their subclasses, and the drugs used in any of them.
    therapies = table("SELECT DISTINCT ?s ?t WHERE { ?s rdfs:subClassOf+ mbc:BreastCancerSubtype ; "
                      "mbc:treatedBy ?class . ?sub rdfs:subClassOf* ?class . ?sub (^mbc:usedIn)? ?t "
                      "FILTER(isIRI(?s) && isIRI(?t)) }")
    version = kg.query("SELECT ?v WHERE { ?o a owl:Ontology ; owl:versionInfo ?v }").values()
    if not subtypes:
        raise MBCGraphError("Cannot make a cohort: the ontology has no subclass of mbc:BreastCancerSubtype.")
    if not metastases:
        raise MBCGraphError("Cannot make a cohort: no subclass of mbc:Metastasis is mbc:locatedIn a site.")
    # A subtype the sources give no therapy for (HER2-low) cannot be a
    # patient's code: each patient receives a therapy for their subtype.
    treated = tuple(s for s in subtypes if s in therapies)
    if not treated:
        raise MBCGraphError("Cannot make a cohort: no subtype has a therapy (mbc:treatedBy).")
    return Vocabulary(treated, metastases, symptoms, diagnostics, therapies,
                      str(version[0]) if version else "unknown")


def cohort(n_patients: int, seed: int = 0, *, kg: GraphCore | None = None,
           vocab: Vocabulary | None = None) -> Iterator[Patient]:
    """Yield ``n_patients`` synthetic patients, one at a time (constant memory).

    Parameters
    ----------
    n_patients : int
        How many patients (0 or more).
    seed : int
        The random seed; the same seed gives the same patients.
    kg : KnowledgeGraph, optional
        The graph whose concepts code the patients; default the bundled
        ontology (loaded once per call).
    vocab : Vocabulary, optional
        Codes already read with :func:`vocabulary` (then ``kg`` is unused).

    Returns
    -------
    iterator of Patient

    Raises
    ------
    TypeError
        If ``n_patients`` or ``seed`` is not an integer.
    ValueError
        If ``n_patients`` is negative.

    Examples
    --------
    >>> patients = list(cohort(3, seed=1, kg=kg))
    >>> [p.iri.rsplit("/", 1)[-1] for p in patients]
    ['000001', '000002', '000003']
    >>> patients == list(cohort(3, seed=1, kg=kg))
    True
    """
    _check(n_patients, seed)
    return _generate(n_patients, seed, vocab if vocab is not None else vocabulary(kg))


def _generate(n_patients: int, seed: int, vocab: Vocabulary) -> Iterator[Patient]:
    rng = random.Random(seed)
    width = max(6, len(str(n_patients)))
    patients = cohort_base(seed) + "patient/"
    courses = cohort_base(seed) + "course/"
    symptoms_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    diagnostics_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    for i in range(1, n_patients + 1):
        number = str(i).zfill(width)
        subtype = rng.choice(vocab.subtypes)
        diagnosed = _FIRST_DIAGNOSIS + rng.randrange(_DIAGNOSIS_DAYS)
        metastases = _pick(rng, vocab.metastases, rng.choice((1, 1, 1, 2, 2, 3)))
        if metastases not in symptoms_of:
            symptoms_of[metastases] = _union(vocab.symptoms, metastases)
            diagnostics_of[metastases] = _union(vocab.diagnostics, metastases)
        symptoms = _pick(rng, symptoms_of[metastases], rng.randint(0, 3))
        diagnostics = _pick(rng, diagnostics_of[metastases], rng.randint(0, 2))
        therapies = _pick(rng, vocab.therapies[subtype], rng.randint(1, 3))
        starts = sorted(diagnosed + rng.randrange(_MAX_THERAPY_DELAY_DAYS) for _ in therapies)
        yield Patient(
            iri=patients + number,
            subtype=subtype,
            diagnosis_date=date.fromordinal(diagnosed),
            metastases=metastases,
            symptoms=symptoms,
            diagnostics=diagnostics,
            courses=tuple(TherapyCourse(f"{courses}{number}-{k}", therapy, date.fromordinal(start))
                          for k, (therapy, start) in enumerate(zip(therapies, starts), 1)),
        )


def _pick(rng: random.Random, candidates: Sequence[str], k: int) -> tuple[str, ...]:
    """``k`` distinct candidates (fewer if there are not enough), in IRI order."""
    if not candidates or k <= 0:
        return ()
    return tuple(sorted(rng.sample(candidates, min(k, len(candidates)))))


def _union(table: dict[str, tuple[str, ...]], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({value for key in keys for value in table.get(key, ())}))


def write_cohort(path: str | os.PathLike[str], n_patients: int, seed: int = 0, *,
                 kg: GraphCore | None = None) -> Path:
    """Write a synthetic cohort as Turtle, streaming and atomically.

    Patients are written one at a time (memory does not grow with
    ``n_patients``) to a temporary file beside ``path``, which replaces
    ``path`` only once complete: an interrupted run leaves any earlier file
    untouched. Load the result with ``mbc_graph.load(extra=[path])``.

    Parameters
    ----------
    path : str or path-like
        Where to write (parent directories must exist).
    n_patients : int
        How many patients.
    seed : int
        The random seed; the same seed (and ontology) gives the same bytes.
    kg : KnowledgeGraph, optional
        The graph whose concepts code the patients; default the bundled ontology.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    TypeError, ValueError
        For a bad ``n_patients`` or ``seed`` (nothing is written).
    OSError
        If the file cannot be written (nothing is left behind).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_cohort(pathlib.Path(tmp) / "cohort.ttl", 5, seed=3, kg=kg)
    ...     cohort_kg = mbc_graph.load(extra=[out])
    >>> len(cohort_kg.query("SELECT ?p WHERE { ?p a mbc:Patient }"))
    5
    """
    _check(n_patients, seed)
    vocab = vocabulary(kg)

    def write_to(stream: IO[bytes]) -> None:
        stream.write(_header(n_patients, seed, vocab.version, cohort_base(seed)).encode("utf-8"))
        for patient in _generate(n_patients, seed, vocab):
            stream.write(_turtle(patient).encode("utf-8"))

    return write_atomically(path, write_to)


def _check(n_patients: int, seed: int) -> None:
    if isinstance(n_patients, bool) or not isinstance(n_patients, int):
        raise TypeError(f"n_patients must be an integer, not {type(n_patients).__name__}")
    if n_patients < 0:
        raise ValueError(f"n_patients must be 0 or more, not {n_patients}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an integer, not {type(seed).__name__}")

