"""Hostile queries and process helpers shared by the tests of bounded queries."""

from __future__ import annotations

import os
import time

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # F2: hours of work
BUDGET = 256 << 20  # small, so the memory-hungry cases stay cheap


def concat_bomb() -> str:
    """F1: nine BIND(CONCAT(x10)) steps ask for a string of 10^10 characters."""
    text = 'SELECT (STRLEN(?v9) AS ?n) WHERE { BIND("xxxxxxxxxx" AS ?v0) '
    for i in range(1, 10):
        text += "BIND(CONCAT(%s) AS ?v%d) " % (",".join([f"?v{i - 1}"] * 10), i)
    return text + "}"


def children(pid: int) -> set[int]:
    """The process ids whose parent is ``pid``, read from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except OSError:
                pass
    return found


def wait_until_busy(pid: int) -> None:
    """Until the process has used some CPU time on the query (no timing threshold: a bounded poll)."""

    def cpu() -> int:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    start = cpu()
    for _ in range(600):
        if cpu() > start + 5:
            return
        time.sleep(0.05)
    raise AssertionError("the worker never started on the query")


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (neither gone nor a zombie waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until_dead(pid: int) -> None:
    """Until ``pid`` has stopped (a bounded poll)."""
    for _ in range(600):
        if not alive(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} is still running")
