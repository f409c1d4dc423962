"""Ontology quality control: ROBOT-report-style checks, SHACL and a reasoner.

:func:`validate` runs named checks over a loaded graph and returns a
:class:`Report` of :class:`Violation` rows, each with a severity:

``ERROR``
    breaks a convention the library or its users rely on; ``report.ok`` is
    false when there is one.
``WARN``
    probably a mistake; look at it.
``INFO``
    worth knowing (a check that was skipped, a class without cross-references).

Most checks are SPARQL queries shipped as ``mbc_graph/sparql/qc_*.rq`` and
run through :meth:`KnowledgeGraph.query`, so they work on every store; the
SHACL shapes of ``ontology/shapes.ttl`` run through pySHACL (the
``validate`` extra) and each failed shape becomes a check named
``shacl:<Shape>``. The table of checks is :data:`CHECKS`.

The cross-reference checks compare the ontology with the reference extracts
in ``../shared/reference/*.tsv`` beside a source checkout. Those files are
not shipped in the wheel: when they are not found, each check that needs
them is reported once as ``INFO`` "skipped: reference data not found".
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import MBCGraphError, MissingDependency
from .namespaces import MBC, ONTOLOGY_GRAPH, RELATION_GRAPH, curie
from .search import normalize

__all__ = [
    "CHECKS", "Report", "ReasonerResult", "Severity", "Violation", "XREF_PREFIXES",
    "bundled_shapes", "default_reference_dir", "load_reference", "reason", "validate",
]


class Severity(StrEnum):
    """How much a violation matters; compares equal to its name (``"ERROR"``)."""

    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"


_ERROR, _WARN, _INFO = Severity.ERROR, Severity.WARN, Severity.INFO

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

_REFERENCE_CHECKS = ("xref_not_in_reference", "xref_label_mismatch", "exact_match_not_exact", "mapping_on_related_row")

#: How a CURIE prefix of the reference data becomes an IRI (as tools/build_ontology.py writes them).
XREF_PREFIXES: dict[str, str] = {
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "HGNC": "http://identifiers.org/hgnc/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
}
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):(\S+)$")

#: Classes of the evidence, claim and patient-data model (declared by
#: tools/build_ontology.py): not domain content, so they need
#: no category or cross-reference (they still need a label and a definition).
INFRASTRUCTURE = frozenset(MBC[name] for name in (
    "SourceDocument", "ReferenceRecord", "Evidence", "DocumentEvidence", "CuratedEvidence", "CombinedEvidence",
    "Claim", "ClaimStatus",
    "Patient", "TherapyCourse", "Association", "FrequencyQualifier", "SourceRating",
))

_SKOS_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty,
                 OWL.NamedIndividual, OWL.Ontology)
_SH = "http://www.w3.org/ns/shacl#"
_SHAPES_NS = "https://w3id.org/mbc-graph/shapes/"


# -- the report -------------------------------------------------------------------------
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


class _Findings:
    """Collects violations; the severity comes from :data:`CHECKS`."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.checks: list[str] = []

    def ran(self, *checks: str) -> None:
        self.checks.extend(c for c in checks if c not in self.checks)

    def add(self, check: str, subject, message: str, severity: Severity | None = None) -> None:
        self.ran(check)
        self.violations.append(Violation(check, severity or CHECKS[check][0], _name(subject), message))


def _name(term) -> str:
    return curie(str(term)) if isinstance(term, URIRef) else str(term)


# -- files --------------------------------------------------------------------------
def bundled_shapes() -> Path:
    """The SHACL shapes shipped with the package (``ontology/shapes.ttl`` in a checkout).

    >>> bundled_shapes().name
    'shapes.ttl'
    """
    packaged = resources.files("mbc_graph").joinpath("ontology", "shapes.ttl")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


def default_reference_dir() -> Path:
    """The reference extracts: ``../shared/reference`` beside a source checkout, else the copy the package ships."""
    from .bundled import bundled_reference

    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
    return shared if shared.is_dir() else bundled_reference()


def load_reference(reference_dir: str | Path) -> dict[str, dict[str, str]]:
    """Read ``*.tsv`` in ``reference_dir`` into ``{CURIE: row}``; each row gets its ``file`` name.

    Raises
    ------
    FileNotFoundError
        When ``reference_dir`` is not a directory.
    """
    folder = Path(reference_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"Reference data not found: {folder} is not a directory")
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows[row["id"]] = row | {"file": path.name}
    return rows


