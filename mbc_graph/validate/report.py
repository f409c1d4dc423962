"""The validation report: severities, the table of checks, violations and their rendering.

:data:`CHECKS` names every check with its severity; a :class:`Report` holds
the :class:`Violation` rows the checks found, sorted, and renders them as
text or JSON; ``report.ok`` (no ``ERROR``) decides the CLI's exit status.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from rdflib import URIRef

from ..namespaces import curie

__all__ = ["CHECKS", "MAX_INHERITING_SUBCLASSES", "Findings", "Report", "Severity", "Violation", "term_name"]


class Severity(StrEnum):
    """How much a violation matters; compares equal to its name (``"ERROR"``)."""

    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"


_ERROR, _WARN, _INFO = Severity.ERROR, Severity.WARN, Severity.INFO

#: ``widely_inherited`` lists an association that reaches more subclasses of
#: its subject than this. The bundled ontology's inherited associations reach
#: 1, 2, 8 or 14 (a subtype or stage has one or two below it; breast cancer
#: and breast cancer metastasis are broad): five lists the broad ones only.
MAX_INHERITING_SUBCLASSES = 5

#: Every check: name -> (severity, what it finds). SHACL results are added
#: as ``shacl:<Shape>`` with the severity the shape gives (ERROR by default).
CHECKS: dict[str, tuple[Severity, str]] = {
    # labels and definitions (classes and properties in the mbc namespace)
    "missing_label": (_ERROR, "a class or property has no rdfs:label"),
    "multiple_labels": (_ERROR, "a class or property has more than one rdfs:label"),
    "label_not_english": (_ERROR, "an rdfs:label is not tagged @en"),
    "duplicate_label": (_ERROR, "two classes (or two properties) share a label, ignoring case and punctuation"),
    "label_whitespace": (_WARN, "a label has leading, trailing or repeated whitespace"),
    "missing_definition": (_ERROR, "a class or property has no skos:definition"),
    "multiple_definitions": (_ERROR, "a class or property has more than one skos:definition"),
    "duplicate_definition": (_WARN, "two classes or properties share a definition"),
    "annotation_whitespace": (_INFO, "a definition or synonym has leading, trailing or repeated whitespace"),
    "lowercase_definition": (_INFO, "a definition starts with a lower-case letter"),
    "definition_punctuation": (_INFO, "a definition does not end with a full stop"),
    "ambiguous_synonym": (_WARN, "a synonym of one class is the label of another, so the name is ambiguous"),
    "shared_synonym": (_INFO, "several classes share a synonym"),
    # the ontology header
    "missing_ontology_header": (_ERROR, "the ontology graph has no owl:Ontology"),
    "missing_ontology_title": (_ERROR, "the ontology has no dcterms:title"),
    "missing_ontology_description": (_ERROR, "the ontology has no dcterms:description"),
    "missing_ontology_license": (_ERROR, "the ontology has no dcterms:license"),
    "missing_ontology_creator": (_WARN, "the ontology has no dcterms:creator"),
    "missing_version_iri": (_ERROR, "the ontology has no owl:versionIRI"),
    "missing_version_info": (_ERROR, "the ontology has no owl:versionInfo"),
    # structure
    "dangling_reference": (_ERROR, "an mbc IRI is used but never declared as a class, property or individual"),
    "missing_domain": (_ERROR, "an object property has no rdfs:domain"),
    "missing_range": (_ERROR, "an object property has no rdfs:range"),
    "missing_category": (_ERROR, "a domain class is not below any category root"),
    "disjoint_ancestors": (_ERROR, "a class is below two disjoint classes, so it is unsatisfiable"),
    "domain_violation": (_ERROR, "the class of a restriction or the subject of an association is outside the "
                                 "domain of its property"),
    "range_violation": (_ERROR, "the filler of a restriction or the object of an association is outside the "
                                "range of its property"),
    "subclass_cycle": (_ERROR, "a class is its own ancestor through rdfs:subClassOf"),
    "metastasis_in_breast": (_ERROR, "a metastasis class is located in the breast, directly or by inheritance "
                                     "(MONDO's modelling note on metastases)"),
    "missing_evidence": (_ERROR, "a domain assertion has no evidence: a restriction without an owl:Axiom with "
                                 "mbc:hasEvidence, or an association without mbc:hasEvidence"),
    "widely_inherited": (_INFO, "an association of a relation marked mbc:inheritedBySubclasses reaches more than "
                                f"{MAX_INHERITING_SUBCLASSES} subclasses of its subject; check that it holds for "
                                "each of them"),
    # claims (the SHACL shapes check their fields)
    "conflict_without_partner": (_WARN, "a claim with status Conflicting has no mbc:conflictsWith in either direction"),
    # cross-references
    "invalid_xref": (_ERROR, "a cross-reference is not a CURIE or IRI of a known source"),
    "xref_mapping_mismatch": (_ERROR, "the oboInOwl:hasDbXref CURIEs and the skos:*Match IRIs of a class differ"),
    "conflicting_mappings": (_ERROR, "a class maps one term with two different SKOS predicates"),
    "missing_xref_label": (_ERROR, "a SKOS mapping has no owl:Axiom carrying mbc:xrefLabel"),
    "duplicate_exact_match": (_WARN, "one external term is the skos:exactMatch of several classes"),
    "missing_xref": (_INFO, "a domain class has no cross-reference (category roots and infrastructure left out)"),
    "xref_not_in_reference": (_ERROR, "a cross-reference is not in the reference data"),
    "xref_label_mismatch": (_ERROR, "mbc:xrefLabel differs from the label in the reference data"),
    "exact_match_not_exact": (_ERROR, "skos:exactMatch where the reference row's match is not exact"),
    "mapping_on_related_row": (_WARN, "a mapping other than skos:relatedMatch to a reference row marked 'related'"),
    # reasoner (validate(..., reasoner=True))
    "inconsistent_ontology": (_ERROR, "HermiT finds the ontology inconsistent"),
    "unsatisfiable_class": (_ERROR, "HermiT finds a class equivalent to owl:Nothing"),
}



@dataclass(frozen=True)
class Violation:
    """One finding of one check.

    Attributes
    ----------
    check : str
        The check's name, a key of :data:`CHECKS` or ``shacl:<Shape>``.
    severity : Severity
        ``ERROR``, ``WARN`` or ``INFO``.
    subject : str
        What the finding is about: a CURIE (``mbc:BonePain``), an IRI or a path.
    message : str
        What is wrong, in a sentence.
    """

    check: str
    severity: Severity
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity:<5}  {self.check}  {self.subject}  {self.message}"


_ORDER = {_ERROR: 0, _WARN: 1, _INFO: 2}


@dataclass
class Report:
    """The result of :func:`validate`: violations, sorted by severity and check.

    Examples
    --------
    >>> report = Report([Violation("missing_label", Severity.ERROR, "mbc:Foo", "mbc:Foo has no rdfs:label.")])
    >>> report.ok, report.count("ERROR"), report.count()
    (False, 1, 1)
    >>> print(report)
    1 error, 0 warnings, 0 infos
    ERROR  missing_label  mbc:Foo  mbc:Foo has no rdfs:label.
    """

    violations: list[Violation] = field(default_factory=list)
    #: The checks that ran (those that found nothing included).
    checks: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.violations = sorted(set(self.violations), key=lambda v: (_ORDER[v.severity], v.check, v.subject, v.message))

    @property
    def ok(self) -> bool:
        """True when there is no ERROR."""
        return self.count(_ERROR) == 0

    def count(self, severity: str | Severity | None = None) -> int:
        """The number of violations of one severity, or of all."""
        if severity is None:
            return len(self.violations)
        wanted = Severity(str(severity).upper())
        return sum(1 for v in self.violations if v.severity == wanted)

    def filter(self, check: str | None = None, *, severity: str | None = None,
               subject: str | None = None) -> list[Violation]:
        """The violations of one check, severity and/or subject."""
        return [v for v in self.violations
                if (check is None or v.check == check)
                and (severity is None or v.severity == Severity(str(severity).upper()))
                and (subject is None or v.subject == subject)]

    def by_check(self) -> dict[str, int]:
        """How many violations each check found (checks with none left out)."""
        counts: dict[str, int] = defaultdict(int)
        for v in self.violations:
            counts[v.check] += 1
        return dict(sorted(counts.items()))

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.violations)

    def summary(self) -> str:
        """One line: how many errors, warnings and infos."""
        e, w, i = self.count(_ERROR), self.count(_WARN), self.count(_INFO)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}, {i} info{'s' * (i != 1)}"

    def to_text(self) -> str:
        """The summary line, then one line per violation: severity, check, subject, message."""
        return "\n".join([self.summary(), *(str(v) for v in self.violations)])

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON: ``ok``, ``counts``, ``checks`` and ``violations``."""
        data = {
            "ok": self.ok,
            "counts": {s.value: self.count(s) for s in Severity},
            "checks": self.checks,
            "violations": [asdict(v) | {"severity": str(v.severity)} for v in self.violations],
        }
        return json.dumps(data, indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Report ok={self.ok} {self.summary()}>"


class Findings:
    """Collects violations; the severity comes from :data:`CHECKS`."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.checks: list[str] = []

    def ran(self, *checks: str) -> None:
        self.checks.extend(c for c in checks if c not in self.checks)

    def add(self, check: str, subject, message: str, severity: Severity | None = None) -> None:
        self.ran(check)
        self.violations.append(Violation(check, severity or CHECKS[check][0], term_name(subject), message))


def term_name(term) -> str:
    """A CURIE for an IRI, else the term as text."""
    return curie(str(term)) if isinstance(term, URIRef) else str(term)

