"""Materialize the relation graph: axioms and associations as plain, direct edges.

The ontology states what always holds as an axiom
(``BoneMetastasis ⊑ ∃locatedIn.Bone``) and what can hold as an association
node (``mbc:assoc_BoneMetastasis_hasSymptom_BonePain``, with a frequency
qualifier). For SPARQL and networkx each is the triple ``BoneMetastasis
hasSymptom BonePain``, plus the inverse triple (``BonePain suggests
BoneMetastasis``), in the named graph
:data:`~mbc_graph.namespaces.RELATION_GRAPH`. An axiom becomes an edge of its
class and every subclass; an association only of its subject, and of the
subclasses when the relation is marked ``mbc:inheritedBySubclasses``.

An edge made from an association, inverse edges included, is linked back
to it by a reified statement in the same graph (``?e rdf:subject ?s;
rdf:predicate ?p; rdf:object ?o; mbc:fromAssociation ?association``): an
inverse edge has no frequency of its own, its association is the forward
one. An edge with no such link comes from an axiom: it holds always.

Computing the edges takes two SPARQL queries over the whole store, which
costs more than parsing the ontology with the fast store. The result only
depends on the ontology file (when the user's files add no axioms), so it
is cached under a key made from the file's SHA-256 and the text of the two
queries: in memory for the process, and on disk in the user's cache
directory (``$MBC_GRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/mbc-graph``,
else ``~/.cache/mbc-graph``; set ``MBC_GRAPH_CACHE_DIR`` to an empty string
to turn the disk cache off). Cache files are N-Triples, written atomically
and checked when read; one that is damaged is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .files import write_text_atomically
from .namespaces import MBC, PREFIXES, RELATION_GRAPH
from .queries import named_query
from .stores import Store

Edge = tuple[URIRef, URIRef, URIRef]

#: The predicates the relation graph is computed from: a user file that
#: states none of them cannot change it.
SCHEMA_PREDICATES = (RDFS.subClassOf, OWL.onProperty, OWL.someValuesFrom, OWL.inverseOf,
                     MBC.associationSubject, MBC.associationPredicate, MBC.associationObject,
                     MBC.inheritedBySubclasses)

_QUERIES = ("inverse_properties", "relation_edges", "association_edges")
_FORMAT = "mbc-graph relation graph v2"
_EDGE_LINE = re.compile(r"<([^<>\s]+)> <([^<>\s]+)> <([^<>\s]+)> \.")
_MEMORY: dict[str, tuple[tuple[Edge, ...], str]] = {}
_MEMORY_LOCK = threading.Lock()
_MEMORY_SIZE = 8
_DISK_FILES = 8


def _select(store: Store, name: str) -> list[tuple]:
    outcome = store.execute(named_query(name), {}, PREFIXES)
    convert = outcome.to_rdflib
    return [tuple(convert(v) for v in row) for row in outcome.rows]


def relation_edges(store: Store) -> list[Edge]:
    """The triples of the relation graph of ``store``: edges, inverses and links to associations."""
    inverse = dict(_select(store, "inverse_properties"))
    triples = set()
    for s, p, o in _select(store, "relation_edges"):
        triples.add((s, p, o))
        if p in inverse:
            triples.add((o, inverse[p], s))
    for s, p, o, association in _select(store, "association_edges"):
        triples |= _linked_edge(s, p, o, association)
        if p in inverse:
            triples |= _linked_edge(o, inverse[p], s, association)
    return sorted(triples)


def _linked_edge(s: URIRef, p: URIRef, o: URIRef, association: URIRef) -> set[Edge]:
    """The edge ``s p o`` and a reified statement linking it to ``association``."""
    statement = edge_statement(s, p, o)
    return {(s, p, o), (statement, RDF.type, RDF.Statement), (statement, RDF.subject, s),
            (statement, RDF.predicate, p), (statement, RDF.object, o),
            (statement, MBC.fromAssociation, association)}


def edge_statement(s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    """The IRI of the statement node for the edge ``s p o`` (stable across runs).

    >>> str(edge_statement(MBC.A, MBC.p, MBC.B)).startswith("https://w3id.org/mbc-graph/edge_")
    True
    """
    digest = hashlib.sha1(f"{s} {p} {o}".encode("utf-8")).hexdigest()[:16]
    return MBC[f"edge_{digest}"]


def cache_key(ontology: Path) -> str:
    """The cache key of the relation graph of ``ontology``: file content and recipe.

    >>> from mbc_graph import bundled_ontology
    >>> len(cache_key(bundled_ontology()))
    64
    """
    digest = hashlib.sha256(_FORMAT.encode())
    for name in _QUERIES:
        digest.update(b"\0" + named_query(name).encode("utf-8"))
    digest.update(b"\0" + Path(ontology).read_bytes())
    return digest.hexdigest()


def materialize(store: Store, *, key: str | None = None) -> int:
    """Add the relation graph to ``store``; return the number of triples.

    With ``key`` (from :func:`cache_key`), reuse the edges computed before
    for the same ontology, and remember new ones. Pass a key only when the
    store holds that ontology and nothing else that states
    :data:`SCHEMA_PREDICATES`.
    """
    cached = _recall(key) if key else None
    if cached is None:
        edges = tuple(relation_edges(store))
        if key:
            _remember(key, edges)
        store.add(edges, RELATION_GRAPH)
        return len(edges)
    edges, text = cached
    try:
        store.add_ntriples(text, RELATION_GRAPH)
    except NotImplementedError:
        store.add(edges, RELATION_GRAPH)
    return len(edges)


def cache_dir() -> Path | None:
    """Where the disk cache lives, or None when it is turned off."""
    configured = os.environ.get("MBC_GRAPH_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mbc-graph"


def _cache_file(key: str) -> Path | None:
    directory = cache_dir()
    return directory / f"relation-graph-{key}.nt" if directory else None


def _recall(key: str) -> tuple[tuple[Edge, ...], str] | None:
    """The cached edges and their N-Triples text, from memory or disk."""
    with _MEMORY_LOCK:
        cached = _MEMORY.get(key)
    if cached is not None:
        return cached
    path = _cache_file(key)
    cached = _read(path, key) if path else None
    if cached is not None:
        _keep(key, cached)
    return cached


def _read(path: Path, key: str) -> tuple[tuple[Edge, ...], str] | None:
    """The edges in a cache file, or None if it is missing, for another key, or damaged."""
    try:
        header, _, body = path.read_text(encoding="utf-8").partition("\n")
        fmt, found_key, count = header.removeprefix("# ").rsplit(" ", 2)
        lines = body.splitlines()
        if fmt != _FORMAT or found_key != key or int(count) != len(lines):
            return None
        edges = []
        for line in lines:
            match = _EDGE_LINE.fullmatch(line)
            if match is None:
                return None
            edges.append((URIRef(match[1]), URIRef(match[2]), URIRef(match[3])))
        return tuple(edges), body
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _keep(key: str, cached: tuple[tuple[Edge, ...], str]) -> None:
    with _MEMORY_LOCK:
        _MEMORY[key] = cached
        while len(_MEMORY) > _MEMORY_SIZE:  # oldest first: an edited ontology leaves old keys behind
            del _MEMORY[next(iter(_MEMORY))]


def _remember(key: str, edges: tuple[Edge, ...]) -> None:
    lines = [_line(edge) for edge in edges]
    if not all(_EDGE_LINE.fullmatch(line) for line in lines):
        return  # only plain IRIs are cached; anything else is recomputed each time
    body = "".join(line + "\n" for line in lines)
    _keep(key, (edges, body))
    path = _cache_file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, f"# {_FORMAT} {key} {len(edges)}\n{body}")
        # Every edit of the ontology makes a new file: keep the latest few.
        others = [p for p in path.parent.glob("relation-graph-*.nt") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[_DISK_FILES - 1:]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk only costs the next process a recomputation
        pass


def _line(edge: Edge) -> str:
    return "<{}> <{}> <{}> .".format(*edge)
