"""The evidence behind many edges at once, for the details panels of a view.

:meth:`KnowledgeGraph.evidence` answers one edge per query, which is right for
one edge and far too slow for the hundreds a view shows. :class:`EvidenceIndex`
reads every evidence annotation in three queries and answers each edge from
memory, following the same rules: inverse relations are turned around, an
edge inherited from a superclass takes that superclass's evidence, an edge
made from an association takes the association's evidence and qualifier,
and ``subClassOf`` links take the evidence of the subclass axiom.

>>> index = EvidenceIndex(kg)
>>> brain, seizure = kg.concept("brain metastasis").iri, kg.concept("seizure").iri
>>> index.get(brain, "hasSymptom", seizure) == kg.evidence(brain, "hasSymptom", seizure)
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..evidence import Evidence, evidence_from_rows
from ..graph import SUBCLASS, SUPERCLASS
from ..namespaces import curie

#: The evidence items attached to every stated restriction
#: ``?asserted subClassOf [onProperty ?p; someValuesFrom ?o]``.
RESTRICTION_EVIDENCE = """SELECT ?asserted ?p ?o ?evidence WHERE {
  ?axiom owl:annotatedSource ?asserted ; owl:annotatedProperty rdfs:subClassOf ;
         owl:annotatedTarget ?r ; mbc:hasEvidence ?evidence .
  ?r owl:onProperty ?p ; owl:someValuesFrom ?o .
}"""

#: The evidence items attached to subclass axioms between named classes.
SUBCLASS_EVIDENCE = """SELECT ?asserted ?o ?evidence WHERE {
  ?axiom owl:annotatedSource ?asserted ; owl:annotatedProperty rdfs:subClassOf ;
         owl:annotatedTarget ?o ; mbc:hasEvidence ?evidence .
  FILTER(isIRI(?o))
}"""

#: The evidence items of the association each edge of the relation graph is made from.
ASSOCIATION_EVIDENCE = """SELECT ?s ?p ?o ?asserted ?evidence ?qualifier ?condition WHERE {
  ?edge rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; mbc:fromAssociation ?association .
  ?association mbc:associationSubject ?asserted ; mbc:frequencyQualifier/rdfs:label ?qualifier ;
               mbc:hasEvidence/mbc:premise? ?evidence .
  OPTIONAL { ?association mbc:condition ?condition }
}"""

#: Every evidence item: its kind, source document, the source's rating, and quote or note.
EVIDENCE_ITEMS = """SELECT ?evidence ?kind ?identifier ?title ?quote ?note ?rating WHERE {
  ?evidence a ?kind ; mbc:source ?source .
  VALUES ?kind { mbc:DocumentEvidence mbc:CuratedEvidence }
  ?source dcterms:identifier ?identifier ; dcterms:title ?title .
  OPTIONAL { ?source mbc:sourceRating/rdfs:label ?rating }
  OPTIONAL { ?evidence mbc:quote ?quote }
  OPTIONAL { ?evidence mbc:curationNote ?note }
}"""

#: Every stated restriction and association between named classes: the edges not inherited.
STATED_EDGES = """SELECT DISTINCT ?s ?p ?o WHERE {
  { ?s rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?o . }
  UNION
  { ?a mbc:associationSubject ?s ; mbc:associationPredicate ?p ; mbc:associationObject ?o . }
  FILTER(isIRI(?s) && isIRI(?o))
}"""

#: Direct superclasses between named classes.
PARENTS = "SELECT ?s ?o WHERE { ?s rdfs:subClassOf ?o FILTER(isIRI(?s) && isIRI(?o)) }"


def local_name(iri) -> str:
    """``https://w3id.org/mbc-graph/treatedBy`` -> ``treatedBy``."""
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class EvidenceIndex:
    """Evidence items by edge, read from the graph in a few queries.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to read. Nothing is read until first needed.

    Examples
    --------
    >>> index = EvidenceIndex(kg)
    >>> ("hasSymptom" in index.stated_relations, "suggests" in index.stated_relations)
    (True, False)
    """

    def __init__(self, kg) -> None:
        self.kg = kg

    @cached_property
    def stated_edges(self) -> set[tuple[str, str, str]]:
        """``(subject IRI, relation name, object IRI)`` of every stated restriction and association."""
        return {(str(r.s), local_name(r.p), str(r.o)) for r in self.kg.query(STATED_EDGES).rows}

    @cached_property
    def stated_relations(self) -> set[str]:
        """Relation names used in stated restrictions and associations (as opposed to their inverses)."""
        return {p for _, p, _ in self.stated_edges}

    @cached_property
    def _items(self) -> dict[str, dict]:
        """Evidence item IRI -> its fields (one query, joined here: much faster than in SPARQL)."""
        return {str(row.evidence): row.asdict() for row in self.kg.query(EVIDENCE_ITEMS).rows}

    def _rows(self, query: str, key) -> dict[tuple, list[_Row]]:
        table = defaultdict(list)
        for row in self.kg.query(query).rows:
            fields = self._items.get(str(row.evidence))
            if fields is not None:
                qualified = {name: value for name, value in row.asdict().items() if name in ("qualifier", "condition")}
                table[key(row)].append(_Row(asserted=row.asserted, **fields, **qualified))
        return table

    @cached_property
    def _association_rows(self) -> dict[tuple, list[_Row]]:
        return self._rows(ASSOCIATION_EVIDENCE, lambda r: (str(r.s), local_name(r.p), str(r.o)))

    @cached_property
    def _restriction_rows(self) -> dict[tuple, list[_Row]]:
        return self._rows(RESTRICTION_EVIDENCE, lambda r: (str(r.asserted), local_name(r.p), str(r.o)))

    @cached_property
    def _subclass_rows(self) -> dict[tuple, list[_Row]]:
        return self._rows(SUBCLASS_EVIDENCE, lambda r: (str(r.asserted), str(r.o)))

    @cached_property
    def _parents(self) -> dict[str, set[str]]:
        table = defaultdict(set)
        for row in self.kg.query(PARENTS).rows:
            table[str(row.s)].add(str(row.o))
        return table

    def ancestors(self, iri: str) -> list[str]:
        """``iri`` and every class above it, nearest first."""
        seen, queue = [str(iri)], [str(iri)]
        while queue:
            for parent in sorted(self._parents.get(queue.pop(0), ())):
                if parent not in seen:
                    seen.append(parent)
                    queue.append(parent)
        return seen

    def forward(self, subject: str, relation: str, obj: str) -> tuple[str, str, str]:
        """The edge as stated: an inverse relation is turned around.

        >>> s, o = "https://w3id.org/mbc-graph/Seizure", "https://w3id.org/mbc-graph/BrainMetastasis"
        >>> EvidenceIndex(kg).forward(s, "suggests", o)[1]
        'hasSymptom'
        """
        if relation == SUPERCLASS:
            return obj, SUBCLASS, subject
        if relation == SUBCLASS or relation in self.stated_relations:
            return subject, relation, obj
        inverse = getattr(self.kg.relations.get(relation), "inverse", None)
        if inverse in self.stated_relations:
            return obj, inverse, subject
        return subject, relation, obj

    def get(self, subject, relation: str, obj) -> list[Evidence]:
        """The evidence items of one edge, as :meth:`KnowledgeGraph.evidence` returns them.

        ``relation`` is a relation name (``hasSymptom``, ``suggests``,
        ``subClassOf``, ``hasSubclass``).
        """
        s, p, o = self.forward(str(subject), relation, str(obj))
        if p == SUBCLASS:
            rows = sorted(self._subclass_rows.get((s, o), []), key=lambda r: (str(r.identifier), str(r.quote or "")))
        else:
            rows = [row for a in self.ancestors(s) for row in self._restriction_rows.get((a, p, o), [])]
            rows += self._association_rows.get((s, p, o), [])
            rows.sort(key=lambda r: (str(r.asserted), str(r.identifier), str(r.quote or "")))
        return evidence_from_rows(_distinct(rows), self.label(s), self.label)

    def label(self, iri) -> str:
        """The label of a concept, or its CURIE."""
        concept = self.kg.concepts.get(str(iri))
        return concept.label if concept else curie(str(iri))


@dataclass(frozen=True)
class _Row:
    """One evidence item on one axiom, shaped like a row of the ``evidence`` query."""

    asserted: object
    evidence: object
    kind: object
    identifier: object
    title: object
    quote: object = None
    note: object = None
    rating: object = None
    qualifier: object = None
    condition: object = None

    def asdict(self) -> dict:
        return {name: value for name, value in vars(self).items() if value is not None}


def _distinct(rows: list) -> list:
    """Rows with the same evidence item and asserting class kept once."""
    seen, kept = set(), []
    for row in rows:
        key = (str(row.asserted), str(row.evidence))
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept
