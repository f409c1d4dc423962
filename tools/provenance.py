"""Provenance a user can check without ../shared (called by build_ontology.py).

* ``reference_files``: the reference extracts the cross-references rest on,
  for ``ontology/reference/``: unmodified where ../shared/reference/SOURCES.md
  names a license that allows it, ids and labels only (with the crosswalk's
  ``match``) where it marks the license unverified.
* ``add_selectors``: each source document's SHA-256, and on every evidence
  item where its quote stands, as W3C Web Annotation selectors
  (``oa:TextQuoteSelector`` with prefix and suffix, ``oa:TextPositionSelector``),
  so anyone holding a document can verify every quote
  (``mbc-graph verify-sources DIR``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

MBC = Namespace("https://w3id.org/mbc-graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
#: Characters of context kept before and after a quote.
CONTEXT = 32

#: Each reference file, its license as SOURCES.md states it, and whether it ships whole.
LICENSES = {
    "doid.tsv": ("Human Disease Ontology (DOID)", "CC0 1.0 Universal", True),
    "mondo.tsv": ("Mondo Disease Ontology (MONDO)", "CC BY 4.0", True),
    "hp.tsv": ("Human Phenotype Ontology (HP)", "HPO license (https://hpo.jax.org/app/license): cite HPO, do not modify", True),
    "uberon.tsv": ("Uberon anatomy ontology", "CC BY 3.0", True),
    "maxo.tsv": ("Medical Action Ontology (MAxO)", "CC BY 4.0", True),
    "chebi.tsv": ("ChEBI", "not verified from a file (ChEBI is distributed under CC BY 4.0)", False),
    "ncit.tsv": ("NCI Thesaurus codes", "not verified (NCIt is published under CC BY 4.0)", False),
    "drugbank.tsv": ("DrugBank vocabulary", "not stated in the source repository (DrugBank publishes it as CC0 1.0)", False),
    "hgnc.tsv": ("HGNC gene ids", "not verified (HGNC data is CC0)", False),
}
TRIMMED_COLUMNS = ("id", "label", "match")


def _trimmed(text: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TRIMMED_COLUMNS)
    writer.writerows([[row.get(c, "") for c in TRIMMED_COLUMNS] for row in rows])
    return out.getvalue()


def reference_files(reference: Path) -> dict[str, str]:
    """The files of ``ontology/reference/``, by name: the extracts, SOURCES.md and a README with the licenses."""
    files = {"SOURCES.md": (reference / "SOURCES.md").read_text(encoding="utf-8")}
    lines = [
        "# Reference extracts",
        "",
        "Copied by `make ontology` from the project's verified crosswalk (`../shared/reference`) so that the",
        "cross-reference checks run in any clone. `SOURCES.md` (unmodified) says where each row comes from.",
        "Files whose license is stated are shipped unmodified; where `SOURCES.md` marks the license unverified,",
        "only the `id` and `label` columns (and the crosswalk's own `match` column) are shipped.",
        "",
        "| file | source | license (as SOURCES.md states it) | shipped |",
        "| --- | --- | --- | --- |",
    ]
    for name, (source, license_, whole) in LICENSES.items():
        text = (reference / name).read_text(encoding="utf-8")
        files[name] = text if whole else _trimmed(text)
        lines.append(f"| `{name}` | {source} | {license_} | {'unmodified' if whole else 'ids, labels, match'} |")
    files["README.md"] = "\n".join(lines) + "\n"
    return files


def _describe(graph: Graph, node: URIRef, label: str, definition: str) -> None:
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    for prop in (SKOS.definition, IAO_DEFINITION):
        graph.add((node, prop, Literal(definition, lang="en")))


def add_selectors(graph: Graph, seeds: dict[str, str]) -> None:
    """Each document's SHA-256 and each quote's place in its document (see the module notes)."""
    graph.bind("oa", OA)
    for cls in (OA.TextQuoteSelector, OA.TextPositionSelector):
        graph.add((cls, RDF.type, OWL.Class))
    for prop in (OA.hasSelector, OA.exact, OA.prefix, OA.suffix, OA.start, OA.end):
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
    graph.add((MBC.textSha256, RDF.type, OWL.AnnotationProperty))
    _describe(graph, MBC.textSha256, "text SHA-256",
              "The SHA-256 of a source document's text (UTF-8, hexadecimal), to check a copy of it.")
    files = {doc: str(name) for doc, name in graph.subject_objects(DCTERMS.identifier)
             if (doc, RDF.type, MBC.SourceDocument) in graph}
    for doc, name in files.items():
        graph.add((doc, MBC.textSha256, Literal(hashlib.sha256(seeds[name].encode("utf-8")).hexdigest())))
    for evidence in sorted(graph.subjects(RDF.type, MBC.DocumentEvidence)):
        text, quote = seeds[files[graph.value(evidence, MBC.source)]], str(graph.value(evidence, MBC.quote))
        start = text.index(quote)  # the build has checked that the quote is there
        end = start + len(quote)
        key = str(evidence).rsplit("/", 1)[-1]
        by_quote, by_position = BNode(f"q{key}"), BNode(f"p{key}")
        graph.add((evidence, OA.hasSelector, by_quote))
        graph.add((by_quote, RDF.type, OA.TextQuoteSelector))
        graph.add((by_quote, OA.exact, Literal(quote)))
        graph.add((by_quote, OA.prefix, Literal(text[max(0, start - CONTEXT):start])))
        graph.add((by_quote, OA.suffix, Literal(text[end:end + CONTEXT])))
        graph.add((evidence, OA.hasSelector, by_position))
        graph.add((by_position, RDF.type, OA.TextPositionSelector))
        graph.add((by_position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        graph.add((by_position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
