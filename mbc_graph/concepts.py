"""Concepts: the ontology's classes as plain Python objects, and name lookup."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from .errors import ConceptNotFound
from .namespaces import MBC, OBOINOWL, curie
from .search import Match, normalize, rank


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
    **{str(SKOS[m]): m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")},
}


class ConceptIndex:
    """Every domain class by IRI, and a lookup table from every name to IRIs.

    Built once from the ``(class, predicate, object)`` rows of the
    ``concept_names`` query.
    """

    def __init__(self, rows) -> None:
        fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for iri, predicate, value in rows:
            kind = _FIELDS.get(str(predicate))
            if kind and not (kind == "parent" and not isinstance(value, URIRef)):
                fields[str(iri)][kind].append(str(value))
        self._fields = fields
        self.concepts: dict[str, Concept] = {iri: self._concept(iri) for iri, f in fields.items() if f.get("label")}
        self.names: list[tuple[str, str]] = []
        self._lookup: dict[str, list[str]] = defaultdict(list)
        for iri, concept in self.concepts.items():
            f = fields[iri]
            for name in [concept.label, *f.get("synonym", []), *f.get("xref", []), concept.curie, iri, iri.rsplit("/", 1)[-1]]:
                key = normalize(name)
                if iri not in self._lookup[key]:
                    self._lookup[key].append(iri)
            self.names += [(iri, name) for name in (concept.label, *f.get("synonym", []))]
        by_label = sorted(self.concepts.values(), key=lambda c: (c.label.casefold(), str(c.iri)))
        self._rank = {str(c.iri): i for i, c in enumerate(by_label)}
        # Programs resolve the same few names again and again; normalising one costs microseconds.
        self._resolve_name = lru_cache(maxsize=4096)(self._lookup_name)

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
            label=f["label"][0],
            category=self._category(iri),
            definition=next(iter(f.get("definition", [])), None),
            synonyms=tuple(sorted(set(f.get("synonym", [])))),
            xrefs=xrefs,
            parents=tuple(sorted(curie(p) for p in f.get("parent", []))),
        )

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self):
        return iter(self.concepts.values())

    def get(self, iri: str) -> Concept | None:
        return self.concepts.get(str(iri))

    def resolve(self, text: str | Concept | URIRef) -> Concept:
        """The concept named by ``text`` (label, synonym, CURIE, xref or IRI).

        A label wins over a synonym shared with another concept. Raises
        :class:`ConceptNotFound` with the nearest labels when nothing matches.
        """
        if isinstance(text, Concept):
            return text
        return self._resolve_name(str(text))

    def _lookup_name(self, text: str) -> Concept:
        """:meth:`resolve` for a name, uncached."""
        key = normalize(text)
        found = self._lookup.get(key, [])
        if not found:
            raise ConceptNotFound(text, [self.concepts[m.iri].label for m in self.search(text, 5)])
        by_label = [iri for iri in found if normalize(self.concepts[iri].label) == key]
        return self.concepts[(by_label or found)[0]]

    def by_label(self, iris: Iterable) -> list[Concept]:
        """The distinct concepts among ``iris`` (other IRIs left out), sorted by label."""
        found = set(map(str, iris)) & self._rank.keys()
        return list(map(self.concepts.__getitem__, sorted(found, key=self._rank.__getitem__)))

    def search(self, text: str, limit: int = 10) -> list[Match]:
        return rank(self.names, text, limit)


def _xref_curie(iri: str) -> str:
    """``http://purl.obolibrary.org/obo/DOID_1612`` -> ``DOID:1612``."""
    for base, prefix in (("http://identifiers.org/hgnc/", "HGNC"), ("http://identifiers.org/drugbank/", "DRUGBANK")):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    if iri.startswith("http://purl.obolibrary.org/obo/"):
        return iri.rsplit("/", 1)[-1].replace("_", ":", 1)
    return iri


__all__ = ["Concept", "ConceptIndex", "MBC"]
