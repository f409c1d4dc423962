"""The processes behind :class:`mbc_graph.workers.QueryWorkers`, as the pool's process sees them.

Each is a new interpreter running :mod:`mbc_graph.worker_process`, started
with ``subprocess`` (exec'd: never a fork of the calling process, which may
have threads inside pyoxigraph). Not multiprocessing's spawn either: it
runs the user's script again in the child when the script has no
``if __name__ == "__main__"`` guard. Two ways to get workers:

* :class:`Zygote`: one process loads the graph and forks a worker per
  request; it is restarted if it dies.
* :class:`FreshWorkers`: each worker is a new process that opens the
  graph itself: for an on-disk store, whose RocksDB handle must not be
  forked (each worker opens it read-only).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from . import errors
from .errors import MBCGraphError, QueryFailed


class Worker:
    """One worker process, as the pool sees it: its socket and process id."""

    def __init__(self, conn: Connection, pid: int) -> None:
        self.conn, self.pid = conn, pid


def start_process(role: str, load_args: dict) -> tuple[subprocess.Popen, Connection, int]:
    """Start ``python -m mbc_graph.worker_process`` in ``role``; return once it has loaded the graph.

    A new interpreter (exec'd, never a fork of this process); not
    multiprocessing's spawn either, which would run the user's script again
    in the child when it has no ``if __name__ == "__main__"`` guard.
    """
    ours, theirs = socket.socketpair()
    env = dict(os.environ)  # the child imports this very copy of the package
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                      env.get("PYTHONPATH")]))
    process = subprocess.Popen([sys.executable, "-m", "mbc_graph.worker_process", str(theirs.fileno())],
                               pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    theirs.close()
    conn = Connection(ours.detach())
    try:
        conn.send((role, load_args))
        reply = conn.recv()
    except (EOFError, OSError):
        reply = ("error", "MBCGraphError", f"The query {role} process stopped while loading the graph", {})
    if reply[0] != "ready":
        process.kill()
        process.wait()
        conn.close()
        raise reported_error(*reply[1:4])
    return process, conn, reply[1]


class Zygote:
    """Forks workers from a process that loaded the graph, and kills and reaps them on request."""

    def __init__(self, load_args: dict) -> None:
        self._load_args = load_args
        self._process, self._conn, self.pid = start_process("zygote", load_args)
        self._lock = threading.Lock()  # one request at a time on the zygote's socket

    def start(self) -> Worker:
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                try:
                    pid = self._fork(theirs)
                except (EOFError, OSError):  # the zygote died (killed from outside): start another
                    self._process.kill()
                    self._process.wait()
                    self._process, self._conn, self.pid = start_process("zygote", self._load_args)
                    pid = self._fork(theirs)
        finally:
            theirs.close()
        return Worker(Connection(ours.detach()), pid)

    def _fork(self, theirs: socket.socket) -> int:
        self._conn.send(("fork", None))
        reduction.send_handle(self._conn, theirs.fileno(), self.pid)
        return self._conn.recv()

    def stop(self, worker: Worker, *, kill: bool) -> int | None:
        """Stop (``kill``) or reap a worker; its exit code (negative: killed by that signal),
        None if the zygote is gone (it kills its workers as it goes)."""
        worker.conn.close()
        try:
            with self._lock:
                self._conn.send(("kill" if kill else "reap", worker.pid))
                status = self._conn.recv()
        except (EOFError, OSError):
            return None
        return None if status is None else os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        self._conn.close()  # the zygote then kills its workers and exits
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class FreshWorkers:
    """Starts each worker as a new process that opens the on-disk store read-only."""

    def __init__(self, load_args: dict) -> None:
        self._load_args = {**load_args, "read_only": True} if load_args.get("path") else load_args
        self._processes: dict[int, subprocess.Popen] = {}

    def start(self) -> Worker:
        process, conn, pid = start_process("worker", self._load_args)
        self._processes[pid] = process
        return Worker(conn, pid)

    def stop(self, worker: Worker, *, kill: bool) -> int | None:
        worker.conn.close()
        process = self._processes.pop(worker.pid, None)
        if process is None:
            return None
        if kill:
            process.kill()
        return process.wait()

    def close(self) -> None:
        for process in list(self._processes.values()):
            process.kill()
            process.wait()


def reported_error(name: str, message: str, attributes: dict[str, Any]) -> MBCGraphError:
    """The error a worker reported, rebuilt as that class of :mod:`mbc_graph.errors` (else QueryFailed)."""
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, MBCGraphError)):
        cls = QueryFailed
    error = cls.__new__(cls)  # their own __init__ takes other arguments: the message and attributes travel
    Exception.__init__(error, message)
    for attribute, value in attributes.items():
        setattr(error, attribute, value)
    return error
