"""The evidence behind every edge at once, for the views and the table exports.

:meth:`KnowledgeGraph.evidence` runs the named query ``evidence`` (or
``subclass_evidence``) with one edge bound. :class:`EvidenceIndex` runs the
same queries once with nothing bound and groups their rows by edge, so each
edge gets the rows, in the order, that its own query returns: the rule of
which evidence an edge has (inverse relations turned around, inherited edges
taking their superclass's evidence, associations their qualifier) is written
once, in those queries.

>>> index = EvidenceIndex(kg)
>>> brain, seizure = kg.concept("brain metastasis").iri, kg.concept("seizure").iri
>>> index.get(brain, "hasSymptom", seizure) == kg.evidence(brain, "hasSymptom", seizure)
True
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from weakref import WeakKeyDictionary

from .evidence import Evidence, evidence_from_rows
from .relations import SUBCLASS, SUPERCLASS
from .namespaces import curie

#: Every stated restriction and association between named classes: the edges not inherited.
STATED_EDGES = """SELECT DISTINCT ?s ?p ?o WHERE {
  { ?s rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?o . }
  UNION
  { ?a mbc:associationSubject ?s ; mbc:associationPredicate ?p ; mbc:associationObject ?o . }
  FILTER(isIRI(?s) && isIRI(?o))
}"""


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
    def _edge_rows(self) -> dict[tuple[str, str, str], list]:
        """The rows of the ``evidence`` query by ``(subject, relation name, object)``, in query order."""
        table = defaultdict(list)
        for row in self.kg.named("evidence").rows:
            table[str(row.s), local_name(row.p), str(row.o)].append(row)
        return table

    @cached_property
    def _subclass_rows(self) -> dict[tuple[str, str], list]:
        """The rows of the ``subclass_evidence`` query by ``(subclass, superclass)``, in query order."""
        table = defaultdict(list)
        for row in self.kg.named("subclass_evidence").rows:
            table[str(row.asserted), str(row.o)].append(row)
        return table

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
        rows = self._subclass_rows.get((s, o), []) if p == SUBCLASS else self._edge_rows.get((s, p, o), [])
        return evidence_from_rows(rows, self.label(s), self.label)

    def label(self, iri) -> str:
        """The label of a concept, or its CURIE."""
        concept = self.kg.concepts.get(str(iri))
        return concept.label if concept else curie(str(iri))


_INDEXES: WeakKeyDictionary = WeakKeyDictionary()


def evidence_index(kg) -> EvidenceIndex:
    """The :class:`EvidenceIndex` of ``kg``, built once per graph (a loaded graph does not change),
    so each view and table export does not read all the evidence again.

    >>> evidence_index(kg) is evidence_index(kg)
    True
    """
    index = _INDEXES.get(kg)
    if index is None:
        index = _INDEXES[kg] = EvidenceIndex(kg)
    return index
