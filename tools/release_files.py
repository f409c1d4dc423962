"""The release files written beside ontology/mbc.ttl (called by build_ontology.py).

* ``mbc.owl``: the whole ontology as RDF/XML written by owlready2, which
  owlready2 and pronto both read (rdflib's RDF/XML is not read by pronto);
* ``mbc.obo``: the classes and relations in OBO 1.4, ids ``mbc:X``
  (``idspace: mbc``); evidence, claims and documents stay in the OWL files;
* ``mbc.json``: the same as an OBO Graphs document;
* ``mbc.sssom.tsv``: the mappings to other ontologies, in SSSOM, with
  their license.

Each is a pure function of the built graph, so ``--check`` can tell a stale
file by regenerating it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from obo_annotations import DEFINITION, MBC, OBOINOWL, SYNONYM

FILES = ("mbc.owl", "mbc.obo", "mbc.json", "mbc.sssom.tsv")
TERM_REPLACED_BY = URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
NOTICE = "Educational content, not medical advice."


@dataclass
class Term:
    """What the OBO formats say about one class or relation."""

    iri: str
    label: str
    definition: str | None = None
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (scope, text)
    xrefs: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    relationships: list[tuple[str, str]] = field(default_factory=list)  # (property IRI, target IRI)
    disjoint: list[str] = field(default_factory=list)
    comment: str | None = None
    deprecated: bool = False
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)
    inverse: str | None = None

    @property
    def id(self) -> str:
        return "mbc:" + self.iri[len(str(MBC)):]


def _one(graph: Graph, node, predicate) -> str | None:
    values = sorted(str(v) for v in graph.objects(node, predicate))
    return values[0] if values else None


def _sorted(values) -> list[str]:
    return sorted(str(v) for v in values)


def terms(graph: Graph, kind: URIRef) -> list[Term]:
    """The named entities of ``kind`` (``owl:Class`` or ``owl:ObjectProperty``) in the mbc namespace, by IRI."""
    disjoint: dict[str, set[str]] = {}
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [str(m) for m in graph.items(graph.value(group, OWL.members))]
        for member in members:
            disjoint.setdefault(member, set()).update(m for m in members if m != member)
    found = []
    for node in sorted(set(graph.subjects(RDF.type, kind)), key=str):
        if not isinstance(node, URIRef) or not str(node).startswith(str(MBC)) or graph.value(node, RDFS.label) is None:
            continue
        term = Term(str(node), _one(graph, node, RDFS.label) or "", _one(graph, node, DEFINITION),
                    comment=_one(graph, node, RDFS.comment), inverse=_one(graph, node, OWL.inverseOf))
        term.synonyms = sorted((scope, str(text)) for scope, prop in SYNONYM.items()
                               for text in graph.objects(node, prop))
        term.xrefs = _sorted(graph.objects(node, OBOINOWL.hasDbXref))
        term.deprecated = any(v.toPython() is True for v in graph.objects(node, OWL.deprecated) if isinstance(v, Literal))
        term.replaced_by = _sorted(graph.objects(node, TERM_REPLACED_BY))
        term.consider = _sorted(graph.objects(node, OBOINOWL.consider))
        term.disjoint = sorted(disjoint.get(str(node), ()))
        for parent in graph.objects(node, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                term.parents.append(str(parent))
            elif isinstance(parent, BNode) and (parent, RDF.type, OWL.Restriction) in graph:
                prop, target = graph.value(parent, OWL.onProperty), graph.value(parent, OWL.someValuesFrom)
                if isinstance(target, URIRef):
                    term.relationships.append((str(prop), str(target)))
        term.parents.sort()
        term.relationships.sort()
        found.append(term)
    return found


def header(graph: Graph) -> dict[str, str]:
    """The ontology's IRI, version IRI, version, title, description and license."""
    onto = next(graph.subjects(RDF.type, OWL.Ontology))
    return {"iri": str(onto), "version_iri": _one(graph, onto, OWL.versionIRI) or "",
            "version": _one(graph, onto, OWL.versionInfo) or "", "title": _one(graph, onto, DCTERMS.title) or "",
            "description": _one(graph, onto, DCTERMS.description) or "", "license": _one(graph, onto, DCTERMS.license) or ""}


