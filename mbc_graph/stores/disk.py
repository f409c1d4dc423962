"""The on-disk store: Oxigraph's RocksDB store in a directory, built once, reopened fast.

A store directory holds the Oxigraph database (``oxigraph/``), a record of
what was loaded (``mbc-graph-store.json``: the ontology's SHA-256, each
user file's path, size and modification time) and a lock file. The first
:func:`open_store` bulk-loads the data and writes the record; later calls
check the record against the files and open the database read-only, which
takes the same time whatever the data size. A store whose files changed is
*stale* and raises :class:`~mbc_graph.errors.StaleStore` until rebuilt:
it never answers from old data.

One process writes, and only while it builds; readers open the database
read-only, never beside a writer (pyoxigraph leaves that undefined). An
advisory lock on ``lock`` enforces it: a builder holds it exclusively,
readers share it, and whoever cannot get it gets
:class:`~mbc_graph.errors.StoreInUse`.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import MBCGraphError, StaleStore, StoreInUse
from ..files import write_text_atomically
from .base import Store
from .oxigraph import OxigraphStore

RECORD = "mbc-graph-store.json"
_FORMAT = "mbc-graph disk store v1"
_DATABASE = "oxigraph"
_LOCK = "lock"
#: Quads per bulk load while building: about 300 MB of client memory, whatever the file's size.
_BATCH = 200_000

#: ``fill(store, sources)`` loads the ontology (``sources[0]``), the user's
#: files and the relation graph into an empty store (``mbc_graph.loading``).
Fill = Callable[[Store, Sequence[Path]], None]


@dataclass(frozen=True)
class FileState:
    """What the record keeps of a loaded file: enough to see that it changed."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileState:
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