def _iri_to_curie(iri: str) -> str | None:
    for prefix, base in sorted(XREF_PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return None


# -- the checks ---------------------------------------------------------------------------
def _rows(kg, name: str, **bindings):
    return kg.named(name, bindings).rows


def _check_texts(kg, found: _Findings, entities: dict[URIRef, str]) -> None:
    found.ran("missing_label", "multiple_labels", "label_not_english", "duplicate_label", "label_whitespace",
              "missing_definition", "multiple_definitions", "duplicate_definition", "annotation_whitespace",
              "lowercase_definition", "definition_punctuation", "ambiguous_synonym", "shared_synonym")
    values: dict[URIRef, dict[str, list[Literal]]] = {e: defaultdict(list) for e in entities}
    for row in _rows(kg, "qc_texts"):
        if row.entity in values:
            values[row.entity][str(row.property)].append(row.value)
    label_of: dict[str, dict[str, list[URIRef]]] = {"class": defaultdict(list), "property": defaultdict(list)}
    definition_of: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
    synonyms_of: dict[str, set[URIRef]] = defaultdict(set)
    for entity, kind in sorted(entities.items()):
        group = "class" if kind == "class" else "property"
        texts = values[entity]
        labels = texts[str(RDFS.label)]
        definitions = texts[str(SKOS.definition)]
        who = f"{curie(str(entity))} ({kind})"
        if not labels:
            found.add("missing_label", entity, f"{who} has no rdfs:label.")
        elif len(labels) > 1:
            found.add("multiple_labels", entity,
                      f"{who} has {len(labels)} labels: {', '.join(repr(str(l)) for l in sorted(labels))}.")
        for label in labels:
            if getattr(label, "language", None) != "en":
                found.add("label_not_english", entity, f"The label {str(label)!r} of {who} is not tagged @en.")
            if _bad_whitespace(str(label)):
                found.add("label_whitespace", entity, f"The label {str(label)!r} of {who} has stray whitespace.")
            label_of[group][normalize(str(label))].append(entity)
        if not definitions:
            found.add("missing_definition", entity, f"{who} has no skos:definition.")
        elif len(definitions) > 1:
            found.add("multiple_definitions", entity, f"{who} has {len(definitions)} definitions.")
        for definition in definitions:
            text = str(definition)
            definition_of[" ".join(text.split()).casefold()].append((entity, text))
            if _bad_whitespace(text):
                found.add("annotation_whitespace", entity, f"The definition of {who} has stray whitespace.")
            if text.strip()[:1].islower():
                found.add("lowercase_definition", entity, f"The definition of {who} starts in lower case: {text[:40]!r}.")
            if text.strip() and not text.rstrip().endswith("."):
                found.add("definition_punctuation", entity, f"The definition of {who} does not end with a full stop.")
        for prop in (str(SKOS.altLabel), str(MBC.patientLabel)):
            for synonym in texts[prop]:
                if _bad_whitespace(str(synonym)):
                    found.add("annotation_whitespace", entity, f"The synonym {str(synonym)!r} of {who} has stray whitespace.")
                if group == "class":
                    synonyms_of[normalize(str(synonym))].add(entity)

    for group, table in label_of.items():
        for key, owners in table.items():
            owners = sorted(set(owners))
            if len(owners) > 1:
                names = ", ".join(curie(str(o)) for o in owners)
                for owner in owners:
                    found.add("duplicate_label", owner, f"The label {key!r} is shared by {names}.")
    for pairs in definition_of.values():
        owners = sorted({owner for owner, _ in pairs})
        if len(owners) > 1:
            names = ", ".join(curie(str(o)) for o in owners)
            text = pairs[0][1]
            shown = text if len(text) <= 70 else text[:67] + "..."
            for owner in owners:
                found.add("duplicate_definition", owner, f"The definition {shown!r} is shared by {names}.")
    class_labels = label_of["class"]
    for key, holders in synonyms_of.items():
        labelled = set(class_labels.get(key, ()))
        for owner in sorted(holders - labelled):
            for other in sorted(labelled):
                found.add("ambiguous_synonym", owner,
                          f"The synonym {key!r} of {curie(str(owner))} is the label of {curie(str(other))}.")
        if len(holders) > 1:
            names = ", ".join(curie(str(o)) for o in sorted(holders))
            for owner in sorted(holders):
                found.add("shared_synonym", owner, f"The synonym {key!r} is shared by {names}.")


def _bad_whitespace(text: str) -> bool:
    return text != text.strip() or "  " in text or any(ch in text for ch in "\t\n\r")


_HEADER = {
    "missing_ontology_title": "http://purl.org/dc/terms/title",
    "missing_ontology_description": "http://purl.org/dc/terms/description",
    "missing_ontology_license": "http://purl.org/dc/terms/license",
    "missing_ontology_creator": "http://purl.org/dc/terms/creator",
    "missing_version_iri": str(OWL.versionIRI),
    "missing_version_info": str(OWL.versionInfo),
}


def _check_header(kg, found: _Findings) -> None:
    found.ran("missing_ontology_header", *_HEADER)
    present: dict[URIRef, set[str]] = defaultdict(set)
    for row in _rows(kg, "qc_header", graph=ONTOLOGY_GRAPH):
        present[row.ontology]
        if row.property is not None:
            present[row.ontology].add(str(row.property))
    if not present:
        source = kg.sources[0] if getattr(kg, "sources", None) else "the ontology"
        found.add("missing_ontology_header", str(source), f"{source} has no owl:Ontology header.")
    for ontology, properties in present.items():
        for check, prop in _HEADER.items():
            if prop not in properties:
                found.add(check, str(ontology), f"The ontology header of <{ontology}> has no {curie(prop)}.")


def _ancestors(parents: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Each class's named ancestors, itself included (cycles allowed)."""
    return {node: _reachable(parents, node) for node in list(parents)}


def _check_structure(kg, found: _Findings, entities: dict[URIRef, str], data: Graph) -> None:
    found.ran("dangling_reference", "missing_domain", "missing_range", "missing_category", "disjoint_ancestors",
              "subclass_cycle", "metastasis_in_breast", "domain_violation", "range_violation", "missing_evidence")
    # dangling references: a scan of the triples (a SPARQL union over every
    # position is slow on rdflib's engine)
    declared = {s for t in _DECLARATIONS for s in data.subjects(RDF.type, t)}
    where: dict[URIRef, set[str]] = defaultdict(set)
    base = str(MBC)
    for triple in data:
        for position, term in zip(("subject", "predicate", "object"), triple):
            if isinstance(term, URIRef) and term.startswith(base) and "/" not in term[len(base):]:
                if term not in declared:
                    where[term].add(position)
    for iri, positions in sorted(where.items()):
        found.add("dangling_reference", iri,
                  f"{curie(str(iri))} is used (as {', '.join(sorted(positions))}) but never declared "
                  "as a class, property or individual.")

    # property domains and ranges
    axes: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: {"domain": set(), "range": set()})
    for row in _rows(kg, "qc_property_axioms"):
        entry = axes[row.property]
        if row["class"] is not None:
            entry["domain" if row.axis == RDFS.domain else "range"].add(row["class"])
    for prop, entry in sorted(axes.items()):
        if not entry["domain"]:
            found.add("missing_domain", prop, f"The object property {curie(str(prop))} has no rdfs:domain.")
        if not entry["range"]:
            found.add("missing_range", prop, f"The object property {curie(str(prop))} has no rdfs:range.")

    # categories and disjointness
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in _rows(kg, "qc_parents"):
        parents[row["class"]].add(row.parent)
    obsolete = {row["class"] for row in _rows(kg, "qc_obsolete")}
    classes = [e for e, kind in entities.items() if kind == "class" and e not in obsolete]
    for cls in classes:
        parents.setdefault(cls, set())
    ancestors = _ancestors(parents)
    for cls in sorted(parents):
        if any(cls in _reachable(parents, parent) for parent in parents[cls]):
            found.add("subclass_cycle", cls, f"{curie(str(cls))} is its own ancestor: the classes on the cycle "
                      "are all equivalent.")
    categories = {row.category for row in _rows(kg, "qc_categories")}
    disjoint: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in _rows(kg, "qc_disjoint"):
        disjoint[row.a].add(row.b)
        disjoint[row.b].add(row.a)
    for cls in sorted(classes):
        if cls in INFRASTRUCTURE:
            continue
        mine = ancestors.get(cls, {cls})
        if categories and not (mine & categories):
            found.add("missing_category", cls, f"{curie(str(cls))} is not below any category root "
                      f"({', '.join(sorted(curie(str(c)) for c in categories))}).")
        clashes = sorted({tuple(sorted((a, b))) for a in mine for b in disjoint.get(a, ()) if b in mine})
        for a, b in clashes:
            found.add("disjoint_ancestors", cls, f"{curie(str(cls))} is below both {curie(str(a))} and "
                      f"{curie(str(b))}, which are disjoint: no individual can be one.")

    # domain assertions (restrictions and associations): evidence, domain and range
    evidence: dict[tuple, set] = defaultdict(set)
    for row in _rows(kg, "qc_axiom_evidence"):
        evidence[(row.source, row.property, row.target)].add(row.evidence)
    restrictions = sorted(_rows(kg, "qc_restrictions"), key=lambda r: (str(r["class"]), str(r.property), str(r.filler)))
    located: dict[URIRef, set] = defaultdict(set)
    for row in restrictions:
        if row.property == MBC.locatedIn and isinstance(row.filler, URIRef):
            located[row["class"]].add(row.filler)
    for cls in sorted(classes):
        mine = ancestors.get(cls, {cls})
        if MBC.Metastasis in mine:
            sites = {site for a in mine for site in located.get(a, ())}
            for site in sorted(s for s in sites if MBC.Breast in ancestors.get(s, {s})):
                found.add("metastasis_in_breast", cls, f"{curie(str(cls))} is a metastasis located in "
                          f"{curie(str(site))}, which is the breast or part of it.")
    for row in restrictions:
        cls, prop, filler = row["class"], row.property, row.filler
        what = f"{curie(str(cls))} {curie(str(prop))} some {curie(str(filler))}"
        if not evidence.get((cls, RDFS.subClassOf, row.restriction)) and (row.restriction, MBC.hasEvidence, None) not in data:
            found.add("missing_evidence", cls, f"The assertion {what} has no evidence "
                      "(no owl:Axiom with mbc:hasEvidence annotates the restriction, or no association evidence).")
        property_axes = axes.get(prop)
        if property_axes is None:
            continue
        if property_axes["domain"] and not (ancestors.get(cls, {cls}) & property_axes["domain"]):
            found.add("domain_violation", cls, f"In {what}, {curie(str(cls))} is not below the domain of "
                      f"{curie(str(prop))} ({_names(property_axes['domain'])}).")
        if isinstance(filler, URIRef) and property_axes["range"] and not (
                ancestors.get(filler, {filler}) & property_axes["range"]):
            found.add("range_violation", cls, f"In {what}, {curie(str(filler))} is not below the range of "
                      f"{curie(str(prop))} ({_names(property_axes['range'])}).")


def _reachable(parents: dict[URIRef, set[URIRef]], start: URIRef) -> set[URIRef]:
    """Every class reachable upwards from ``start`` (itself included), cycles allowed."""
    seen, todo = {start}, [start]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _check_claims(kg, found: _Findings) -> None:
    found.ran("conflict_without_partner")
    partners: dict[URIRef, set] = defaultdict(set)
    statuses: dict[URIRef, set] = defaultdict(set)
    for row in _rows(kg, "qc_claims"):
        partners[row.claim]
        if row.other is not None:
            partners[row.claim].add(row.other)
        if row.status is not None:
            statuses[row.claim].add(row.status)
    for claim in sorted(partners):
        if MBC.Conflicting in statuses[claim] and not partners[claim]:
            found.add("conflict_without_partner", claim, f"{curie(str(claim))} is Conflicting but names no claim "
                      "it conflicts with (mbc:conflictsWith).")


def _names(terms: Iterable) -> str:
    return ", ".join(sorted(_name(t) if isinstance(t, URIRef) else "an anonymous class" for t in terms))


def _check_xrefs(kg, found: _Findings, entities: dict[URIRef, str], reference_dir: Path | None,
                 explicit: bool) -> None:
    found.ran("invalid_xref", "xref_mapping_mismatch", "conflicting_mappings", "missing_xref_label",
              "duplicate_exact_match", "missing_xref")
    mappings: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(kg, "qc_mappings"):
        mappings[row["class"]][str(row.target)].add(row.predicate)
    labels: dict[tuple, set[str]] = defaultdict(set)
    for row in _rows(kg, "qc_xref_labels"):
        labels[(row["class"], row.predicate, row.target)].add(str(row.xrefLabel))
    dbxrefs: dict[URIRef, set[str]] = defaultdict(set)
    for row in _rows(kg, "qc_dbxrefs"):
        dbxrefs[row["class"]].add(str(row.xref))

    reference = None
    if reference_dir is not None and reference_dir.is_dir():
        reference = load_reference(reference_dir)
        found.ran(*_REFERENCE_CHECKS)
    elif explicit:
        raise FileNotFoundError(f"Reference data not found: {reference_dir} is not a directory")
    else:
        for check in _REFERENCE_CHECKS:
            found.add(check, str(reference_dir), f"skipped: reference data not found ({reference_dir}); "
                      "pass reference_dir= to run this check.", severity=_INFO)

    exact_owners: dict[str, set[URIRef]] = defaultdict(set)
    for cls in sorted(set(mappings) | set(dbxrefs)):
        who = curie(str(cls))
        mapped: dict[str, set[URIRef]] = {}
        for target, predicates in sorted(mappings.get(cls, {}).items()):
            xref = _iri_to_curie(target)
            if xref is None:
                found.add("invalid_xref", cls, f"{who} maps {target}, which is not an IRI of a known source "
                          f"({', '.join(XREF_PREFIXES)}).")
                continue
            mapped[xref] = predicates
            if len(predicates) > 1:
                found.add("conflicting_mappings", cls, f"{who} maps {xref} with "
                          f"{' and '.join(sorted(curie(str(p)) for p in predicates))}.")
            for predicate in predicates:
                given = labels.get((cls, predicate, URIRef(target)), set())
                if not given:
                    found.add("missing_xref_label", cls, f"{who} {curie(str(predicate))} {xref} has no mbc:xrefLabel.")
                if predicate == SKOS.exactMatch:
                    exact_owners[xref].add(cls)
                if reference is None:
                    continue
                row = reference.get(xref)
                if row is None:
                    found.add("xref_not_in_reference", cls, f"{who} {curie(str(predicate))} {xref}: {xref} is not "
                              "in the reference data.")
                    continue
                for label in sorted(given):
                    if label != row["label"]:
                        found.add("xref_label_mismatch", cls, f"{who} {curie(str(predicate))} {xref}: mbc:xrefLabel "
                                  f"{label!r} differs from the reference label {row['label']!r} ({row['file']}).")
                match = row.get("match", "")
                if predicate == SKOS.exactMatch and match != "exact":
                    found.add("exact_match_not_exact", cls, f"{who} skos:exactMatch {xref}, but the reference row "
                              f"({row['file']}) says match = {match!r}.")
                elif predicate != SKOS.relatedMatch and match == "related":
                    found.add("mapping_on_related_row", cls, f"{who} {curie(str(predicate))} {xref}, but the "
                              f"reference row ({row['file']}) says match = 'related': not an equivalent.")
        for xref in sorted(dbxrefs.get(cls, ())):
            m = _CURIE.match(xref)
            if not m or m.group(1) not in XREF_PREFIXES:
                found.add("invalid_xref", cls, f"{who} oboInOwl:hasDbXref {xref!r} is not a CURIE with a known "
                          f"prefix ({', '.join(XREF_PREFIXES)}).")
            elif reference is not None and xref not in reference and xref not in mapped:
                found.add("xref_not_in_reference", cls, f"{who} oboInOwl:hasDbXref {xref}: not in the reference data.")
        only_db = sorted(dbxrefs.get(cls, set()) - set(mapped))
        only_skos = sorted(set(mapped) - dbxrefs.get(cls, set()))
        if only_db or only_skos:
            parts = []
            if only_db:
                parts.append(f"hasDbXref without a SKOS mapping: {', '.join(only_db)}")
            if only_skos:
                parts.append(f"SKOS mapping without a hasDbXref: {', '.join(only_skos)}")
            found.add("xref_mapping_mismatch", cls, f"{who}: {'; '.join(parts)}.")
    for xref, owners in sorted(exact_owners.items()):
        if len(owners) > 1:
            names = ", ".join(curie(str(o)) for o in sorted(owners))
            for owner in sorted(owners):
                found.add("duplicate_exact_match", owner, f"{xref} is the skos:exactMatch of {names}.")

    categories = {row.category for row in _rows(kg, "qc_categories")}
    for cls, kind in sorted(entities.items()):
        if kind == "class" and cls not in INFRASTRUCTURE and cls not in categories \
                and not mappings.get(cls) and not dbxrefs.get(cls):
            found.add("missing_xref", cls, f"{curie(str(cls))} has no cross-reference.")


def _ontology_graph(kg) -> Graph:
    """The asserted data (every graph but the materialized relation graph) as one rdflib Graph."""
    data = Graph()
    for prefix, namespace in (("mbc", MBC), ("owl", OWL), ("rdfs", RDFS), ("skos", SKOS)):
        data.bind(prefix, namespace)
    for s, p, o, g in kg.store.quads():
        if g != RELATION_GRAPH:
            data.add((s, p, o))
    return data


def _check_shacl(data: Graph, shapes: Path, found: _Findings) -> None:
    try:
        import pyshacl
    except ImportError:
        raise MissingDependency("pyshacl", "validate", "SHACL validation") from None
    shapes_graph = Graph().parse(str(shapes), format="turtle")
    names = sorted(str(s)[len(_SHAPES_NS):] for s in set(shapes_graph.subjects())
                   if isinstance(s, URIRef) and str(s).startswith(_SHAPES_NS) and len(str(s)) > len(_SHAPES_NS))
    found.ran(*(f"shacl:{name}" for name in names))
    # inplace: `data` is already a private copy, so pySHACL need not clone it
    # allow_warnings: warnings do not make the data non-conforming, but they are reported
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True, inference="none",
                                     allow_warnings=True, inplace=True)
    sh = lambda local: URIRef(_SH + local)  # noqa: E731
    severities = {sh("Violation"): _ERROR, sh("Warning"): _WARN, sh("Info"): _INFO}
    for result in results.subjects(RDF.type, sh("ValidationResult")):
        shape = results.value(result, sh("sourceShape"))
        focus = results.value(result, sh("focusNode"))
        path = results.value(result, sh("resultPath"))
        value = results.value(result, sh("value"))
        messages = sorted(str(m) for m in results.objects(result, sh("resultMessage")))
        name = str(shape)[len(_SHAPES_NS):] if isinstance(shape, URIRef) and str(shape).startswith(_SHAPES_NS) \
            else "anonymous"
        subject = _describe(data, focus)
        detail = f" (path {curie(str(path))})" if isinstance(path, URIRef) else ""
        if value is not None and not isinstance(value, BNode):
            detail += f" value {_name(value) if isinstance(value, URIRef) else repr(str(value))}"
        message = (messages[0] if messages else "does not conform") + detail
        found.add(f"shacl:{name}", subject, f"{subject}: {message}",
                  severity=severities.get(results.value(result, sh("resultSeverity")), _ERROR))


