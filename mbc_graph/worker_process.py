"""The processes behind :mod:`mbc_graph.workers`: a zygote that forks query workers, and the workers.

Run as ``python -m mbc_graph.worker_process FD``: the process reads its
role and the arguments of :func:`mbc_graph.load` from the socket ``FD``.

* A **zygote** loads the graph, never runs a query and never starts a
  thread, so it can fork safely: each worker it forks gets the loaded store
  for free (copy on write). Forking a process with threads inside pyoxigraph
  can deadlock the child on a Rust mutex, which is why neither the user's
  process nor a server is ever forked.
* A **worker** answers queries one at a time on its own socket and sends
  back the result serialized. Before each query with a memory budget it
  lowers ``RLIMIT_AS`` to its size at start plus the budget, so a query
  that allocates too much fails (or aborts the worker, as Rust does) there,
  not in the caller. The caller kills a worker that overruns its deadline.

This module is the program of those processes, so it sits above the
facade (it loads a graph); :mod:`mbc_graph.workers` reaches it only by
name, through :mod:`mbc_graph.launchers`.

A worker started fresh (for an on-disk store, whose RocksDB handle must not
be forked) loads the store read-only itself and serves its socket directly.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import time
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import Any

from .errors import MBCGraphError, QueryTooLarge
from .loading import load
from .queries import check_query
from .results import EXACT, serialize

# A worker whose address space grew this much over its size at start
# (memory its allocator kept) is retired after answering, and replaced.
_RETIRE_AFTER_GROWTH = 256 << 20


def address_space() -> int:
    """This process's virtual memory size in bytes (what ``RLIMIT_AS`` limits); 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def answer(kg, request: dict[str, Any], start_size: int) -> tuple:
    """Run one request. The reply is ``("ok", data, media type, query kind)``, or
    ``("error", class name, message, attributes)`` for the error kg.query raised."""
    max_memory = request["max_memory"]
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if max_memory is not None:
        limit = start_size + max_memory
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard),
                                                    hard))
        except (ValueError, OSError) as exc:
            return ("error", "QueryFailed", f"max_memory cannot be enforced on this system: {exc}", {})
    try:
        options = {"base": request["base"]} if request["base"] is not None else {}
        result = kg.query(request["text"], request["bindings"], **options)
        return ("ok", *serialize(result, request["result_format"] or EXACT[result.type]), result.type)
    except Exception as exc:  # MemoryError is one: rdflib raises it, kg.query may wrap it
        if _caused_by(exc, MemoryError):
            return ("error", QueryTooLarge.__name__, "", {})
        if isinstance(exc, MBCGraphError):
            return ("error", type(exc).__name__, str(exc), _attributes(exc))
        return ("error", "QueryFailed", f"The query could not be run: {type(exc).__name__}: {exc}", {})
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _attributes(exc: BaseException) -> dict[str, Any]:
    """The plain attributes of an error (a syntax error's line and column, a lookup's suggestions)."""
    names = [*vars(exc), *(("filename", "lineno", "offset", "text") if isinstance(exc, SyntaxError) else ())]
    found = {name: getattr(exc, name) for name in names}
    return {name: value for name, value in found.items() if isinstance(value, (str, int, list, tuple, type(None)))}


def _caused_by(exc: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or an exception it was raised from is a ``kind``."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def serve(conn: Connection, kg) -> None:
    """Answer requests on ``conn`` until it closes, or until this worker should be replaced."""
    _exit_with_parent()
    start_size = address_space()
    while True:
        try:
            request = conn.recv()
            conn.send("received")  # the pool may give a request to another worker until this arrives
        except (EOFError, OSError):
            return
        reply = answer(kg, request, start_size)
        retire = reply[1] == QueryTooLarge.__name__ or address_space() > start_size + _RETIRE_AFTER_GROWTH
        conn.send((*reply, retire))
        if retire:
            return


def _exit_with_parent() -> None:
    """Exit when the parent process goes: a thread, as the main one may be inside a long query
    (pyoxigraph lets other threads run meanwhile)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="mbc-graph worker watchdog").start()


def zygote(conn: Connection, kg) -> None:
    """Fork a worker for each ``("fork",)`` request (its socket comes along), kill and reap on request.

    Single-threaded by design: that is what makes forking safe.
    """
    children: set[int] = set()
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return  # the pool's process is gone
            command, pid = request
            if command == "fork":
                fd = reduction.recv_handle(conn)
                pid = os.fork()
                if pid == 0:
                    _run_forked_worker(conn, fd, kg)
                os.close(fd)
                children.add(pid)
                conn.send(pid)
            elif command in ("kill", "reap") and pid in children:
                if command == "kill":
                    os.kill(pid, signal.SIGKILL)
                children.discard(pid)
                conn.send(os.waitpid(pid, 0)[1])
            else:
                conn.send(None)
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)


def _run_forked_worker(zygote_conn: Connection, fd: int, kg) -> None:
    """The child side of a fork in :func:`zygote`: serve, then exit without returning to the zygote's loop."""
    status = 1
    try:
        zygote_conn.close()
        serve(Connection(fd), kg)
        status = 0
    finally:
        os._exit(status)


def main(fd: int) -> None:
    """Read the role and the load arguments from the socket ``fd``, load the graph, then act."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle: it stops us
    conn = Connection(fd)
    role, load_args = conn.recv()
    try:
        kg = load(**load_args)
        check_query("ASK { }")  # build rdflib's SPARQL parser once, before forking (parsing only)
    except Exception as exc:
        conn.send(("error", type(exc).__name__, str(exc), _attributes(exc)))
        return
    conn.send(("ready", os.getpid()))
    (zygote if role == "zygote" else serve)(conn, kg)


if __name__ == "__main__":
    main(int(sys.argv[1]))