# -- OWL (RDF/XML) --------------------------------------------------------------------------
def owl_rdfxml(graph: Graph) -> str:
    """RDF/XML as owlready2 writes it, from sorted N-Triples (the same graph gives the same text)."""
    import owlready2

    ntriples = "\n".join(sorted(graph.serialize(format="nt").splitlines())) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "mbc.nt", Path(tmp) / "mbc.owl"
        source.write_text(ntriples, encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(source.as_uri()).load()
        world.get_ontology(header(graph)["iri"]).save(str(target), format="rdfxml")
        return target.read_text(encoding="utf-8")


# -- OBO 1.4 -----------------------------------------------------------------------------------
def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _id(iri: str) -> str:
    return "mbc:" + iri[len(str(MBC)):] if iri.startswith(str(MBC)) else iri


def obo(graph: Graph) -> str:
    """The classes and object properties as an OBO 1.4 document."""
    meta = header(graph)
    lines = [
        "format-version: 1.4",
        f"data-version: {meta['version_iri']}",
        f"idspace: mbc {MBC} \"MBC Graph\"",
        "ontology: mbc",
        f"property_value: http://purl.org/dc/terms/title {_quote(meta['title'])} xsd:string",
        f"property_value: http://purl.org/dc/terms/license {_quote(meta['license'])} xsd:anyURI",
        f"property_value: owl:versionInfo {_quote(meta['version'])} xsd:string",
        f"remark: {NOTICE} Generated by tools/build_ontology.py from ontology/src; evidence, claims and "
        "source documents are in mbc.owl and mbc.ttl.",
        "",
    ]
    for term in terms(graph, OWL.Class):
        lines += ["[Term]", f"id: {term.id}", f"name: {term.label}"]
        if term.definition:
            lines.append(f"def: {_quote(term.definition)} []")
        if term.comment:
            lines.append(f"comment: {term.comment}".replace("\n", " "))
        lines += [f"synonym: {_quote(text)} {scope.upper()} []" for scope, text in term.synonyms]
        lines += [f"xref: {xref}" for xref in term.xrefs]
        lines += [f"is_a: {_id(parent)}" for parent in term.parents]
        lines += [f"disjoint_from: {_id(other)}" for other in term.disjoint]
        lines += [f"relationship: {_id(prop)} {_id(target)}" for prop, target in term.relationships]
        if term.deprecated:
            lines.append("is_obsolete: true")
        lines += [f"replaced_by: {_id(other)}" for other in term.replaced_by]
        lines += [f"consider: {_id(other)}" for other in term.consider]
        lines.append("")
    for prop in terms(graph, OWL.ObjectProperty):
        lines += ["[Typedef]", f"id: {prop.id}", f"name: {prop.label}"]
        if prop.definition:
            lines.append(f"def: {_quote(prop.definition)} []")
        if prop.inverse:
            lines.append(f"inverse_of: {_id(prop.inverse)}")
        lines.append("")
    return "\n".join(lines)


# -- OBO Graphs JSON ------------------------------------------------------------------------------
def _node_meta(term: Term) -> dict:
    meta: dict = {}
    if term.definition:
        meta["definition"] = {"val": term.definition}
    if term.synonyms:
        meta["synonyms"] = [{"pred": f"has{scope.capitalize()}Synonym", "val": text} for scope, text in term.synonyms]
    if term.xrefs:
        meta["xrefs"] = [{"val": xref} for xref in term.xrefs]
    if term.comment:
        meta["comments"] = [term.comment]
    if term.deprecated:
        meta["deprecated"] = True
    return meta


def obographs(graph: Graph) -> str:
    """The classes, object properties and their links as an OBO Graphs JSON document."""
    meta = header(graph)
    classes, properties = terms(graph, OWL.Class), terms(graph, OWL.ObjectProperty)
    nodes = [{"id": t.iri, "lbl": t.label, "type": "CLASS", "meta": _node_meta(t)} for t in classes]
    nodes += [{"id": t.iri, "lbl": t.label, "type": "PROPERTY", "meta": _node_meta(t)} for t in properties]
    edges = [{"sub": t.iri, "pred": "is_a", "obj": parent} for t in classes for parent in t.parents]
    edges += [{"sub": t.iri, "pred": prop, "obj": target} for t in classes for prop, target in t.relationships]
    document = {"graphs": [{
        "id": meta["iri"],
        "meta": {"version": meta["version_iri"], "basicPropertyValues": [
            {"pred": str(DCTERMS.title), "val": meta["title"]},
            {"pred": str(DCTERMS.license), "val": meta["license"]},
            {"pred": str(RDFS.comment), "val": NOTICE},
            {"pred": str(OWL.versionInfo), "val": meta["version"]},
        ]},
        "nodes": [{k: v for k, v in node.items() if v} for node in nodes],
        "edges": edges,
    }]}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


# -- SSSOM ----------------------------------------------------------------------------------------
def mappings(graph: Graph, xref_iri: dict[str, str]) -> list[dict[str, str]]:
    """Each ``skos:*Match`` of a class as an SSSOM row, with the target's label from the reference data."""
    labels = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        label = graph.value(axiom, MBC.xrefLabel)
        if label is not None:
            labels[(str(graph.value(axiom, OWL.annotatedSource)), str(graph.value(axiom, OWL.annotatedProperty)),
                    str(graph.value(axiom, OWL.annotatedTarget)))] = str(label)
    rows = []
    for match in MATCHES:
        for subject, target in graph.subject_objects(SKOS[match]):
            curie = next((f"{p}:{str(target)[len(b):]}" for p, b in xref_iri.items() if str(target).startswith(b)), None)
            if curie is None:
                continue
            rows.append({
                "subject_id": _id(str(subject)), "subject_label": str(graph.value(subject, RDFS.label)),
                "predicate_id": f"skos:{match}", "object_id": curie,
                "object_label": labels.get((str(subject), str(SKOS[match]), str(target)), ""),
                "mapping_justification": "semapv:ManualMappingCuration", "comment": "",
            })
    return sorted(rows, key=lambda r: (r["subject_id"], r["object_id"]))


def derived_mappings(graph: Graph) -> list[dict[str, str]]:
    """Each derived code (``mbc:derivedXref``, see tools/clinical_codes.py) as an SSSOM row with its chain."""
    rows = []
    for axiom in graph.subjects(OWL.annotatedProperty, MBC.derivedXref):
        subject, code = graph.value(axiom, OWL.annotatedSource), str(graph.value(axiom, OWL.annotatedTarget))
        via = str(graph.value(axiom, MBC.derivedVia))
        rows.append({
            "subject_id": _id(str(subject)), "subject_label": str(graph.value(subject, RDFS.label)),
            "predicate_id": "oboInOwl:hasDbXref", "object_id": code, "object_label": "",
            "mapping_justification": "semapv:MappingChaining",
            "comment": f"chained: {_id(str(subject))} skos:exactMatch {via}, whose row in the reference data "
                       f"lists {code}; not asserted as the same concept",
        })
    return sorted(rows, key=lambda r: (r["subject_id"], r["object_id"], r["comment"]))


def sssom(graph: Graph, xref_iri: dict[str, str]) -> str:
    """The mappings as an SSSOM/TSV document with its metadata block."""
    meta = header(graph)
    import bioregistry

    rows = mappings(graph, xref_iri) + derived_mappings(graph)
    prefixes = sorted({row["object_id"].split(":", 1)[0] for row in rows})
    curie_map = {"mbc": str(MBC), "semapv": "https://w3id.org/semapv/vocab/", "skos": str(SKOS),
                 "oboInOwl": str(OBOINOWL),
                 **{prefix: xref_iri.get(prefix) or bioregistry.get_uri_prefix(prefix) for prefix in prefixes}}
    block = [
        "curie_map:",
        *(f"  {prefix}: {json.dumps(base)}" for prefix, base in sorted(curie_map.items())),  # JSON strings are YAML
        f"mapping_set_id: {meta['version_iri']}mbc.sssom.tsv",
        f"mapping_set_version: {meta['version']}",
        f"mapping_set_title: {meta['title']} mappings",
        f"mapping_set_description: Mappings of the MBC Graph classes to reference ontologies, each checked against "
        f"the reference data's id and label (semapv:ManualMappingCuration); and clinical codes derived through "
        f"exact mappings to DOID and MONDO (semapv:MappingChaining, oboInOwl:hasDbXref, never exactMatch). {NOTICE}",
        f"license: {meta['license']}",
        "creator_label:",
        "  - The mbc-graph developers",
    ]
    columns = list(rows[0]) if rows else []
    lines = ["# " + line for line in block] + ["\t".join(columns)]
    lines += ["\t".join(row[c] for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def render_all(graph: Graph, xref_iri: dict[str, str]) -> dict[str, str]:
    """Every release file's name and text."""
    return {"mbc.owl": owl_rdfxml(graph), "mbc.obo": obo(graph), "mbc.json": obographs(graph),
            "mbc.sssom.tsv": sssom(graph, xref_iri)}
