"""Bounded queries: a deadline and a memory budget, enforced in worker processes.

pyoxigraph cannot be interrupted or memory-limited inside the calling
process: a query runs in Rust until it ends, ignoring Ctrl-C, and Rust
aborts the whole process when an allocation fails. So a bounded query runs
in a worker process under ``RLIMIT_AS``; a worker that overruns its
deadline is killed and replaced, and the result comes back serialized.

Workers are never forked from the caller's process (a process whose
threads are inside pyoxigraph can deadlock its forked child on a Rust
mutex). They are forked from a *zygote*: a fresh, single-threaded
interpreter that loads the graph once and never runs a query. A graph kept
on disk (``load(path=...)``) is opened read-only by each worker instead,
as a RocksDB handle must not be forked. See :mod:`mbc_graph.launchers` and
:mod:`mbc_graph.worker_process`.

:class:`QueryWorkers` is the pool (the server runs its SPARQL endpoint on
one); ``kg.query(..., timeout=, max_memory=)`` uses one per graph.
"""

from __future__ import annotations

import math
import signal
import threading
import time
import weakref
from queue import Empty, LifoQueue
from typing import Any

import pyoxigraph as ox

from .errors import MBCGraphError, QueryFailed, QueryTimeout, QueryTooLarge, ServerBusy
from .launchers import FreshWorkers, Worker, Zygote, reported_error
from .results import GRAPH_FORMATS, RESULT_FORMATS, QueryResult
from .stores import QueryOutcome
from .terms import to_rdflib, to_term

__all__ = ["QueryWorkers", "bounded_query", "load_args_of"]


