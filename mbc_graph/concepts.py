"""Concepts: the ontology's classes as plain Python objects, and name lookup."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from .caching import text_cache
from .codes import CodeIndex
from .errors import ConceptAmbiguous, ConceptNotFound
from .namespaces import MBC, OBOINOWL, curie
from .name_index import NameIndex
from .search import Match, normalize


@dataclass(frozen=True)
class Concept:
    """A class of the ontology, with everything needed to show or explain it.

    ``xrefs`` maps a CURIE (``"DOID:1612"``) to its match type (``"exactMatch"``,
    ``"closeMatch"``, ...); ``parents`` holds CURIEs of the direct superclasses.
    """

    iri: URIRef
    label: str
    category: str | None = None
    definition: str | None = None
    synonyms: tuple[str, ...] = ()
    xrefs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    parents: tuple[str, ...] = ()
    #: Clinical codes derived through the exact DOID/MONDO mappings (``icd10cm:C50``...); see :mod:`mbc_graph.codes`.
    codes: tuple[str, ...] = ()

    @property
    def curie(self) -> str:
        """The short name, e.g. ``mbc:BoneMetastasis``."""
        return curie(str(self.iri))

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Concept({self.curie}, {self.label!r}, category={self.category!r})"


_FIELDS = {
    str(RDFS.label): "label",
    str(SKOS.altLabel): "synonym",
    str(MBC.patientLabel): "synonym",
    str(OBOINOWL.hasDbXref): "xref",
    str(SKOS.definition): "definition",
    str(MBC.categoryKey): "category",
    str(RDFS.subClassOf): "parent",
    str(MBC.derivedXref): "code",
    **{str(SKOS[m]): m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")},
}
_MATCHES = ("exactMatch", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch")
# How well a name names a concept, best first: its label, CURIE or IRI; its local
# name; a synonym; then a code, ranked by the mapping that states it (a code
# with no SKOS mapping last). Among concepts sharing a name, the best rank wins.
_LABEL, _LOCAL_NAME, _SYNONYM, _CODE = 0, 1, 2, 3
_DERIVED = _CODE + len(_MATCHES) + 1  # a code derived through a mapped term's own xrefs


class ConceptIndex:
    """Every domain class by IRI, and a lookup table from every name to IRIs.

    Built once from the ``(class, predicate, object)`` rows of the
    ``concept_names`` query.
    """

    def __init__(self, rows) -> None:
        fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for iri, predicate, value in rows:
            kind = _FIELDS.get(str(predicate))
            entry = fields[str(iri)]  # every class, even one with no name but its IRI
            if kind and not (kind == "parent" and not isinstance(value, URIRef)):
                entry[kind].append(str(value))
        self._fields = fields
        # The ontology's classes have labels; a user's class is a concept with or without one.
        self.concepts: dict[str, Concept] = {iri: self._concept(iri) for iri, f in fields.items()
                                             if f.get("label") or not iri.startswith(str(MBC))}
        self.names: list[tuple[str, str]] = []
        entries: list[tuple[str, str, bool]] = []  # (iri, name, is the label)
        ranks: dict[str, dict[str, int]] = defaultdict(dict)  # name -> {iri: how well it names it}
        for iri, concept in self.concepts.items():
            f = fields[iri]
            names = [(concept.label, _LABEL), (concept.curie, _LABEL), (iri, _LABEL), (_local_name(iri), _LOCAL_NAME)]
            names += [(name, _SYNONYM) for name in f.get("synonym", [])]
            names += [(code, _CODE + _MATCHES.index(concept.xrefs[code]) if code in concept.xrefs else _CODE + len(_MATCHES))
                      for code in f.get("xref", [])]
            for name, rank in names:
                by_iri = ranks[normalize(name)]
                by_iri[iri] = min(rank, by_iri.get(iri, rank))
            self.names += [(iri, name) for name in (concept.label, *f.get("synonym", []))]
            entries += [(iri, concept.label, True), *((iri, name, False) for name in f.get("synonym", []))]
        self._ranks = dict(ranks)
        #: The concepts each normalised name names, best match first.
        self._lookup: dict[str, list[str]] = {key: sorted(r, key=lambda iri: (r[iri], iri)) for key, r in ranks.items()}
        self.name_index = NameIndex({iri: (c.label, c.category, c.curie) for iri, c in self.concepts.items()},
                                    entries, self._lookup)
        self.codes = CodeIndex((iri, code) for iri, c in self.concepts.items() for code in c.codes)
        by_label = sorted(self.concepts.values(), key=lambda c: (c.label.casefold(), str(c.iri)))
        self._rank = {str(c.iri): i for i, c in enumerate(by_label)}
        # Programs resolve the same few names again and again; normalising one costs microseconds.
        self._resolve_name = text_cache(4096)(self._lookup_name)

    def _category(self, iri: str) -> str | None:
        """The key of the nearest category root above ``iri`` (breadth first, so a
        subtype that is also a breast cancer is a subtype, not a disease)."""
        level, seen = [iri], {iri}
        while level:
            for node in level:
                keys = self._fields.get(node, {}).get("category")
                if keys:
                    return keys[0]
            level = sorted({p for node in level for p in self._fields.get(node, {}).get("parent", []) if p not in seen})
            seen.update(level)
        return None

    def _concept(self, iri: str) -> Concept:
        f = self._fields[iri]
        xrefs = {}
        for match in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"):
            for target in f.get(match, []):
                xrefs[_xref_curie(target)] = match
        return Concept(
            iri=URIRef(iri),
            label=f["label"][0] if f.get("label") else _local_name(iri),
            category=self._category(iri) or (None if iri.startswith(str(MBC)) else "other"),
            definition=next(iter(f.get("definition", [])), None),
            synonyms=tuple(sorted(set(f.get("synonym", [])))),
            xrefs=xrefs,
            parents=tuple(sorted(curie(p) for p in f.get("parent", []))),
            codes=tuple(sorted(set(f.get("code", [])))),
        )

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self):
        return iter(self.concepts.values())

    def get(self, iri: str) -> Concept | None:
        return self.concepts.get(str(iri))

    def resolve(self, text: str | Concept | URIRef) -> Concept:
        """The concept named by ``text`` (label, synonym, CURIE, xref or IRI).

        When several concepts share the name, the best match wins: a label
        over a local name over a synonym over a code, and among codes an
        exact mapping over a close, narrow, broad or related one. Raises
        :class:`ConceptAmbiguous` with the candidates when that leaves more
        than one, and :class:`ConceptNotFound` with the nearest labels when
        nothing matches.
        """
        if isinstance(text, Concept):
            return text
        return self._resolve_name(str(text))

    def _lookup_name(self, text: str) -> Concept:
        """:meth:`resolve` for a name, uncached."""
        # Direct names and mappings first; codes derived through DOID/MONDO (and ICD-10-CM parents) after.
        ranks = self._ranks.get(normalize(text)) or dict.fromkeys(self.codes.lookup(text), _DERIVED)
        if not ranks:
            raise ConceptNotFound(text, [self.concepts[m.iri].label for m in self.search(text, 5)])
        best = min(ranks.values())
        found = sorted(iri for iri, rank in ranks.items() if rank == best)
        if len(found) > 1:
            raise ConceptAmbiguous(text, [self.concepts[iri] for iri in found])
        return self.concepts[found[0]]

    def for_code(self, code: str) -> list[Concept]:
        """The concepts a clinical code names (ICD-10-CM through its parents), sorted by label."""
        return self.by_label(self.codes.lookup(code))

    def by_label(self, iris: Iterable) -> list[Concept]:
        """The distinct concepts among ``iris`` (other IRIs left out), sorted by label."""
        found = set(map(str, iris)) & self._rank.keys()
        return list(map(self.concepts.__getitem__, sorted(found, key=self._rank.__getitem__)))

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Concepts ranked by name: :meth:`mbc_graph.name_index.NameIndex.search`."""
        return self.name_index.search(text, limit)


def _local_name(iri: str) -> str:
    """``http://example.org/onto#Thing`` -> ``Thing``."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _xref_curie(iri: str) -> str:
    """``http://purl.obolibrary.org/obo/DOID_1612`` -> ``DOID:1612``."""
    for base, prefix in (("http://identifiers.org/hgnc/", "HGNC"), ("http://identifiers.org/drugbank/", "DRUGBANK")):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    if iri.startswith("http://purl.obolibrary.org/obo/"):
        return iri.rsplit("/", 1)[-1].replace("_", ":", 1)
    return iri


__all__ = ["Concept", "ConceptIndex", "MBC"]
