"""Build ontology/mbc.ttl and its release files from the curation files in ontology/src/.

The curation files are compact YAML tables (in the spirit of ROBOT templates):
one row per class, per assertion and per claim. This script checks them
against the source documents and the reference extracts, then writes the OWL
ontology with every assertion as an existential restriction carrying its
evidence as an OWL axiom annotation.

Usage::

    python tools/build_ontology.py            # rewrite ontology/mbc.ttl, .owl, .obo, .json, .sssom.tsv
    python tools/build_ontology.py --check    # exit 1 if any of them is stale

The release files (tools/release_files.py) and the OBO annotations
(tools/obo_annotations.py) have their own modules.

It needs ../shared/seeds and ../shared/reference (or --shared DIR): a quote
that is not verbatim in its document, or a cross-reference that is not in
the reference data, stops the build with a message naming the row.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml  # type: ignore[import-untyped]
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from mbc_graph import __version__
from mbc_graph.files import write_text_atomically
from mbc_graph.infrastructure import INFRASTRUCTURE_CLASSES
from mbc_graph.validate import load_reference

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules, however this file is loaded
import release_files  # noqa: E402
from clinical_codes import add_derived_codes  # noqa: E402
from provenance import add_selectors, reference_files  # noqa: E402
from obo_annotations import ONTOLOGY_IRI, version_iri  # noqa: E402
from obo_annotations import annotate as add_obo_annotations  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "ontology" / "src"
OUT = ROOT / "ontology" / "mbc.ttl"

MBC = Namespace("https://w3id.org/mbc-graph/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
OBO = "http://purl.obolibrary.org/obo/"
# OBO's obsoletion vocabulary (IAO:0100001 is "term replaced by").
TERM_REPLACED_BY = URIRef(OBO + "IAO_0100001")

# How a CURIE prefix from ../shared/reference becomes an IRI.
XREF_IRI = {
    "DOID": OBO + "DOID_",
    "MONDO": OBO + "MONDO_",
    "HP": OBO + "HP_",
    "UBERON": OBO + "UBERON_",
    "MAXO": OBO + "MAXO_",
    "CHEBI": OBO + "CHEBI_",
    "NCIT": OBO + "NCIT_",
    "HGNC": "http://identifiers.org/hgnc/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
}
MATCH_PREDICATE = {
    "exact": SKOS.exactMatch,
    "close": SKOS.closeMatch,
    "broad": SKOS.broadMatch,
    "narrow": SKOS.narrowMatch,
    "related": SKOS.relatedMatch,
}
SOURCE_RATINGS = {
    "high": ("HighRating", "A source the curators found accurate and careful throughout."),
    "medium": ("MediumRating", "A source that is mostly accurate, with some statements the curators do not rely on alone."),
    "low": ("LowRating", "A source with medically wrong statements; an assertion resting on it alone is shown as such."),
}
# A record of a curated reference resource (DrugBank, HGNC) is rated like a
# careful document: the curators read it for one plain fact, such as a drug class.
REFERENCE_RECORD_RATING = "high"
CLAIM_STATUSES = {
    "supported": "The claim agrees with the other sources and with current medical understanding.",
    "conflicting": "Sources disagree on the claim; each version is kept with its source.",
    "contradicted": "The claim is medically wrong; it is recorded, not asserted.",
    "misleading": "The claim is partly true but misleading as worded (overstated, or true only in part); it is recorded, not asserted.",
}

ANNOTATION_PROPERTIES = {
    "hasEvidence": ("has evidence", "Links an axiom or a claim to an evidence item that supports it."),
    "source": ("source", "Links an evidence item to the document or reference record it comes from."),
    "quote": ("quote", "The verbatim sentence or list item from the source document."),
    "curationNote": ("curation note", "Why a curator drew the assertion from a reference record."),
    "premise": ("premise", "Links a combined evidence item to one of the quoted evidence items it combines."),
    "inferenceStep": ("inference step", "The plain step that joins the premises of a combined evidence item into the statement they support."),
    "about": ("about", "Links a claim to a class it is about."),
    "claimStatus": ("claim status", "Links a claim to its status."),
    "statusNote": ("status note", "Why a claim has its status."),
    "conflictsWith": ("conflicts with", "Links two claims that cannot both be true."),
    "topic": ("topic", "What a claim is about, in a few words."),
    "categoryKey": ("category key", "The short name of a category root, used by the library for colours and filters."),
    "patientLabel": ("patient-friendly label", "A name for the class in the everyday words patients use."),
    "sourceQuality": ("source quality", "The curators' judgement of how far a source document can be trusted."),
    "xrefLabel": ("cross-reference label", "The label of a cross-referenced term, as given in the reference data."),
    "associationSubject": ("association subject", "Links an association to the class it is about (the subject of its relation)."),
    "associationPredicate": ("association predicate", "Links an association to the relation (object property) it states."),
    "associationObject": ("association object", "Links an association to the class its relation points to."),
    "frequencyQualifier": ("frequency qualifier", "Links an association to how often, or when, its sources say it holds."),
    "condition": ("condition", "When an association applies, in the words of its source."),
    "inheritedBySubclasses": ("inherited by subclasses", "True for a relation whose associations the library also applies to the subclasses of their subject."),
    "fromAssociation": ("from association", "Links a statement of the relation graph (an edge) to the association it is materialized from."),
    "sourceRating": ("source rating", "The curators' ordinal rating of a source: high, medium or low."),
    # Patient data: the values are IRIs of ontology classes (codes), not individuals.
    "patientSubtype": ("patient subtype", "Links a patient to the breast cancer subtype class that codes their disease."),
    "patientMetastasis": ("patient metastasis", "Links a patient to a metastasis class coding a site their cancer has spread to."),
    "patientSymptom": ("patient symptom", "Links a patient to a symptom class coding a symptom they have."),
    "patientDiagnostic": ("patient diagnostic", "Links a patient to a diagnostic procedure class coding a test they had."),
    "patientTherapy": ("patient therapy", "Links a patient to a therapy or drug class coding a treatment they received."),
    "therapyCourse": ("therapy course", "Links a patient to one of their therapy courses."),
    "courseTherapy": ("course therapy", "Links a therapy course to the therapy or drug class given in it."),
    "diagnosisDate": ("diagnosis date", "The date a patient's breast cancer was diagnosed."),
    "startDate": ("start date", "The date a therapy course started."),
}


# Annotation properties from other vocabularies that the ontology uses.
EXTERNAL_ANNOTATION_PROPERTIES = (
    SKOS.definition, SKOS.altLabel, *MATCH_PREDICATE.values(), OBOINOWL.hasDbXref,
    OBOINOWL.hasBroadSynonym, OBOINOWL.hasRelatedSynonym,
    TERM_REPLACED_BY, OBOINOWL.consider,
    DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.rights, DCTERMS.identifier,
)


class BuildError(Exception):
    """A curation row that cannot be turned into the ontology."""


#: How often or when an association holds, as written in the curation files
#: (``qualifier:``), with its individual, definition and, where HPO has one,
#: the related HPO frequency term. What holds for every instance is an axiom.
FREQUENCIES = {
    "often": ("Often", "The sources say it often or commonly holds.", "HP:0040282"),
    "sometimes": ("Sometimes", "The sources say it can, may or sometimes holds.", "HP:0040283"),
    "rarely": ("Rarely", "The sources say it rarely holds.", "HP:0040284"),
    "in selected cases": ("InSelectedCases", "The sources say it holds in selected cases only, often under a condition.", None),
    "not stated": ("NotStated", "The sources state it without saying how often it holds; it is not known to hold always.", None),
}
QUALIFIERS = tuple(FREQUENCIES)


def check_statement_kind(row: dict, where: str) -> None:
    """Each assertion row is either an axiom (``axiom: true``) or a qualified association."""
    axiom, qualifier = row.get("axiom"), row.get("qualifier")
    if axiom not in (None, True):
        raise BuildError(f"{where}: 'axiom' is 'true' or absent, not {axiom!r}")
    if (axiom is True) == (qualifier is not None):
        raise BuildError(f"{where}: give either 'axiom: true' (holds for every instance) or a 'qualifier' (one of {', '.join(QUALIFIERS)})")
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise BuildError(f"{where}: qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    if axiom and "condition" in row:
        raise BuildError(f"{where}: an axiom holds without conditions; make it an association to give a condition")
    if row.get("p") == "subClassOf" and not axiom:
        raise BuildError(f"{where}: a subClassOf row is always an axiom")
    condition = row.get("condition")
    if condition is not None and (not isinstance(condition, str) or not condition.strip()):
        raise BuildError(f"{where}: condition must be a non-empty string")


@dataclass
class Context:
    seeds: dict[str, str]            # file name -> text
    documents: dict[str, dict]       # key -> document row
    reference: dict[str, dict]       # CURIE -> reference row
    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    obsolete: set[str] = field(default_factory=set)


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def read_sources() -> tuple[list[dict], dict[str, dict]]:
    files = sorted(SRC.glob("*.yaml"))
    docs = yaml.safe_load((SRC / "sources.yaml").read_text(encoding="utf-8"))["documents"]
    return [yaml.safe_load(f.read_text(encoding="utf-8")) | {"_file": f.name} for f in files], {
        d["key"]: d for d in docs
    }


class Builder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.g = Graph()
        for prefix, ns in {"mbc": MBC, "owl": OWL, "rdfs": RDFS, "skos": SKOS, "dcterms": DCTERMS,
                           "oboInOwl": OBOINOWL, "obo": Namespace(OBO), "xsd": XSD}.items():
            self.g.bind(prefix, ns)

    # -- primitives ---------------------------------------------------------
    def iri(self, local: str, where: str) -> URIRef:
        if local in self.ctx.obsolete:
            raise BuildError(f"{where}: {local!r} is obsolete; use its successor")
        if local not in self.ctx.classes | self.ctx.properties | self.ctx.claims:
            raise BuildError(f"{where}: unknown name {local!r}")
        return MBC[local]

    def evidence_nodes(self, items: list[dict], where: str) -> list[URIRef]:
        if not items:
            raise BuildError(f"{where}: an assertion needs at least one evidence item")
        nodes = []
        for item in items:
            if "curated" in item:
                nodes.append(self.curated_evidence(item, where))
            elif "combined" in item:
                nodes.append(self.combined_evidence(item, where))
            else:
                nodes.append(self.document_evidence(item, where))
        return nodes

    def document_evidence(self, item: dict, where: str) -> URIRef:
        doc = self.ctx.documents.get(str(item.get("doc")))
        if doc is None:
            raise BuildError(f"{where}: unknown document {item.get('doc')!r}")
        quote = item.get("quote") or ""
        if quote.strip() != quote or not quote:
            raise BuildError(f"{where}: quote must be non-empty with no surrounding spaces: {quote!r}")
        if quote not in self.ctx.seeds[doc["file"]]:
            raise BuildError(f"{where}: quote not verbatim in {doc['file']}: {quote!r}")
        node = MBC[f"ev_{doc['key']}_{_digest(doc['key'], quote)}"]
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, MBC.DocumentEvidence))
        self.g.add((node, MBC.source, MBC[f"doc_{doc['key']}"]))
        self.g.add((node, MBC.quote, Literal(quote)))
        return node

    def combined_evidence(self, item: dict, where: str) -> URIRef:
        """Two or more quotes that support a statement together, through a plain
        step the curator writes down (``step``); no single quote makes it."""
        premises, step = item.get("combined") or [], item.get("step") or ""
        if len(premises) < 2 or not step:
            raise BuildError(f"{where}: combined evidence needs at least two quotes and the step between them: {item}")
        nodes = [self.document_evidence(premise, where) for premise in premises]
        node = MBC[f"ev_comb_{_digest(step, *map(str, nodes))}"]
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, MBC.CombinedEvidence))
        self.g.add((node, MBC.inferenceStep, Literal(step, lang="en")))
        for premise in nodes:
            self.g.add((node, MBC.premise, premise))
        return node

    def curated_evidence(self, item: dict, where: str) -> URIRef:
        curie, note = item["curated"], item.get("note", "")
        row = self.ctx.reference.get(curie)
        if row is None or not note:
            raise BuildError(f"{where}: curated evidence needs a reference id present in ../shared/reference and a note: {item}")
        record = MBC["ref_" + curie.replace(":", "_")]
        self.g.add((record, RDF.type, OWL.NamedIndividual))
        self.g.add((record, RDF.type, MBC.ReferenceRecord))
        self.g.add((record, DCTERMS.identifier, Literal(curie)))
        self.g.add((record, DCTERMS.title, Literal(f"{row['file'].split('.')[0]} record {curie}: {row['label']}")))
        self.g.add((record, MBC.sourceRating, MBC[SOURCE_RATINGS[REFERENCE_RECORD_RATING][0]]))
        node = MBC[f"ev_cur_{_digest(curie, note)}"]
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, MBC.CuratedEvidence))
        self.g.add((node, MBC.source, record))
        self.g.add((node, MBC.curationNote, Literal(note)))
        return node

    def annotate(self, s, p, o, evidence: list[URIRef], key: str) -> None:
        axiom = BNode("a" + key)
        self.g.add((axiom, RDF.type, OWL.Axiom))
        self.g.add((axiom, OWL.annotatedSource, s))
        self.g.add((axiom, OWL.annotatedProperty, p))
        self.g.add((axiom, OWL.annotatedTarget, o))
        for node in evidence:
            self.g.add((axiom, MBC.hasEvidence, node))

    def describe(self, node: URIRef, label: str, definition: str) -> None:
        self.g.add((node, RDFS.label, Literal(label, lang="en")))
        self.g.add((node, SKOS.definition, Literal(definition, lang="en")))

    def rdf_list(self, key: str, items: list) -> URIRef | BNode:
        """An rdf:List whose cells have stable ids, so the output is reproducible."""
        head: URIRef | BNode = RDF.nil
        rest: URIRef | BNode = RDF.nil
        for i, item in reversed(list(enumerate(items))):
            head = BNode(f"l{key}{i}")
            self.g.add((head, RDF.first, item))
            self.g.add((head, RDF.rest, rest))
            rest = head
        return head

    def union(self, names, where: str, key: str):
        names = [names] if isinstance(names, str) else names
        if len(names) == 1:
            return self.iri(names[0], where)
        node, items = BNode("u" + key), [self.iri(n, where) for n in names]
        self.g.add((node, RDF.type, OWL.Class))
        self.g.add((node, OWL.unionOf, self.rdf_list(key, items)))
        return node

    # -- sections -----------------------------------------------------------
    def header(self, meta: dict) -> None:
        onto = URIRef(ONTOLOGY_IRI)  # the package's version is the ontology's
        g = self.g
        g.add((onto, RDF.type, OWL.Ontology))
        g.add((onto, OWL.versionIRI, URIRef(version_iri(__version__))))
        g.add((onto, OWL.versionInfo, Literal(__version__)))
        g.add((onto, DCTERMS.title, Literal(meta["title"], lang="en")))
        g.add((onto, DCTERMS.description, Literal(meta["description"], lang="en")))
        g.add((onto, DCTERMS.license, URIRef(meta["license"])))
        g.add((onto, DCTERMS.creator, Literal(meta["creator"])))
        g.add((onto, DCTERMS.rights, Literal(meta["rights"], lang="en")))
        # Declare the external annotation properties too, so OWL tools (OWL API,
        # ROBOT, HermiT via owlready2) read them as annotations, not guess.
        for prop in EXTERNAL_ANNOTATION_PROPERTIES:
            g.add((prop, RDF.type, OWL.AnnotationProperty))
        for local, (label, definition) in ANNOTATION_PROPERTIES.items():
            g.add((MBC[local], RDF.type, OWL.AnnotationProperty))
            self.describe(MBC[local], label, definition)
        for local, (label, definition) in INFRASTRUCTURE_CLASSES.items():
            g.add((MBC[local], RDF.type, OWL.Class))
            self.describe(MBC[local], label, definition)
        for sub in ("DocumentEvidence", "CuratedEvidence", "CombinedEvidence"):
            g.add((MBC[sub], RDFS.subClassOf, MBC.Evidence))
        for key, (local, definition, hpo) in FREQUENCIES.items():
            node = MBC[local]
            g.add((node, RDF.type, OWL.NamedIndividual))
            g.add((node, RDF.type, MBC.FrequencyQualifier))
            self.describe(node, key, definition)
            if hpo:
                self.xref(node, hpo, "related", f"frequency {key}")
        for key, (local, definition) in SOURCE_RATINGS.items():
            g.add((MBC[local], RDF.type, OWL.NamedIndividual))
            g.add((MBC[local], RDF.type, MBC.SourceRating))
            self.describe(MBC[local], key, definition)
        for key, definition in CLAIM_STATUSES.items():
            status = MBC[key.capitalize()]
            g.add((status, RDF.type, OWL.NamedIndividual))
            g.add((status, RDF.type, MBC.ClaimStatus))
            self.describe(status, key, definition)

    def documents(self) -> None:
        for doc in self.ctx.documents.values():
            node = MBC[f"doc_{doc['key']}"]
            self.g.add((node, RDF.type, OWL.NamedIndividual))
            self.g.add((node, RDF.type, MBC.SourceDocument))
            self.g.add((node, DCTERMS.identifier, Literal(doc["file"])))
            self.g.add((node, DCTERMS.title, Literal(doc["title"])))
            self.g.add((node, RDFS.label, Literal(f"{doc['file']}: {doc['title']}")))
            self.g.add((node, MBC.sourceQuality, Literal(doc["quality"].strip(), lang="en")))
            if doc.get("rating") not in SOURCE_RATINGS:
                raise BuildError(f"document {doc['key']}: rating must be one of {', '.join(SOURCE_RATINGS)}")
            self.g.add((node, MBC.sourceRating, MBC[SOURCE_RATINGS[doc["rating"]][0]]))

    def categories(self, categories: list[dict]) -> None:
        roots = []
        for cat in categories:
            node = MBC[cat["id"]]
            self.g.add((node, RDF.type, OWL.Class))
            self.describe(node, cat["label"], cat["definition"])
            self.g.add((node, MBC.categoryKey, Literal(cat["key"])))
            if "parent" in cat:
                self.g.add((node, RDFS.subClassOf, self.iri(cat["parent"], cat["id"])))
            else:
                roots.append(node)
        disjoint = BNode("disjointCategories")
        self.g.add((disjoint, RDF.type, OWL.AllDisjointClasses))
        self.g.add((disjoint, OWL.members, self.rdf_list("disjointCategories", roots)))

    def relations(self, relations: list[dict]) -> None:
        for rel in relations:
            where = f"relation {rel['id']}"
            prop, inverse = MBC[rel["id"]], MBC[rel["inverse"]["id"]]
            # A union is a blank node; each use gets its own (OWL 2 DL does
            # not allow one anonymous class expression to be shared).
            domain = self.union(rel["domain"], where, "d" + rel["id"])
            range_ = self.union(rel["range"], where, "r" + rel["id"])
            inverse_domain = self.union(rel["range"], where, "d" + rel["inverse"]["id"])
            inverse_range = self.union(rel["domain"], where, "r" + rel["inverse"]["id"])
            for node, label, definition, dom, rng in (
                (prop, rel["label"], rel["definition"], domain, range_),
                (inverse, rel["inverse"]["label"], f"The inverse of '{rel['label']}'.", inverse_domain, inverse_range),
            ):
                self.g.add((node, RDF.type, OWL.ObjectProperty))
                self.describe(node, label, definition)
                self.g.add((node, RDFS.domain, dom))
                self.g.add((node, RDFS.range, rng))
            self.g.add((prop, OWL.inverseOf, inverse))
            if not isinstance(rel.get("inherited"), bool):
                raise BuildError(f"{where}: 'inherited' (true or false) says whether its associations reach subclasses of the subject")
            self.g.add((prop, MBC.inheritedBySubclasses, Literal(rel["inherited"])))

    def domain_class(self, row: dict, where: str) -> None:
        node = MBC[row["id"]]
        self.g.add((node, RDF.type, OWL.Class))
        self.describe(node, row["label"], row["definition"])
        for parent in row.get("parents") or []:
            self.g.add((node, RDFS.subClassOf, self.iri(parent, where)))
        for synonym in row.get("synonyms") or []:
            self.g.add((node, SKOS.altLabel, Literal(synonym, lang="en")))
        # Names the sources use for something broader or merely related: kept,
        # but not as exact synonyms, so a lookup by them does not land here.
        for key, prop in (("broad_synonyms", OBOINOWL.hasBroadSynonym), ("related_synonyms", OBOINOWL.hasRelatedSynonym)):
            for synonym in row.get(key) or []:
                self.g.add((node, prop, Literal(synonym, lang="en")))
        if row.get("patient_label"):
            self.g.add((node, MBC.patientLabel, Literal(row["patient_label"], lang="en")))
        if row.get("comment"):
            self.g.add((node, RDFS.comment, Literal(row["comment"], lang="en")))
        for curie, match in (row.get("xrefs") or {}).items():
            self.xref(node, curie, match, where)

    def xref(self, node: URIRef, curie: str, match: str, where: str) -> None:
        ref = self.ctx.reference.get(curie)
        if ref is None:
            raise BuildError(f"{where}: {curie} is not in ../shared/reference")
        if match not in MATCH_PREDICATE:
            raise BuildError(f"{where}: {curie}: match must be one of {sorted(MATCH_PREDICATE)}")
        if match == "exact" and ref.get("match") != "exact":
            raise BuildError(f"{where}: {curie} is '{ref.get('match')}' in the reference data, not exact")
        prefix, local = curie.split(":", 1)
        target = URIRef(XREF_IRI[prefix] + local)
        predicate = MATCH_PREDICATE[match]
        self.g.add((node, predicate, target))
        self.g.add((node, OBOINOWL.hasDbXref, Literal(curie)))
        axiom = BNode("x" + _digest(str(node), curie))
        self.g.add((axiom, RDF.type, OWL.Axiom))
        self.g.add((axiom, OWL.annotatedSource, node))
        self.g.add((axiom, OWL.annotatedProperty, predicate))
        self.g.add((axiom, OWL.annotatedTarget, target))
        self.g.add((axiom, MBC.xrefLabel, Literal(ref["label"])))

    def assertion(self, row: dict, where: str) -> None:
        check_statement_kind(row, where)
        s = self.iri(row["s"], where)
        o = self.iri(row["o"], where)
        evidence = self.evidence_nodes(row.get("evidence") or [], where)
        key = _digest(row["s"], row["p"], row["o"])
        if row["p"] == "subClassOf":
            self.g.add((s, RDFS.subClassOf, o))
            self.annotate(s, RDFS.subClassOf, o, evidence, key)
            return
        p = self.iri(row["p"], where)
        if not row.get("axiom"):
            self.association(row, s, p, o, evidence, where)
            return
        restriction = BNode("r" + key)
        self.g.add((restriction, RDF.type, OWL.Restriction))
        self.g.add((restriction, OWL.onProperty, p))
        self.g.add((restriction, OWL.someValuesFrom, o))
        self.g.add((s, RDFS.subClassOf, restriction))
        self.annotate(s, RDFS.subClassOf, restriction, evidence, key)

    def disjoint(self, row: dict, where: str) -> None:
        """Classes no individual can belong to two of: a pair becomes
        owl:disjointWith, a longer list owl:AllDisjointClasses."""
        names = row["classes"]
        if len(names) < 2:
            raise BuildError(f"{where}: a disjointness row needs at least two classes")
        members = [self.iri(name, where) for name in names]
        if len(members) == 2:
            self.g.add((members[0], OWL.disjointWith, members[1]))
            return
        key = "dj" + _digest(*names)
        node = BNode(key)
        self.g.add((node, RDF.type, OWL.AllDisjointClasses))
        self.g.add((node, OWL.members, self.rdf_list(key, members)))

    def association(self, row: dict, s: URIRef, p: URIRef, o: URIRef, evidence: list[URIRef], where: str) -> None:
        """An annotation-level association node (the Biolink/OBAN pattern), which reasoners ignore."""
        node = MBC[f"assoc_{row['s']}_{row['p']}_{row['o']}"]
        if (node, RDF.type, MBC.Association) in self.g:
            raise BuildError(f"{where}: the same association is stated twice")
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, MBC.Association))
        self.g.add((node, MBC.associationSubject, s))
        self.g.add((node, MBC.associationPredicate, p))
        self.g.add((node, MBC.associationObject, o))
        self.g.add((node, MBC.frequencyQualifier, MBC[FREQUENCIES[row["qualifier"]][0]]))
        if row.get("condition"):
            self.g.add((node, MBC.condition, Literal(row["condition"], lang="en")))
        for item in evidence:
            self.g.add((node, MBC.hasEvidence, item))

    def obsolete(self, row: dict, where: str) -> None:
        """A class from an earlier release kept resolvable: deprecated, pointing to its successors."""
        node = MBC[row["id"]]
        successors = ([row["replaced_by"]] if row.get("replaced_by") else []) + list(row.get("consider") or [])
        if not successors:
            raise BuildError(f"{where}: an obsolete class needs 'replaced_by' or 'consider'")
        if any(name in self.ctx.obsolete for name in successors):
            raise BuildError(f"{where}: a successor must not be obsolete itself")
        self.g.add((node, RDF.type, OWL.Class))
        self.describe(node, f"obsolete {row['label']}", row["reason"])
        self.g.add((node, OWL.deprecated, Literal(True)))
        if row.get("deprecated_in"):
            self.g.add((node, RDFS.comment, Literal(f"Made obsolete in release {row['deprecated_in']}.", lang="en")))
        if row.get("replaced_by"):
            self.g.add((node, TERM_REPLACED_BY, self.iri(row["replaced_by"], where)))
        for other in row.get("consider") or []:
            self.g.add((node, OBOINOWL.consider, self.iri(other, where)))

    def claim(self, row: dict, where: str) -> None:
        node = MBC[row["id"]]
        status = row["status"]
        if status not in CLAIM_STATUSES:
            raise BuildError(f"{where}: status must be one of {sorted(CLAIM_STATUSES)}")
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, MBC.Claim))
        self.g.add((node, RDFS.label, Literal(row["statement"], lang="en")))
        self.g.add((node, MBC.topic, Literal(row["topic"], lang="en")))
        self.g.add((node, MBC.claimStatus, MBC[status.capitalize()]))
        self.g.add((node, MBC.statusNote, Literal(row["status_note"], lang="en")))
        for about in row["about"]:
            self.g.add((node, MBC.about, self.iri(about, where)))
        # Two claims that cannot both be true conflict with each other, so the
        # link is written both ways.
        for other in row.get("conflicts_with") or []:
            self.g.add((node, MBC.conflictsWith, self.iri(other, where)))
            self.g.add((self.iri(other, where), MBC.conflictsWith, node))
        for ev in self.evidence_nodes(row.get("evidence") or [], where):
            self.g.add((node, MBC.hasEvidence, ev))


def build(shared: Path) -> Graph:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (shared / "seeds").glob("*.txt")}
    files, documents = read_sources()
    meta = next(f for f in files if f["_file"] == "metagraph.yaml")
    content = [f for f in files if f["_file"] not in ("metagraph.yaml", "sources.yaml")]
    ctx = Context(seeds=seeds, documents=documents, reference=load_reference(shared / "reference"))

    ctx.classes = {c["id"] for c in meta["categories"]} | set(INFRASTRUCTURE_CLASSES)
    ctx.properties = {r["id"] for r in meta["relations"]} | {r["inverse"]["id"] for r in meta["relations"]}
    for f in content:
        for row in f.get("classes") or []:
            if row["id"] in ctx.classes:
                raise BuildError(f"{f['_file']}: class {row['id']} is defined twice")
            ctx.classes.add(row["id"])
        ctx.claims |= {row["id"] for row in f.get("claims") or []}
        for row in f.get("obsolete") or []:
            if row["id"] in ctx.classes | ctx.obsolete:
                raise BuildError(f"{f['_file']}: obsolete class {row['id']} is also defined elsewhere")
            ctx.obsolete.add(row["id"])

    b = Builder(ctx)
    b.header(meta["ontology"])
    b.documents()
    b.categories(meta["categories"])
    b.relations(meta["relations"])
    for f in content:
        for row in f.get("classes") or []:
            b.domain_class(row, f"{f['_file']}: class {row['id']}")
        for i, row in enumerate(f.get("assertions") or []):
            b.assertion(row, f"{f['_file']}: assertion {i + 1} ({row.get('s')} {row.get('p')} {row.get('o')})")
        for row in f.get("claims") or []:
            b.claim(row, f"{f['_file']}: claim {row['id']}")
        for row in f.get("disjoint") or []:
            b.disjoint(row, f"{f['_file']}: disjoint {row.get('classes')}")
        for row in f.get("obsolete") or []:
            b.obsolete(row, f"{f['_file']}: obsolete {row['id']}")
    add_obo_annotations(b.g, ctx.reference, XREF_IRI)
    add_derived_codes(b.g, ctx.reference, XREF_IRI)
    add_selectors(b.g, seeds)
    return b.g


HEADER = (
    "# mbc-graph ontology. GENERATED by tools/build_ontology.py from ontology/src/*.yaml:\n"
    "# edit those files and run `make ontology`, do not edit this file by hand.\n"
)


def render(graph: Graph) -> str:
    return HEADER + graph.serialize(format="turtle")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true", help="fail if ontology/mbc.ttl or a release file is out of date")
    args = parser.parse_args(argv)
    for folder in ("seeds", "reference"):
        if not (args.shared / folder).is_dir():
            print(f"build_ontology: error: {args.shared / folder} not found (pass --shared DIR)", file=sys.stderr)
            return 1
    try:
        graph = build(args.shared)
    except KeyError as exc:
        print(f"build_ontology: error: a curation row lacks the field {exc}", file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"build_ontology: error: {exc}", file=sys.stderr)
        return 1
    outputs = {OUT: render(graph)} | {OUT.parent / name: text
                                      for name, text in release_files.render_all(graph, XREF_IRI).items()}
    outputs |= {OUT.parent / "reference" / name: text
                for name, text in reference_files(args.shared / "reference").items()}
    stale = [path for path, text in outputs.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"build_ontology: {path.relative_to(ROOT)} is out of date; run `make ontology`", file=sys.stderr)
        return 1 if stale else 0
    for path in outputs:
        if path in stale:
            path.parent.mkdir(exist_ok=True)
            write_text_atomically(path, outputs[path])
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            print(f"{path.relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
