"""Synthetic patients as Turtle, written by hand: one block per patient, fast enough to stream a large cohort.

The patients are :class:`mbc_graph.synth.Patient` records; their vocabulary
is described in :mod:`mbc_graph.synth`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .namespaces import MBC

_MBC = str(MBC)
_PREFIXED = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def header(n_patients: int, seed: int, version: str, base: str) -> str:
    """The file's opening comment and prefixes; ``base`` is the cohort's (:func:`mbc_graph.synth.cohort_base`)."""
    return (
        f"# A synthetic cohort of {n_patients} patients (seed {seed}), made by mbc_graph.synth from\n"
        f"# MBC Graph ontology {version}. Made-up data for demos and tests; not real patients.\n"
        "# The patient vocabulary is described in the docstring of mbc_graph.synth.\n"
        f"@prefix mbc: <{_MBC}> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"@prefix patient: <{base}patient/> .\n"
        f"@prefix course: <{base}course/> .\n"
    )


def patient_turtle(patient) -> str:
    """One patient as a Turtle block: the patient, then its courses."""
    grouped: dict[str, list[str]] = {}
    for p, o in _pairs(patient):
        grouped.setdefault(p, []).append(o)
    body = " ;\n    ".join(f"{p} {', '.join(objects)}" for p, objects in grouped.items())
    courses = "".join(
        f"course:{c.iri.rsplit('/', 1)[-1]} a mbc:TherapyCourse ; mbc:courseTherapy {_name(c.therapy)} ; "
        f'mbc:startDate "{c.start.isoformat()}"^^xsd:date .\n'
        for c in patient.courses
    )
    return f"\npatient:{patient.iri.rsplit('/', 1)[-1]} {body} .\n{courses}"


def _pairs(patient) -> list[tuple[str, str]]:
    """The patient's predicate-object pairs, in Turtle, in a fixed order."""
    pairs = [("a", "mbc:Patient"), ("mbc:patientSubtype", _name(patient.subtype)),
             ("mbc:diagnosisDate", f'"{patient.diagnosis_date.isoformat()}"^^xsd:date')]
    for prop, values in (("mbc:patientMetastasis", patient.metastases), ("mbc:patientSymptom", patient.symptoms),
                         ("mbc:patientDiagnostic", patient.diagnostics), ("mbc:patientTherapy", patient.therapies)):
        pairs.extend((prop, _name(v)) for v in values)
    pairs.extend(("mbc:therapyCourse", f"course:{c.iri.rsplit('/', 1)[-1]}") for c in patient.courses)
    return pairs


@lru_cache(maxsize=4096)
def _name(iri: str) -> str:
    """``mbc:Local`` when the IRI is in the mbc namespace with a plain local name, else ``<iri>``."""
    if iri.startswith(_MBC) and _PREFIXED.fullmatch(iri[len(_MBC):]):
        return "mbc:" + iri[len(_MBC):]
    return f"<{iri}>"
