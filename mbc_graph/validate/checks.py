"""The QC checks that run the SPARQL of ``mbc_graph/sparql/qc_*.rq``: labels and
definitions, the ontology header, structure (domains, ranges, categories,
disjointness, cycles, evidence), claims and widely inherited associations.

Each check runs named queries through :meth:`KnowledgeGraph.named`, so it
works on every store, and adds what it finds to a :class:`Findings`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..infrastructure import INFRASTRUCTURE_CLASSES
from ..namespaces import MBC, ONTOLOGY_GRAPH, curie
from ..search import normalize
from .report import MAX_INHERITING_SUBCLASSES, Findings, term_name

if TYPE_CHECKING:
    from ..core import GraphCore

#: The infrastructure classes (:mod:`mbc_graph.infrastructure`) as IRIs: not
#: domain content, so they need no category or cross-reference (they still
#: need a label and a definition).
INFRASTRUCTURE = frozenset(MBC[name] for name in INFRASTRUCTURE_CLASSES)
_DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty,
                 OWL.NamedIndividual, OWL.Ontology)


def named_rows(kg: GraphCore, name: str, **bindings: object) -> list[Any]:
    """The rows of the named query ``name`` (``mbc_graph/sparql/NAME.rq``).

    Typed ``Any``: a column is a ``Node`` or ``None`` in general, but each
    check knows what its query binds (an IRI, a literal).
    """
    return kg.named(name, bindings).rows


def entity_kinds(kg: GraphCore) -> dict[URIRef, str]:
    """Each class and property of the mbc namespace, with its kind (``qc_entities``)."""
    entities: dict[URIRef, str] = {}
    for row in named_rows(kg, "qc_entities"):
        # a class that is also typed as a property is reported as a class
        if entities.get(row.entity) != "class":
            entities[row.entity] = str(row.kind)
    return entities


def check_texts(kg: GraphCore, found: Findings, entities: dict[URIRef, str]) -> None:
    """Labels, definitions and synonyms of the classes and properties in ``entities``."""
    found.ran("missing_label", "multiple_labels", "label_not_english", "duplicate_label", "label_whitespace",
              "missing_definition", "multiple_definitions", "duplicate_definition", "annotation_whitespace",
              "lowercase_definition", "definition_punctuation", "ambiguous_synonym", "shared_synonym")
    values: dict[URIRef, dict[str, list[Literal]]] = {e: defaultdict(list) for e in entities}
    for row in named_rows(kg, "qc_texts"):
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


def check_header(kg: GraphCore, found: Findings) -> None:
    """The ontology header (``owl:Ontology`` in the ontology graph) and its required annotations."""
    found.ran("missing_ontology_header", *_HEADER)
    present: dict[URIRef, set[str]] = defaultdict(set)
    for row in named_rows(kg, "qc_header", graph=ONTOLOGY_GRAPH):
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


def check_structure(kg: GraphCore, found: Findings, entities: dict[URIRef, str], data: Graph) -> None:
    """Declarations, domains and ranges, categories, disjointness, cycles and the evidence of each assertion."""
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
    for row in named_rows(kg, "qc_property_axioms"):
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
    for row in named_rows(kg, "qc_parents"):
        parents[row["class"]].add(row.parent)
    obsolete = {row["class"] for row in named_rows(kg, "qc_obsolete")}
    classes = [e for e, kind in entities.items() if kind == "class" and e not in obsolete]
    for cls in classes:
        parents.setdefault(cls, set())
    ancestors = _ancestors(parents)
    for cls in sorted(parents):
        if any(cls in _reachable(parents, parent) for parent in parents[cls]):
            found.add("subclass_cycle", cls, f"{curie(str(cls))} is its own ancestor: the classes on the cycle "
                      "are all equivalent.")
    categories = {row.category for row in named_rows(kg, "qc_categories")}
    disjoint: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in named_rows(kg, "qc_disjoint"):
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
    for row in named_rows(kg, "qc_axiom_evidence"):
        evidence[(row.source, row.property, row.target)].add(row.evidence)
    restrictions = sorted(named_rows(kg, "qc_restrictions"),
                          key=lambda r: (str(r["class"]), str(r.property), str(r.filler)))
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


def check_claims(kg: GraphCore, found: Findings) -> None:
    """Claims whose status is Conflicting must name what they conflict with."""
    found.ran("conflict_without_partner")
    partners: dict[URIRef, set] = defaultdict(set)
    statuses: dict[URIRef, set] = defaultdict(set)
    for row in named_rows(kg, "qc_claims"):
        partners[row.claim]
        if row.other is not None:
            partners[row.claim].add(row.other)
        if row.status is not None:
            statuses[row.claim].add(row.status)
    for claim in sorted(partners):
        if MBC.Conflicting in statuses[claim] and not partners[claim]:
            found.add("conflict_without_partner", claim, f"{curie(str(claim))} is Conflicting but names no claim "
                      "it conflicts with (mbc:conflictsWith).")


def check_inherited(kg: GraphCore, found: Findings) -> None:
    """Associations that an inherited relation carries to many subclasses of their subject."""
    found.ran("widely_inherited")
    for row in sorted(named_rows(kg, "qc_inherited"), key=lambda r: str(r.association)):
        count = int(row.subclasses)
        if count > MAX_INHERITING_SUBCLASSES:
            subject = curie(str(row.subject))
            statement = " ".join(term_name(t) for t in (row.subject, row.predicate, row.object) if t is not None)
            found.add("widely_inherited", row.association, f"{curie(str(row.association))} ({statement}) is "
                      f"inherited by {count} subclasses of {subject}: check that it holds for each of them.")


def _names(terms: Iterable) -> str:
    return ", ".join(sorted(term_name(t) if isinstance(t, URIRef) else "an anonymous class" for t in terms))