def _describe(data: Graph, node) -> str:
    """A CURIE, or for an owl:Axiom blank node the axiom's source and property."""
    if isinstance(node, URIRef):
        return curie(str(node))
    source = data.value(node, OWL.annotatedSource)
    if source is not None:
        return f"axiom on {_name(source)} {curie(str(data.value(node, OWL.annotatedProperty)))}"
    return f"blank node {node}"


# -- the reasoner -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT concluded: consistency and the unsatisfiable classes (IRIs)."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    seconds: float


def reason(data: Graph | str | Path, *, java: str | None = None) -> ReasonerResult:
    """Classify an ontology with HermiT (through owlready2, which needs Java).

    Parameters
    ----------
    data : rdflib.Graph or path
        The ontology (a Turtle file or a graph).
    java : str, optional
        The ``java`` executable; by default the one on ``PATH``.

    Returns
    -------
    ReasonerResult

    Raises
    ------
    MissingDependency
        When owlready2 (the ``validate`` extra) is not installed.
    MBCGraphError
        When no Java runtime is found.

    Examples
    --------
    A class below two disjoint classes is unsatisfiable:

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     @prefix ex: <http://example.org/> .
    ...     ex:Symptom a owl:Class . ex:Drug a owl:Class ; owl:disjointWith ex:Symptom .
    ...     ex:Chimera a owl:Class ; rdfs:subClassOf ex:Symptom , ex:Drug .
    ... ''')
    >>> result = reason(g)
    >>> result.consistent, result.unsatisfiable
    (True, ('http://example.org/Chimera',))
    """
    import tempfile
    import time

    try:
        import owlready2  # type: ignore[import-untyped]
    except ImportError:
        raise MissingDependency("owlready2", "validate", "The reasoner check") from None
    java = java or shutil.which("java")
    if not java:
        raise MBCGraphError("The reasoner check needs a Java runtime (java on PATH); none was found.")
    graph = data if isinstance(data, Graph) else Graph().parse(str(data), format="turtle")
    start = time.perf_counter()
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="mbc-reasoner-") as folder:
        path = Path(folder) / "ontology.nt"
        path.write_bytes(_without_imports(graph).serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ReasonerResult(False, (), time.perf_counter() - start)
            unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()
                                         if getattr(c, "iri", None) != str(OWL.Nothing)))
        except MBCGraphError:
            raise
        except Exception as exc:  # owlready2's and Java's failures, whatever their class
            raise MBCGraphError(f"The reasoner check failed: {type(exc).__name__}: {exc}") from exc
        finally:
            world.close()
    return ReasonerResult(True, unsatisfiable, time.perf_counter() - start)


