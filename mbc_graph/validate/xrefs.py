"""The cross-reference checks: SKOS mappings and oboInOwl:hasDbXref, compared with
each other and with the reference extracts (``*.tsv``, one row per external term).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import SKOS

from ..bundled import bundled_reference
from ..namespaces import curie
from .checks import INFRASTRUCTURE, named_rows
from .report import Findings, Severity

if TYPE_CHECKING:
    from ..core import GraphCore

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


def default_reference_dir() -> Path:
    """The reference extracts: ``../shared/reference`` beside a source checkout, else the copy the package ships."""
    shared = Path(__file__).resolve().parents[3] / "shared" / "reference"
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


def check_xrefs(kg: GraphCore, found: Findings, entities: dict[URIRef, str], reference_dir: Path | None,
                 explicit: bool) -> None:
    """The cross-references of each class; against the reference data in ``reference_dir`` when it exists."""
    found.ran("invalid_xref", "xref_mapping_mismatch", "conflicting_mappings", "missing_xref_label",
              "duplicate_exact_match", "missing_xref")
    mappings: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
    for row in named_rows(kg, "qc_mappings"):
        mappings[row["class"]][str(row.target)].add(row.predicate)
    labels: dict[tuple, set[str]] = defaultdict(set)
    for row in named_rows(kg, "qc_xref_labels"):
        labels[(row["class"], row.predicate, row.target)].add(str(row.xrefLabel))
    dbxrefs: dict[URIRef, set[str]] = defaultdict(set)
    for row in named_rows(kg, "qc_dbxrefs"):
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
                      "pass reference_dir= to run this check.", severity=Severity.INFO)

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

    categories = {row.category for row in named_rows(kg, "qc_categories")}
    for cls, kind in sorted(entities.items()):
        if kind == "class" and cls not in INFRASTRUCTURE and cls not in categories \
                and not mappings.get(cls) and not dbxrefs.get(cls):
            found.add("missing_xref", cls, f"{curie(str(cls))} has no cross-reference.")

