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
and checked when read; one that is damaged is ignored and rewritten, and
one another user could have written is not read (:mod:`mbc_graph.cache`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .cache import read_private, write_private
from .errors import MBCGraphError
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
_IRI = r'<([A-Za-z][A-Za-z0-9+.\-]*:(?:[^<>"{}|^`\\\x00-\x20%]|%[0-9A-Fa-f]{2})*)>'  # an absolute IRIREF
_EDGE_LINE = re.compile(f"{_IRI} {_IRI} {_IRI} \\.")
_MEMORY: dict[str, tuple[tuple[Edge, ...], str]] = {}
_MEMORY_LOCK = threading.Lock()
_MEMORY_SIZE = 8
_DISK_FILES = 8


#: The relation graph may have this many edges per triple loaded (the bundled
#: ontology needs 0.1), and at least :data:`MIN_EDGE_CAP`: a deep subclass
#: chain with a restriction on each class would otherwise grow it quadratically.
EDGES_PER_TRIPLE = 10
MIN_EDGE_CAP = 100_000


def edge_cap(triples: int) -> int:
    """The most relation-graph edges (before inverses) that data of ``triples`` triples may imply.

    >>> edge_cap(8_000), edge_cap(1_000_000)
    (100000, 10000000)
    """
    return max(MIN_EDGE_CAP, EDGES_PER_TRIPLE * triples)


def _select(store: Store, name: str, limit: int | None = None) -> list[tuple]:
    text = named_query(name) + (f"\nLIMIT {limit}" if limit is not None else "")
    try:
        outcome = store.execute(text, {}, PREFIXES)
    except RecursionError:  # rdflib's property paths recurse once per level of the class hierarchy
        raise MBCGraphError(f"The class hierarchy is too deep for the {store.name!r} store's SPARQL engine "
                            "to compute the relation graph; load it with store='oxigraph'.") from None
    convert = outcome.to_rdflib
    return [tuple(convert(v) for v in row) for row in outcome.rows]


def relation_edges(store: Store) -> list[Edge]:
    """The triples of the relation graph of ``store``: edges, inverses and links to associations.

    Raises :class:`MBCGraphError` when the edges would be more than
    :func:`edge_cap` allows; only that many are ever read.
    """
    inverse = dict(_select(store, "inverse_properties"))
    cap = edge_cap(len(store))
    rows = _select(store, "relation_edges", limit=cap + 1)
    associations = _select(store, "association_edges", limit=cap + 1)
    if len(rows) + len(associations) > cap:
        raise MBCGraphError(
            f"The data implies more than {cap:,} relation-graph edges ({EDGES_PER_TRIPLE} per triple loaded): "
            "a class hierarchy that deep, with a restriction at every level, grows the graph quadratically. "
            "State each restriction once, on the most general class it holds for.")
    triples = set()
    for s, p, o in rows:
        triples.add((s, p, o))
        if p in inverse:
            triples.add((o, inverse[p], s))
    for s, p, o, association in associations:
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
    if cached is not None:
        edges, text = cached
        try:
            store.add_ntriples(text, RELATION_GRAPH)
            return len(edges)
        except NotImplementedError:
            store.add(edges, RELATION_GRAPH)
            return len(edges)
        except (SyntaxError, ValueError):  # a damaged cache that passed the line check: compute afresh
            pass
    edges = tuple(relation_edges(store))
    if key:
        _remember(key, edges)
    store.add(edges, RELATION_GRAPH)
    return len(edges)


def _cache_file(key: str) -> str:
    return f"relation-graph-{key}.nt"


def _recall(key: str) -> tuple[tuple[Edge, ...], str] | None:
    """The cached edges and their N-Triples text, from memory or disk."""
    with _MEMORY_LOCK:
        cached = _MEMORY.get(key)
    if cached is not None:
        return cached
    cached = _read(read_private(_cache_file(key)), key)
    if cached is not None:
        _keep(key, cached)
    return cached


def _read(text: str | None, key: str) -> tuple[tuple[Edge, ...], str] | None:
    """The edges in a cache file's text, or None if it is missing, for another key, or damaged."""
    if text is None:
        return None
    try:
        header, _, body = text.partition("\n")
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
    except ValueError:
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
    path = write_private(_cache_file(key), f"# {_FORMAT} {key} {len(edges)}\n{body}")
    if path is None:  # no safe cache, or a read-only or full disk: the next process recomputes
        return
    # Every edit of the ontology makes a new file: keep the latest few.
    others = [p for p in path.parent.glob("relation-graph-*.nt") if p != path]
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in others[_DISK_FILES - 1:]:
        stale.unlink(missing_ok=True)


def _private(path: Path, *, directory: bool = False) -> bool:
    """Whether ``path`` is a directory (or a regular file, not a link) that the
    current user owns and that neither the group nor others can write."""
    try:
        found = os.stat(os.path.realpath(path)) if directory else os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR if directory else stat.S_ISREG
    return kind(found.st_mode) and found.st_uid == os.geteuid() and not found.st_mode & 0o022


def _line(edge: Edge) -> str:
    return "<{}> <{}> <{}> .".format(*edge)
