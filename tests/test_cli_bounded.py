"""``mbc-graph query`` is bounded: 60 s and 2 GiB by default, and Ctrl-C stops it at once."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mbc_graph import core
from mbc_graph.cli import arguments as cli_arguments  # where the commands look up load_graph
from mbc_graph.cli import ExitStatus, build_parser, main

from processes import CROSS_PRODUCT, children, concat_bomb, wait_until_busy, wait_until_dead


@pytest.fixture
def run(kg, monkeypatch):
    """``mbc-graph ARGS`` in-process on the session's graph; returns (status, stdout, stderr)."""
    monkeypatch.setattr(cli_arguments, "load_graph", lambda args: kg)

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        status = main(list(argv), stdout=out, stderr=err)
        return status, out.getvalue(), err.getvalue()

    return run


def test_query_limits_default_to_60_seconds_and_2_gib():
    args = build_parser().parse_args(["query", "ASK { }"])
    assert (args.timeout, args.max_memory) == (60, 2 << 30)
    args = build_parser().parse_args(["query", "ASK { }", "--timeout", "none", "--max-memory", "none"])
    assert (args.timeout, args.max_memory) == (None, None)
    args = build_parser().parse_args(["query", "ASK { }", "--timeout", "1.5", "--max-memory", "256M"])
    assert (args.timeout, args.max_memory) == (1.5, 256 << 20)


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "soon"], ["--max-memory", "lots"],
                                    ["--max-memory", "0"]])
def test_bad_limits_are_usage_errors(run, option):
    status, out, err = run("query", "ASK { }", *option)
    assert status == ExitStatus.ERROR_USAGE and out == ""
    assert f"argument {option[0]}" in err


def test_cross_product_stops_at_the_timeout_with_a_one_line_error(run):
    status, out, err = run("query", CROSS_PRODUCT, "--timeout", "1")
    assert (status, out) == (ExitStatus.ERROR, "")
    assert err == "mbc-graph: error: The query was stopped after 1 s, its time limit\n"


def test_concat_bomb_stops_at_the_memory_budget_with_a_one_line_error(run):
    status, out, err = run("query", concat_bomb(), "--max-memory", "256M")
    assert (status, out) == (ExitStatus.ERROR, "")
    assert err == "mbc-graph: error: The query was stopped: it needed more than its memory budget of 256 MiB\n"


def test_no_limits_run_the_query_in_process(run, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a query without limits went to a worker")

    monkeypatch.setattr(core, "bounded_query", refuse)  # where the graph looks it up
    status, out, _ = run("query", "ASK { mbc:Liver ?p ?o }", "--timeout", "none", "--max-memory", "none")
    assert (status, out) == (ExitStatus.SUCCESS, "true\n")
    with pytest.raises(AssertionError, match="went to a worker"):
        run("query", "ASK { mbc:Liver ?p ?o }", "--traceback")


@pytest.mark.once
def test_ctrl_c_stops_a_running_query_at_once():
    """The F2 proof of concept, with the real command: SIGINT ends it with status 130."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    process = subprocess.Popen([sys.executable, "-m", "mbc_graph", "query", CROSS_PRODUCT, "--timeout", "none"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        worker = _the_worker_of(process.pid)
        wait_until_busy(worker)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == ExitStatus.ERROR_CTRL_C
    assert (out, err) == ("", "mbc-graph: error: interrupted\n")
    wait_until_dead(worker)  # the worker goes with the command (its zygote sees the socket close)


def _the_worker_of(pid: int) -> int:
    """The query worker below the command ``pid``: a child of its zygote (a bounded wait)."""
    for _ in range(1200):
        for zygote in children(pid):
            if found := children(zygote):
                return min(found)
        time.sleep(0.05)
    raise AssertionError("no query worker started")
