"""The graph's core: a store and what queries over it answer (concepts, relations, evidence, paths).

:class:`GraphCore` holds everything :class:`~mbc_graph.KnowledgeGraph`
does except the views (export, visualization, publishing, validation),
which are built on it: the modules of those views take a ``GraphCore``,
so they need not import the facade that offers them as methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Unpack

from rdflib import URIRef
from rdflib.graph import ReadOnlyGraphAggregate

from . import corpus as _corpus
from . import paths as _paths
from .bindings import merged_bindings, query_base
from .concepts import Concept, ConceptIndex
from .corpus import Corpus, claims_from_rows
from .errors import MBCGraphError, QueryFailed, UnknownRelation
from .evidence import Claim, Evidence, evidence_from_rows, explain_edge
from .namespaces import MBC, PREFIXES, RELATION_GRAPH, curie
from .options import HelperOptions, Limits, checked, shows
from .qualifiers import EdgeFilter, qualifiers_of_edges
from .queries import bind, check_query, named_query, selects_all
from .query_text import text_for_both_engines
from .relations import (PSEUDO_LABELS, SUPERCLASS, Relation, multigraph, pseudo_relation, relation_key,
                        relation_table, relations_by_key)
from .results import QueryResult, sorted_columns
from .search import Match
from .stores import Store
from .workers import bounded_query


@dataclass(frozen=True)
class PathResult:
    """A path as ``(source IRI, relation, target IRI)`` steps and its explanation."""

    steps: list
    text: str

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.steps)


class GraphCore:
    """The MBC knowledge graph without its views: use :class:`mbc_graph.KnowledgeGraph`.

    Every method that takes a concept accepts a label, synonym, CURIE,
    xref, IRI or :class:`Concept`.
    """

    def __init__(self, store: Store, sources: Sequence[Path]) -> None:
        self.store = store
        self.sources = list(sources)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store={self.store.name!r} triples={len(self.store)} concepts={len(self.concepts)}>"

    # -- raw access ---------------------------------------------------------------
    @property
    def graph(self):
        """The data as a read-only rdflib graph.

        On the memory store this is the live data. On the Oxigraph store it
        is a copy, made on first use and then kept in memory (with a large
        cohort loaded it is as big as the memory store would be). Use
        :meth:`query` for SPARQL; this is for rdflib tools that want a Graph.
        """
        data = self.store.rdflib_graph()
        return ReadOnlyGraphAggregate(list(data.graphs()) if hasattr(data, "graphs") else [data])

    def query(self, sparql: str, /, bindings: dict | None = None, *, base: str | None = None,
              timeout: float | None = None, max_memory: int | None = None, **legacy_bindings) -> QueryResult:
        """Run a read-only SPARQL query; ``bindings`` maps variable names to values.

        The prefixes ``mbc rdf rdfs owl skos dcterms xsd oboInOwl obo`` are
        predeclared. Values are bound, never pasted into the text. Relative
        IRIs resolve against the query's BASE, else ``base``, else
        :data:`~mbc_graph.namespaces.QUERY_BASE`. Binding with keyword
        arguments (``c=...``) is deprecated.

        ``timeout`` (seconds) and ``max_memory`` (bytes) run the query in a
        worker process that is stopped when it overruns either, raising
        :class:`~mbc_graph.errors.QueryTimeout` or
        :class:`~mbc_graph.errors.QueryTooLarge` (see :mod:`mbc_graph.workers`).
        Without them the query runs in this process: trusted queries only.

        >>> rows = kg.query("SELECT ?label WHERE { ?c rdfs:label ?label }", {"c": kg.concept("liver").iri})
        >>> str(rows.values()[0])
        'liver'
        """
        bindings = merged_bindings(bindings, legacy_bindings)
        if timeout is not None or max_memory is not None:
            return bounded_query(self, sparql, bindings, base=base, timeout=timeout, max_memory=max_memory)
        sparql = text_for_both_engines(sparql)  # the text the check reads is the text the store runs
        kind = check_query(sparql)
        terms = bind(sparql, bindings)
        try:
            outcome = self.store.execute(sparql, terms, PREFIXES, base=query_base(base))
        except MBCGraphError:
            raise
        except Exception as exc:  # whatever the engine raises, callers catch one error type
            raise QueryFailed(f"The query could not be run: {exc}") from exc
        return QueryResult(sorted_columns(outcome) if selects_all(sparql) else outcome, kind)

    def named(self, name: str, /, bindings: Mapping[str, object] | None = None, *, timeout: float | None = None,
              max_memory: int | None = None, **legacy_bindings) -> QueryResult:
        """Run one of the shipped named queries (``mbc_graph/sparql/NAME.rq``); options as :meth:`query`."""
        return self.query(named_query(name), merged_bindings(bindings, legacy_bindings),
                          timeout=timeout, max_memory=max_memory)

    # -- concepts -------------------------------------------------------------------
    @cached_property
    def concepts(self) -> ConceptIndex:
        """Every domain class, indexed by IRI and by every name."""
        return ConceptIndex(self.named("concept_names").rows)

    def concept(self, text: str | Concept | URIRef) -> Concept:
        """Resolve a label, synonym, CURIE, xref or IRI (any case or punctuation).

        >>> kg.concept("HER2+ breast cancer").label
        'HER2-positive breast cancer'
        >>> kg.concept("DOID:1612").curie
        'mbc:BreastCancer'
        >>> kg.concept("ICD10CM:C50.911").curie  # a derived code, through its ICD-10-CM parent C50
        'mbc:BreastCancer'
        """
        return self.concepts.resolve(text)

    def concepts_for_codes(self, codes: Iterable[str]) -> dict[str, list[Concept]]:
        """The concepts each clinical code names, e.g. from patient records; ``[]`` for an unknown code.

        ICD-10-CM codes match through their parents (``C50.911`` → ``C50``);
        the codes are those DOID and MONDO list for the terms the ontology maps
        to exactly (see :mod:`mbc_graph.codes`).

        >>> kg.concepts_for_codes(["ICD10CM:C50.911", "ICD10CM:C78.7"])
        {'ICD10CM:C50.911': [Concept(mbc:BreastCancer, 'breast cancer', category='disease')], 'ICD10CM:C78.7': []}
        """
        return {code: self.concepts.for_code(code) for code in codes}

    def search(self, text: str, limit: int = 10, *, kinds: str | Iterable[str] = "concept") -> list[tuple[Any, float]]:
        """Rank concepts (and, with ``kinds``, claims and quotes) by how well they match ``text``.

        Tolerates typos and word order; prefers whole words and labels; drops
        hits below :data:`mbc_graph.search.SCORE_CUTOFF`. ``kinds`` is
        ``"concept"``, ``"claim"``, ``"quote"`` or several of them. Returns
        ``(item, score)`` pairs, best first: items are a :class:`Concept`, a
        :class:`Claim` or an :class:`Evidence` (a quote and its document).

        Examples
        --------
        >>> kg.search("short of breath")[0][0].label
        'dyspnea'
        >>> kg.search("incurable", kinds=["claim"])[0][0].topic
        'curability'
        """
        return _corpus.search(text, limit, kinds, self.concepts, lambda: self._corpus)

    def search_matches(self, text: str, limit: int = 10) -> list[Match]:
        """Like :meth:`search`, with the name that matched."""
        return self.concepts.search(text, limit)

    def _concepts(self, result: QueryResult) -> list[Concept]:
        return self.concepts.by_label(result.values())

    def _iri(self, concept) -> URIRef:
        return self.concept(concept).iri

    # -- relations --------------------------------------------------------------------
    @cached_property
    def relations(self) -> dict[str, Relation]:
        """The edge types, by name (``hasSymptom``), read from the ontology."""
        return relation_table(self.named("relations").rows)

    def relation_name(self, name: str) -> str:
        """The edge key for a relation given by name, CURIE or label.

        Besides the ontology's relations, ``"subClassOf"`` / ``"is a"`` and
        ``"hasSubclass"`` / ``"has subclass"`` name the subclass links.

        >>> kg.relation_name("has subclass"), kg.relation_name("mbc:hasSymptom")
        ('hasSubclass', 'hasSymptom')
        """
        return pseudo_relation(str(name)) or self.relation(name).name

    def relation_label(self, name: str) -> str:
        """The readable label of a relation (``"is a"`` for subclass links)."""
        key = self.relation_name(name)
        return PSEUDO_LABELS.get(key) or self.relations[key].label

    def relation(self, name: str) -> Relation:
        """Resolve a relation by name, CURIE or label (``"has symptom"``)."""
        found = self._relations_by_key.get(relation_key(str(name).rsplit("/", 1)[-1].split(":")[-1]))
        if found is None:
            raise UnknownRelation(str(name), list(self.relations))
        return found

    @cached_property
    def _relations_by_key(self) -> dict[str, Relation]:
        """Relations by normalised name and label; the first relation (by name) wins a shared key."""
        return relations_by_key(self.relations)

    # -- domain helpers ------------------------------------------------------------------
    # Each helper keeps only the answers whose edge passes the filters of mbc_graph.qualifiers
    # (mbc_graph.options.EdgeFilters); ``timeout=``/``max_memory=`` bound the query as in :meth:`query`.
    @shows(HelperOptions)
    def symptoms_of(self, site_or_disease, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Symptoms of a metastasis, a disease, or a body site (via its metastases).

        >>> "jaundice" in [c.label for c in kg.symptoms_of("liver")]
        True
        >>> "fatigue" in [c.label for c in kg.symptoms_of("lung", exclude_sources=["003"])]
        False
        """
        return self._answers("symptoms_of", {"x": self._iri(site_or_disease)}, options)

    @shows(HelperOptions)
    def sites_suggested_by(self, symptom, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Body sites whose metastases a symptom points to."""
        return self._answers("sites_suggested_by", {"symptom": self._iri(symptom)}, options)

    @shows(HelperOptions)
    def diagnostics_for(self, thing, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Tests that detect a disease, metastasis or symptom, or look at a site."""
        return self._answers("diagnostics_for", {"x": self._iri(thing)}, options)

    @shows(HelperOptions)
    def therapies_for(self, thing, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Therapy classes (with subclasses) and named drugs for a subtype, disease, metastasis, symptom or site."""
        return self._answers("therapies_for", {"x": self._iri(thing)}, options)

    @shows(HelperOptions)
    def targets_of(self, therapy, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Biomarkers a therapy class (with its subclasses and drugs) or a drug (with its classes) acts on."""
        return self._answers("targets_of", {"therapy": self._iri(therapy)}, options)

    @shows(HelperOptions)
    def risk_factors(self, disease=None, **options: Unpack[HelperOptions]) -> list[Concept]:
        """Risk factors for a disease, or all of them."""
        bindings = {} if disease is None else {"disease": self._iri(disease)}
        return self._answers("risk_factors", bindings, options)

    def _answers(self, name: str, bindings: dict, options: HelperOptions) -> list[Concept]:
        """The concepts a helper's named query finds, keeping only answers whose edge passes the filters."""
        checked(dict(options), HelperOptions)
        edge_filter = EdgeFilter.of(options.get("qualifiers"), options.get("exclude_sources"), options.get("min_rating"))
        result = self.named(name, bindings, timeout=options.get("timeout"), max_memory=options.get("max_memory"))
        if not edge_filter.active:
            return self._concepts(result)
        return self.concepts.by_label(edge_filter.answers(result.rows, self.evidence))

    def subclasses(self, root, **limits: Unpack[Limits]) -> list[Concept]:
        """The classes below ``root`` at any depth."""
        return self._concepts(self.named("subclasses_of", {"root": self._iri(root)}, **checked(dict(limits), Limits)))

    def subtypes(self) -> list[Concept]:
        """The breast cancer subtypes."""
        return self.subclasses(MBC.BreastCancerSubtype)

    def stages(self) -> list[Concept]:
        """The breast cancer stages."""
        return self.subclasses(MBC.Stage)

    def claims(self, *, status: str | None = None, about=None, topic: str | None = None) -> list[Claim]:
        """Claims kept with their status; filter by status (any case), concept or topic.

        ``topic`` is matched as :meth:`search` matches, against each claim's
        topic and statement (see :meth:`claim_topics`).

        >>> {c.status for c in kg.claims(status="conflicting")}
        {'conflicting'}
        """
        bindings = {}
        if status is not None:
            if status.casefold() not in ("supported", "conflicting", "contradicted", "misleading"):
                raise ValueError("status must be 'supported', 'conflicting', 'contradicted' or 'misleading'")
            bindings["status"] = MBC[status.casefold().capitalize()]
        on_topic = None if topic is None else self._corpus.claims_on(topic)
        wanted = None if about is None else str(self._iri(about))
        return claims_from_rows(self.named("claims", bindings).rows, self._claim_evidence, self._label,
                                about=wanted, on_topic=on_topic)

    def _claim_evidence(self, claim: str) -> list[Evidence]:
        return evidence_from_rows(self.named("claim_evidence", {"claim": URIRef(claim)}).rows, None, self._label)

    def claim_topics(self) -> list[str]:
        """The topics claims are filed under, sorted (for ``claims(topic=...)``)."""
        return self._corpus.topics()

    @cached_property
    def _corpus(self) -> Corpus:
        return Corpus.of(self.claims(), self.named("quotes").rows)

    def _label(self, iri) -> str:
        concept = self.concepts.get(str(iri))
        return concept.label if concept else curie(str(iri))

    # -- evidence -----------------------------------------------------------------------
    def evidence(self, subject, relation, obj) -> list[Evidence]:
        """The evidence items behind the edge ``subject --relation--> obj``.

        Inverse relations (``suggests``) and inherited edges are followed to
        the axiom that states them. ``relation`` may also be ``"subClassOf"``
        (``"is a"``) or ``"hasSubclass"``, for subclass axioms taken from a
        document.

        >>> items = kg.evidence("brain metastasis", "has symptom", "seizure")
        >>> sorted({e.source for e in items})[0]
        '001_c125eb9c1db86d14.txt'
        """
        s, o = self.concept(subject), self.concept(obj)
        name = self.relation_name(relation)
        if name in PSEUDO_LABELS:
            if name == SUPERCLASS:
                s, o = o, s
            rows = self.named("subclass_evidence", {"s": s.iri, "o": o.iri}).rows
            return evidence_from_rows(rows, s.label, self._label)
        rel = self.relation(relation)
        forward = rel
        if rel.name not in self._forward_names and rel.inverse:  # stated the other way round
            forward, s, o = self.relations[rel.inverse], o, s
        rows = self.named("evidence", {"s": s.iri, "p": forward.iri, "o": o.iri}).rows
        return evidence_from_rows(rows, s.label, self._label)

    @cached_property
    def _forward_names(self) -> set[str]:
        """Relations as stated in the ontology (as opposed to their inverses)."""
        stated = self.query("SELECT DISTINCT ?p WHERE { { ?r owl:onProperty ?p } UNION { ?a mbc:associationPredicate ?p } }").values()
        return {str(p).rsplit("/", 1)[-1] for p in stated}

    def explain(self, subject, relation, obj) -> str:
        """The edge, how often it holds, and its sources as readable text.

        An inverse edge (``suggests``, ``treats``) has no frequency of its
        own: the qualifier shown is the stated edge's, and says so.
        """
        items = self.evidence(subject, relation, obj)
        s, o, name = self.concept(subject).label, self.concept(obj).label, self.relation_name(relation)
        inverse = None if name in PSEUDO_LABELS or name in self._forward_names else self.relations[name].inverse
        forward = f"{o} {self.relation_label(inverse)} {s}" if inverse else None
        return explain_edge(s, self.relation_label(relation), o, items, stated_as=forward)

    # -- networkx ------------------------------------------------------------------------
    def to_networkx(self):
        """The relation graph as a :class:`networkx.MultiDiGraph` (a fresh copy).

        Nodes are concept IRIs (strings) with ``label``, ``category`` and
        ``curie``; edge keys are relation names, with ``label``,
        ``qualifier`` (``"always"`` for an axiom) and ``condition`` attributes.
        Subclass links appear as ``subClassOf``/``hasSubclass`` edges
        (category roots left out, so they do not short-circuit paths).
        """
        return self._networkx.copy()

    @cached_property
    def _networkx(self):
        edges = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": RELATION_GRAPH}).rows
        return multigraph(self.concepts, self.relations, ((str(r.s), str(r.p), str(r.o)) for r in edges),
                          qualifiers_of_edges(self))

    def _relation_names(self, relations: str | Iterable[str] | None) -> list[str] | None:
        if relations is None:
            return None
        return [self.relation_name(r) for r in ([relations] if isinstance(relations, str) else relations)]

    def path(self, source, target, *, relations: str | Iterable[str] | None = None) -> PathResult:
        """The shortest path between two concepts, explained step by step.

        >>> print(kg.path("triple-negative", "PD-L1"))  # doctest: +ELLIPSIS
        triple-negative breast cancer --treated by--> immune checkpoint inhibitor therapy --selected by--> PD-L1
        """
        s, t = self.concept(source), self.concept(target)
        steps = _paths.shortest_path(self._networkx, str(s.iri), str(t.iri), relations=self._relation_names(relations))
        return PathResult(steps, _paths.explain(self._networkx, steps) or s.label)

    def paths(self, source, target, max_length: int = 4, *, relations: str | Iterable[str] | None = None,
              limit: int = 100) -> list[PathResult]:
        """Simple paths of at most ``max_length`` steps (capped at 8), shortest first."""
        s, t = self.concept(source), self.concept(target)
        found = _paths.simple_paths(self._networkx, str(s.iri), str(t.iri), max_length,
                                    relations=self._relation_names(relations), limit=limit)
        return [PathResult(steps, _paths.explain(self._networkx, steps)) for steps in found]

    def neighborhood(self, concept, radius: int = 1, *, relations: str | Iterable[str] | None = None):
        """The networkx subgraph within ``radius`` steps of a concept."""
        return _paths.neighborhood(self._networkx, str(self.concept(concept).iri), radius,
                                   relations=self._relation_names(relations))
