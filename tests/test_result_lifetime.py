"""Oxigraph results are freed in the thread that made them (security review F14).

pyo3 refuses to drop a pyoxigraph result iterator in another thread: it
prints a RuntimeError traceback and leaks the object (older releases abort).
That happened when the frame of ``OxigraphStore.execute`` outlived the call
and the cyclic garbage collector freed it in some other thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from mbc_graph.stores import oxigraph
from mbc_graph.stores.oxigraph import OxigraphStore


def test_execute_keeps_no_result_in_a_frame_that_outlives_it(monkeypatch):
    """A traceback keeps the frame alive: the result must be gone from it already."""

    def fail(*args, **kwargs):
        raise RuntimeError("reading the result failed")

    monkeypatch.setattr(oxigraph, "QueryOutcome", fail)
    with pytest.raises(RuntimeError) as caught:
        OxigraphStore().execute("SELECT * WHERE { ?s ?p ?o }", {}, {})
    (frame,) = [f for f, _ in traceback.walk_tb(caught.value.__traceback__) if f.f_code.co_name == "execute"]
    assert "result" not in frame.f_locals


_THREADS = r"""
import os, threading, time
import mbc_graph
kg = mbc_graph.load(store="oxigraph")
kg.concepts
stop = time.time() + 5
def work():
    while time.time() < stop:
        kg.symptoms_of("brain"); kg.evidence("brain metastasis", "has symptom", "seizure")
threads = [threading.Thread(target=work) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print("done")
"""


@pytest.mark.once
def test_helpers_in_four_threads_drop_no_result_in_another_thread():
    """The review's proof of concept, shortened: nothing on stderr."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    run = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True, timeout=300, env=env)
    assert run.stdout == "done\n" and run.returncode == 0
    assert "unsendable" not in run.stderr and run.stderr == ""
