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
and checked when read; one that is damaged is ignored and rewritten. The
cache decides what the graph says, so it is read only from a directory and
a file that the current user owns and no one else can write (the directory
is created 0700); anything else is recomputed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

from .errors import MBCGraphError
from .files import write_text_atomically
from .namespaces import PREFIXES, RELATION_GRAPH
from .queries import named_query
from .stores import Store

Edge = tuple[URIRef, URIRef, URIRef]

#: The predicates the relation graph is computed from: a user file that
#: states none of them cannot change it.
SCHEMA_PREDICATES = (RDFS.subClassOf, OWL.onProperty, OWL.someValuesFrom, OWL.inverseOf)

_FORMAT = "mbc-graph relation graph v1"
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
    """The direct edges implied by the restrictions in ``store``, inverses included.

    Raises :class:`MBCGraphError` when they would be more than
    :func:`edge_cap` allows; only that many are ever read.
    """
    inverse = dict(_select(store, "inverse_properties"))
    cap = edge_cap(len(store))
    rows = _select(store, "relation_edges", limit=cap + 1)
    if len(rows) > cap:
        raise MBCGraphError(
            f"The data implies more than {cap:,} relation-graph edges ({EDGES_PER_TRIPLE} per triple loaded): "
            "a class hierarchy that deep, with a restriction at every level, grows the graph quadratically. "
            "State each restriction once, on the most general class it holds for.")
    edges = set()
    for s, p, o in rows:
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
    cached = _read(path, key) if path and _private(path.parent, directory=True) and _private(path) else None
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
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(path.parent, directory=True):
            return  # others could change what the next process reads
        write_text_atomically(path, f"# {_FORMAT} {key} {len(edges)}\n{body}")
        os.chmod(path, 0o600)
        # Every edit of the ontology makes a new file: keep the latest few.
        others = [p for p in path.parent.glob("relation-graph-*.nt") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[_DISK_FILES - 1:]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk only costs the next process a recomputation
        pass


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