class DiskStore(OxigraphStore):
    """A :class:`pyoxigraph.Store` in a directory, open read-only or (while built) read-write.

    Open it with :func:`open_store` (``mbc_graph.load(path=DIR)``), which
    checks that it is up to date. :meth:`close` releases the database and
    the lock; so does garbage collection.
    """

    name = "disk"

    def __init__(self, directory: Path, *, read_only: bool, lock=None) -> None:
        super().__init__()
        self.directory = directory
        self.read_only = read_only
        self._lock = lock or _acquire(directory, shared=read_only)
        database = str(directory / _DATABASE)
        try:
            self.store = ox.Store.read_only(database) if read_only else ox.Store(database)
        except OSError as exc:
            self._lock.close()
            raise MBCGraphError(f"Cannot open the store in {directory}: {exc}") from None

    def _load_file(self, path: Path, base_iri: str, target: ox.NamedNode) -> None:
        # Straight to disk in sorted batches, a bounded number of quads at a time:
        # pyoxigraph's bulk_load holds up to three batches of a million quads in
        # memory (1.4 GB at 100k patients) and has no setting to make them smaller.
        # Blank nodes are renamed once for the whole file (as bulk_load does), so
        # one that spans two batches stays one node.
        quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri, rename_blank_nodes=True)
        in_graph = (ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
        while batch := list(itertools.islice(in_graph, _BATCH)):
            self.store.bulk_extend(batch)

    def close(self) -> None:
        """Release the database and the lock; the store cannot be used afterwards."""
        self.store = None  # type: ignore[assignment]  # pyoxigraph closes the database when its Store is dropped
        self._lock.close()


def _acquire(directory: Path, *, shared: bool):
    """Open and lock the store's lock file without waiting; the lock lasts as long as the file."""
    lock = open(directory / _LOCK, "a+b")
    try:
        fcntl.flock(lock, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        doing = "being built" if shared else "open"
        raise StoreInUse(f"The store in {directory} is {doing} elsewhere (in this or another process); "
                         "readers never open it beside a writer, and only one process builds it.") from None
    return lock


def ontology_digest(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_store(directory: str | os.PathLike, ontology: Path, extra: Sequence[Path], fill: Fill, *,
               rebuild: bool = False, read_only: bool = False) -> tuple[DiskStore, list[Path]]:
    """Open the store in ``directory`` read-only, building it first when it is new.

    Parameters
    ----------
    directory : path
        The store's directory: new or empty (then it is built, created with
        owner-only permissions), or a store built before.
    ontology : Path
        The ontology the store must hold (its SHA-256 is compared).
    extra : sequence of Path
        The user's files. Empty means "the files recorded when it was built";
        otherwise they must be those files.
    fill : callable
        Loads an empty store (see :data:`Fill`).
    rebuild : bool
        Build again from the files as they are now, even when up to date
        (a stale store otherwise raises :class:`~mbc_graph.errors.StaleStore`).
    read_only : bool
        Never build: a missing or stale store is an error (for worker processes).

    Returns
    -------
    (DiskStore, list of Path)
        The open store and the files it holds, ontology first.
    """
    directory = Path(directory).expanduser().absolute()
    if not (directory / RECORD).exists():
        if read_only:
            raise MBCGraphError(f"No mbc-graph store in {directory}: build it first with load(path=...).")
        _create_directory(directory)
        files = list(extra)
    else:
        lock = _acquire(directory, shared=True)  # the record is read only when no build is under way
        try:
            files, problem = _recorded(directory, ontology, extra, rebuild=rebuild and not read_only)
        except BaseException:
            lock.close()
            raise
        if problem is None and not rebuild:
            return DiskStore(directory, read_only=True, lock=lock), [ontology, *files]
        lock.close()
        if not rebuild or read_only:
            raise StaleStore(f"The store in {directory} is out of date: {problem}. "
                             "Rebuild it with load(path=..., rebuild=True) or mbc-graph --db DIR --rebuild.")
    _build(directory, ontology, files, fill)
    return DiskStore(directory, read_only=True), [ontology, *files]


def _recorded(directory: Path, ontology: Path, extra: Sequence[Path], *,
              rebuild: bool) -> tuple[list[Path], str | None]:
    """The files the store holds (or, given, must hold), and why it is stale or None.

    A damaged record is an error, unless the store is about to be rebuilt anyway.
    """
    try:
        record = _read_record(directory)
    except StaleStore:
        if not rebuild:
            raise
        return list(extra), "its record is damaged"
    files = [Path(f["path"]) for f in record["files"]] if not extra else list(extra)
    return files, _why_stale(record, ontology, extra)


def _build(directory: Path, ontology: Path, files: list[Path], fill: Fill) -> None:
    """Load everything into the store, the record marking it unfinished until it is done."""
    for path in files:  # before anything is cleared: a typo fails fast
        if not path.is_file():
            raise MBCGraphError(f"No such file: {path}")
    writer = DiskStore(directory, read_only=False)
    try:
        _write_record(directory, "building", ontology, [])
        writer.store.clear()
        fill(writer, [ontology, *files])
        writer.store.flush()
        _write_record(directory, "complete", ontology, files)
    finally:
        writer.close()


def _create_directory(directory: Path) -> None:
    """Create the store's directory, readable by its owner only; refuse one that holds other files."""
    if directory.exists():
        if not directory.is_dir():
            raise MBCGraphError(f"Not a directory: {directory}")
        if any(directory.iterdir()):
            raise MBCGraphError(f"{directory} is not empty and holds no mbc-graph store: "
                                "give a new or empty directory")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask, and an empty directory may be older


def _read_record(directory: Path) -> dict:
    try:
        text = (directory / RECORD).read_text(encoding="utf-8")
    except OSError as exc:
        raise MBCGraphError(f"Cannot read the store's record in {directory}: {exc}") from None
    try:
        record = json.loads(text)
        if record["format"] != _FORMAT:
            raise ValueError(record["format"])
        return record
    except (ValueError, KeyError, TypeError):
        raise StaleStore(f"The record {directory / RECORD} is damaged or from another version; "
                         "rebuild the store (rebuild=True)") from None


def _write_record(directory: Path, state: str, ontology: Path, files: list[Path]) -> None:
    record = {"format": _FORMAT, "state": state,
              "ontology": {"path": str(ontology.resolve()), "sha256": ontology_digest(ontology)},
              "files": [asdict(FileState.of(path)) for path in files]}
    write_text_atomically(directory / RECORD, json.dumps(record, indent=2) + "\n")


def _why_stale(record: dict, ontology: Path, extra: Sequence[Path]) -> str | None:
    """Why the store does not hold what it would hold if built now, or None."""
    if record["state"] != "complete":
        return "an earlier build did not finish"
    if ontology_digest(ontology) != record["ontology"]["sha256"]:
        return f"the ontology {ontology} is not the one it was built from"
    recorded = [FileState(**f) for f in record["files"]]
    if extra and sorted(str(p.resolve()) for p in extra) != sorted(f.path for f in recorded):
        return "it was built from other files (" + ", ".join(f.path for f in recorded) + ")"
    for state in recorded:
        path = Path(state.path)
        if not path.is_file():
            return f"{path} is gone"
        if FileState.of(path) != state:
            return f"{path} changed since"
    return None