class QueryWorkers:
    """A pool of worker processes that run queries with a deadline and a memory budget.

    Parameters
    ----------
    load_args : dict
        The arguments each worker's graph is loaded with, as for
        :func:`mbc_graph.load` (``store``, ``extra``, ``ontology``, ``path``).
    workers : int
        How many queries run at once.
    queue : int
        How many more may wait for a worker; past that, :meth:`run` raises
        :class:`~mbc_graph.errors.ServerBusy` at once.

    Examples
    --------
    >>> with QueryWorkers(load_args={"store": "oxigraph"}, workers=1) as pool:
    ...     data, media_type = pool.run("ASK { mbc:Liver ?p ?o }", timeout=30, max_memory=256 << 20)
    >>> data, media_type
    (b'{"head":{},"boolean":true}', 'application/sparql-results+json')
    """

    def __init__(self, *, load_args: dict, workers: int = 2, queue: int = 16) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("a pool needs at least one worker and a queue of 0 or more")
        self._launcher = FreshWorkers(load_args) if load_args.get("path") else Zygote(load_args)
        self._size, self._queue = workers, queue
        self._admitted = threading.BoundedSemaphore(workers + queue)
        self._idle: LifoQueue[Worker | None] = LifoQueue()  # None: a worker still to start
        for _ in range(workers):
            self._idle.put(None)
        self._live: dict[int, Worker] = {}
        self._closed = False

    def __enter__(self) -> QueryWorkers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def run(self, text: str, *, bindings: dict | None = None, base: str | None = None,
            timeout: float | None = None, max_memory: int | None = None,
            result_format: str = "json") -> tuple[bytes, str]:
        """Run a read-only query in a worker; return the result serialized, and its media type.

        ``result_format``: ``json``, ``xml``, ``csv`` or ``tsv`` (SPARQL
        results) for SELECT and ASK; ``nt``, ``ttl``, ``xml`` or ``jsonld``
        for CONSTRUCT and DESCRIBE. A name of the other kind means its
        nearest counterpart (``json`` gives JSON-LD for a graph, ``tsv`` and
        ``csv`` N-Triples; ``nt``/``ttl`` give TSV for rows).

        ``timeout`` counts seconds from this call (waiting for a free
        worker included); ``max_memory`` is in bytes, beyond the worker's
        size when it started. ``None`` means no limit.

        Raises :class:`~mbc_graph.errors.QueryTimeout`,
        :class:`~mbc_graph.errors.QueryTooLarge`,
        :class:`~mbc_graph.errors.ServerBusy` or the error the query itself
        raises in :meth:`KnowledgeGraph.query <mbc_graph.KnowledgeGraph.query>`.
        """
        if result_format not in RESULT_FORMATS and result_format not in GRAPH_FORMATS:
            raise ValueError(f"Unknown result format {result_format!r}; use one of "
                             f"{', '.join(sorted({*RESULT_FORMATS, *GRAPH_FORMATS}))}")
        data, media_type, _ = self._run(text, bindings, base, timeout, max_memory, result_format)
        return data, media_type

    def _run(self, text: str, bindings: dict | None, base: str | None, timeout: float | None,
             max_memory: int | None, result_format: str | None) -> tuple[bytes, str, str]:
        """:meth:`run`, also giving the kind of query; ``result_format=None``: the exact transport."""
        _check_limits(timeout, max_memory)
        if self._closed:
            raise MBCGraphError("This pool of query workers is closed")
        if not self._admitted.acquire(blocking=False):
            raise ServerBusy(f"All {self._size} query workers are busy and {self._queue} queries are waiting; "
                             "try again later")
        try:
            deadline = None if timeout is None else time.monotonic() + timeout
            request = {"text": text, "bindings": bindings or {}, "base": base, "max_memory": max_memory,
                       "result_format": result_format}
            status, *reply = self._exchange(request, deadline, timeout, max_memory)
        finally:
            self._admitted.release()
        if status != "ok":
            raise _error(*reply, max_memory=max_memory)
        data, media_type, kind = reply
        return data, media_type, kind

    def _exchange(self, request: dict, deadline: float | None, timeout: float | None,
                  max_memory: int | None) -> tuple:
        """Send ``request`` to a free worker and wait for the reply until the deadline."""
        try:
            slot = self._idle.get(timeout=_remaining(deadline))
        except Empty:
            raise QueryTimeout(f"The query waited {timeout:g} s, its time limit, for a free worker") from None
        worker, reply, died, code = None, None, False, None
        try:
            worker = self._handed(slot, request, deadline)
            if worker.conn.poll(_remaining(deadline)):
                reply = worker.conn.recv()
        except (EOFError, ConnectionError):  # the worker died: a Rust abort when memory ran out, or a crash
            died = True
        finally:  # after a timeout, Ctrl-C or any error the worker may still be busy: kill it
            keep = reply is not None and not reply[-1]
            if worker is not None and not keep:
                code = self._forget(worker, kill=not died)
            self._idle.put(worker if keep else None)
        if died and self._closed:
            raise MBCGraphError("The pool of query workers was closed while the query ran")
        if died and max_memory is not None and code in (-signal.SIGABRT, -signal.SIGKILL):
            raise QueryTooLarge(_too_large(max_memory))  # Rust aborts when an allocation fails
        if died:
            how = f"killed by {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
            raise QueryFailed(f"The process running the query stopped ({how})")
        if reply is None:
            raise QueryTimeout(f"The query was stopped after {timeout:g} s, its time limit")
        return reply[:-1]

    def _handed(self, slot: Worker | None, request: dict, deadline: float | None) -> Worker:
        """The worker that took ``request``: the idle ``slot``, or a new worker if ``slot`` died while idle.

        Only a worker that never acknowledged the request is replaced, so no
        query runs twice. (A killed process's socket can close a moment after
        it has died, so the death shows only when the receipt does not come.)
        """
        if slot is not None:
            try:
                _send(slot, request, deadline)
                return slot
            except (EOFError, ConnectionError):
                self._forget(slot, kill=False)
        worker = self._start()
        try:
            _send(worker, request, deadline)
        except (EOFError, ConnectionError):
            self._forget(worker, kill=True)
            raise
        return worker

    def _start(self) -> Worker:
        worker = self._launcher.start()
        self._live[worker.pid] = worker
        return worker

    def _forget(self, worker: Worker, *, kill: bool) -> int | None:
        self._live.pop(worker.pid, None)
        return self._launcher.stop(worker, kill=kill)

    def pids(self) -> list[int]:
        """The process ids of the pool: the zygote's (when workers are forked) first, then the live workers'."""
        return [pid for pid in (getattr(self._launcher, "pid", None),) if pid] + sorted(self._live)

    def close(self) -> None:
        """Stop every worker and the zygote; idempotent."""
        if self._closed:
            return
        self._closed = True
        while True:  # idle workers; the launcher's close ends busy ones, whose queries then fail
            try:
                worker = self._idle.get_nowait()
            except Empty:
                break
            if worker is not None:
                self._forget(worker, kill=True)
        self._launcher.close()


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _send(worker: Worker, request: dict, deadline: float | None) -> None:
    """Send ``request`` and wait for the worker's receipt (none by the deadline: the caller times out)."""
    worker.conn.send(request)
    if worker.conn.poll(_remaining(deadline)):
        worker.conn.recv()


