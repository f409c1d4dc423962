"""The infrastructure classes: the evidence, claim and patient-data model, not domain content.

One table for the two places that need it: ``tools/build_ontology.py``
declares each class with its label and definition, and the validator leaves
them out of the checks meant for domain classes (a category root, a
cross-reference). Plain strings, so importing it costs nothing.

>>> INFRASTRUCTURE_CLASSES["Claim"][0]
'claim'
"""

from __future__ import annotations

#: Local name (in the mbc namespace) -> (label, definition).
INFRASTRUCTURE_CLASSES: dict[str, tuple[str, str]] = {
    "SourceDocument": ("source document", "A document that evidence quotes are taken from."),
    "ReferenceRecord": ("reference record", "A record in a curated reference resource, such as a DrugBank entry, cited as evidence."),
    "Evidence": ("evidence item", "A source and, for documents, the verbatim sentence that supports an assertion or claim."),
    "DocumentEvidence": ("document evidence", "Evidence quoted verbatim from a source document."),
    "CuratedEvidence": ("curated evidence", "Evidence from a curator's reading of a reference record rather than a source document."),
    "CombinedEvidence": ("combined evidence", "Two or more quoted sentences that together support a statement no single one makes, with the plain step between them."),
    "Claim": ("claim", "A statement made by a source, kept with its sources and a status rather than asserted as fact."),
    "ClaimStatus": ("claim status", "How far a claim is borne out: supported, conflicting or contradicted."),
    # associations (what can hold, with a qualifier) and the rating of their sources
    "Association": ("association", "A statement that a relation holds for some instances of its subject (can, often, in selected cases), with its qualifier and evidence; not an OWL axiom, so reasoners ignore it."),
    "FrequencyQualifier": ("frequency qualifier", "How often, or when, an association holds according to its sources."),
    "SourceRating": ("source rating", "An ordinal judgement of how far a source can be trusted: high, medium or low."),
    # the patient-data vocabulary used by mbc_graph.synth and by users' own records
    "Patient": ("patient", "A person in a data set joined to the ontology, such as a synthetic cohort; not a domain concept."),
    "TherapyCourse": ("therapy course", "One course of a therapy given to a patient, with its start date."),
}
