"""Materialize the relation graph: OWL restrictions as plain, direct edges.

The ontology states ``BoneMetastasis ⊑ ∃hasSymptom.BonePain``. For SPARQL
and networkx that is the triple ``BoneMetastasis hasSymptom BonePain``. Each
restriction becomes such a triple for the class and all its subclasses,
plus the inverse triple (``BonePain suggests BoneMetastasis``), in the named
graph :data:`~mbc_graph.namespaces.RELATION_GRAPH`, so the axioms and the
edges can both be queried.

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
import threading
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

from .cache import read_private, write_private
from .namespaces import PREFIXES, RELATION_GRAPH
from .queries import named_query
from .stores import Store

Edge = tuple[URIRef, URIRef, URIRef]

#: The predicates the relation graph is computed from: a user file that
#: states none of them cannot change it.
SCHEMA_PREDICATES = (RDFS.subClassOf, OWL.onProperty, OWL.someValuesFrom, OWL.inverseOf)

_FORMAT = "mbc-graph relation graph v1"
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
    """The direct edges implied by the restrictions in ``store``, inverses included."""
    inverse = dict(_select(store, "inverse_properties"))
    edges = set()
    for s, p, o in _select(store, "relation_edges"):
        edges.add((s, p, o))
        if p in inverse:
            edges.add((o, inverse[p], s))
    return sorted(edges)


def cache_key(ontology: Path) -> str:
    """The cache key of the relation graph of ``ontology``: file content and recipe.

    >>> from mbc_graph import bundled_ontology
    >>> len(cache_key(bundled_ontology()))
    64
    """
    digest = hashlib.sha256(_FORMAT.encode())
    for name in ("inverse_properties", "relation_edges"):
        digest.update(b"\0" + named_query(name).encode("utf-8"))
    digest.update(b"\0" + Path(ontology).read_bytes())
    return digest.hexdigest()


def materialize(store: Store, *, key: str | None = None) -> int:
    """Add the relation graph to ``store``; return the number of edges.

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


def _line(edge: Edge) -> str:
    return "<{}> <{}> <{}> .".format(*edge)