def _check_limits(timeout: float | None, max_memory: int | None) -> None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and 0 < timeout < math.inf):
        raise ValueError(f"timeout must be a number of seconds above 0, or None, not {timeout!r}")
    if max_memory is not None and (not isinstance(max_memory, int) or isinstance(max_memory, bool)
                                   or max_memory <= 0):
        raise ValueError(f"max_memory must be a number of bytes above 0, or None, not {max_memory!r}")


def _too_large(max_memory: int | None) -> str:
    budget = "its memory budget" if max_memory is None else f"its memory budget of {max_memory / (1 << 20):g} MiB"
    return f"The query was stopped: it needed more than {budget}"


def _error(name: str, message: str, attributes: dict[str, Any], *, max_memory: int | None) -> MBCGraphError:
    if name == QueryTooLarge.__name__:
        return QueryTooLarge(_too_large(max_memory))
    return reported_error(name, message, attributes)


# -- kg.query(..., timeout=, max_memory=) ---------------------------------------------------------------
_POOLS: weakref.WeakKeyDictionary[Any, QueryWorkers] = weakref.WeakKeyDictionary()
_POOLS_LOCK = threading.Lock()


def load_args_of(kg) -> dict:
    """The :func:`mbc_graph.load` arguments that load the same graph as ``kg``.

    A graph may say itself (``kg.load_args``); otherwise they come from its
    store (its name, or the directory of an on-disk store) and its source files.
    """
    given = getattr(kg, "load_args", None)
    if given is not None:
        return dict(given)
    files = {"ontology": str(kg.sources[0]), "extra": [str(p) for p in kg.sources[1:]]}
    directory = getattr(kg.store, "directory", None)
    return {"path": str(directory), **files} if directory is not None else {"store": kg.store.name, **files}


def _pool_for(kg) -> QueryWorkers:
    """The pool that runs ``kg``'s bounded queries: started on first use, closed with ``kg``."""
    with _POOLS_LOCK:
        pool = _POOLS.get(kg)
        if pool is None:
            pool = _POOLS[kg] = QueryWorkers(load_args=load_args_of(kg), workers=2, queue=1024)
            weakref.finalize(kg, pool.close)
    return pool


def bounded_query(kg, text: str, bindings: dict | None = None, *, base: str | None = None,
                  timeout: float | None = None, max_memory: int | None = None) -> QueryResult:
    """:meth:`KnowledgeGraph.query <mbc_graph.KnowledgeGraph.query>` in a worker process, with limits.

    The result is rebuilt from the worker's serialization into the same
    :class:`~mbc_graph.results.QueryResult` an in-process query gives.
    """
    if kg.store.remote:  # a server evaluates it: the deadline is the request's timeout, the memory is the server's
        from .stores.sparql import request_timeout  # here: it imports httpx, an optional dependency

        with request_timeout(timeout):
            return kg.query(text, bindings, base=base)
    terms = {name: to_term(value) for name, value in (bindings or {}).items()}  # what can travel
    data, _, kind = _pool_for(kg)._run(text, terms, base, timeout, max_memory, None)
    return QueryResult(_outcome(kind, data), kind)


def _outcome(kind: str, data: bytes) -> QueryOutcome:
    """What the store would have returned in process, read from the worker's serialization."""
    if kind == "ASK":
        return QueryOutcome("ASK", boolean=bool(ox.parse_query_results(data, ox.QueryResultsFormat.JSON)))
    if kind == "SELECT":
        solutions = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        return QueryOutcome("SELECT", [v.value for v in solutions.variables], rows=list(solutions),
                            to_rdflib=to_rdflib)
    quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    return QueryOutcome(kind, triples=[(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                                       for q in quads])