def _without_imports(graph: Graph) -> Graph:
    """A copy of ``graph`` without ``owl:imports``: owlready2 would fetch each
    imported IRI (any URL, any local file) before HermiT runs. The data handed
    to the reasoner is already complete."""
    copy = Graph()
    copy += (triple for triple in graph if triple[1] != OWL.imports)
    return copy


def _check_reasoner(data: Graph, found: _Findings) -> None:
    found.ran("inconsistent_ontology", "unsatisfiable_class")
    result = reason(data)
    if not result.consistent:
        found.add("inconsistent_ontology", "ontology", "HermiT finds the ontology inconsistent: no model satisfies it.")
    for iri in result.unsatisfiable:
        found.add("unsatisfiable_class", URIRef(iri), f"{curie(iri)} is unsatisfiable (equivalent to owl:Nothing).")


# -- entry point ----------------------------------------------------------------------------
def validate(kg, *, reference_dir: str | Path | None = None, shacl: bool = True, shapes: str | Path | None = None,
             reasoner: bool = False) -> Report:
    """Check a knowledge graph against the ontology conventions.

    Runs the checks of :data:`CHECKS` (SPARQL through ``kg.query``), the
    SHACL shapes, and optionally HermiT. Everything loaded is checked except
    the materialized relation graph, which is derived from the ontology.

    Parameters
    ----------
    kg : KnowledgeGraph or path
        A loaded graph, or the path of an ontology file to load.
    reference_dir : path, optional
        The folder of reference ``*.tsv`` files for the cross-reference
        checks. By default ``../shared/reference`` beside a source checkout;
        when that is absent the checks are reported as skipped (``INFO``).
        A folder given here must exist.
    shacl : bool
        Run the SHACL shapes (needs pySHACL, the ``validate`` extra).
    shapes : path, optional
        Another shapes file instead of the bundled ``shapes.ttl``.
    reasoner : bool
        Also classify with HermiT (needs owlready2 and Java; a few seconds).

    Returns
    -------
    Report
        ``report.ok`` is true when no check found an ``ERROR``.

    Raises
    ------
    MissingDependency
        When ``shacl`` (or ``reasoner``) is asked for and pySHACL (or
        owlready2) is not installed.
    FileNotFoundError
        When ``reference_dir`` is given and is not a directory.

    See Also
    --------
    mbc_graph.KnowledgeGraph.validate : the same, as a method.

    Examples
    --------
    >>> report = validate(kg)
    >>> report.ok, report.count("ERROR")
    (True, 0)
    >>> "missing_label" in report.checks and "shacl:ClaimStatus" in report.checks
    True
    >>> print(report.to_text().splitlines()[0])  # doctest: +ELLIPSIS
    0 errors, ...
    """
    if isinstance(kg, (str, Path)):
        from .loading import load

        kg = load(ontology=kg)
    explicit = reference_dir is not None
    folder = Path(reference_dir) if reference_dir is not None else default_reference_dir()
    found = _Findings()
    entities: dict[URIRef, str] = {}
    for row in _rows(kg, "qc_entities"):
        # a class that is also typed as a property is reported as a class
        if entities.get(row.entity) != "class":
            entities[row.entity] = str(row.kind)
    data = _ontology_graph(kg)
    _check_header(kg, found)
    _check_texts(kg, found, entities)
    _check_structure(kg, found, entities, data)
    _check_claims(kg, found)
    _check_xrefs(kg, found, entities, folder, explicit)
    if reasoner:
        _check_reasoner(data, found)
    if shacl:  # last: pySHACL works on `data` in place
        _check_shacl(data, Path(shapes) if shapes else bundled_shapes(), found)
    return Report(found.violations, found.checks)
