"""Timing in this process; peak memory and cold start in fresh processes; the machine."""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


MIN_SECONDS = 1.0
MAX_RUNS = 500


@dataclass
class Timing:
    """The median of ``runs`` timed calls, after one untimed warm-up call (``first``)."""

    median: float
    runs: int
    first: float
    value: object = None


def timed(fn: Callable[[], object], repeat: int, budget: float, *, setup: Callable[[], None] | None = None,
          warmup: bool = True) -> Timing:
    """Time ``fn``: one warm-up call, then up to ``repeat`` calls while under ``budget`` seconds.

    A call slower than the budget is timed once: its warm-up call is the
    sample. ``setup`` runs before every call, untimed. Without ``warmup``
    every call is a sample (for loads, where the first is what users see).
    """
    def once() -> tuple[float, object]:
        if setup is not None:
            setup()
            gc.collect()
        start = time.perf_counter()
        value = fn()
        return time.perf_counter() - start, value

    first, value = once()
    samples: list[float] = [] if warmup else [first]
    spent = first
    if first > budget:
        return Timing(first, 1, first, value)
    # Fast calls run more often (up to MIN_SECONDS of them): on a shared
    # machine a few samples can all land on a descheduled slice.
    while spent < budget and (len(samples) < repeat or (spent < MIN_SECONDS and len(samples) < MAX_RUNS)):
        seconds, value = once()
        samples.append(seconds)
        spent += seconds
    if not samples:
        samples.append(first)
    return Timing(statistics.median(samples), len(samples), first, value)


# -- fresh processes --------------------------------------------------------------------------------
_CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from benchmarks.engines import Files, make
engine = make({engine!r})
files = Files(*(None if p is None else __import__("pathlib").Path(p) for p in {files!r}))
def peak_kb():
    # VmHWM: this process's own peak. ru_maxrss would do on most systems, but
    # Linux carries the parent's peak over into it across fork and exec.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = peak_kb()
t = time.perf_counter()
engine.load(files)
loaded = time.perf_counter() - t
print(json.dumps({{"load": loaded, "maxrss_kb": peak_kb(), "before_kb": before}}))
"""


def peak_memory(engine: str, files) -> dict:
    """Load in a fresh process; its peak resident memory (KiB) and load time."""
    code = _CHILD.format(root=str(ROOT), engine=engine,
                         files=[str(files.ontology), str(files.relations), str(files.cohort) if files.cohort else None])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


COLD = {
    "rdflib": "from rdflib import Dataset, URIRef\n"
              "d = Dataset(default_union=True)\n"
              "d.graph(URIRef('urn:g')).parse({path!r}, format='turtle')",
    "memory": "import mbc_graph\nmbc_graph.load(store='memory', ontology={path!r})",
    "oxigraph": "import mbc_graph\nkg = mbc_graph.load(store='oxigraph', ontology={path!r})",
    "import mbc_graph": "import mbc_graph",
    "pyoxigraph": "import pyoxigraph as ox\ns = ox.Store()\n"
                  "s.load(path={path!r}, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode('urn:g'))",
}
# Time to a first answer: the load above, then one helper query (ours) or the
# same SPARQL text with the same value bound (raw pyoxigraph, which has no
# relation graph here, so it answers from the ontology alone: a lower bound).
FIRST_ANSWER = {"oxigraph, first answer": "oxigraph", "pyoxigraph, first answer": "pyoxigraph"}


def _first_answer(engine: str, path: Path) -> str:
    """The code of a cold start that ends with one answer."""
    if engine == "oxigraph":
        return COLD[engine].format(path=str(path)) + "\nkg.symptoms_of('bone metastasis')"
    from mbc_graph.namespaces import PREFIXES
    from mbc_graph.queries import named_query

    query = named_query("symptoms_of").replace("WHERE {", "WHERE { VALUES ?x { mbc:BoneMetastasis }", 1)
    return (COLD[engine].format(path=str(path)) + f"\nq = {query!r}\n"
            f"rows = s.query(q, prefixes={dict(PREFIXES)!r}, use_default_graph_as_union=True)\n"
            "[t.value for row in rows for t in row]")


_COLD_WRAPPER = """
import time
t0 = time.perf_counter()
{body}
t1 = time.perf_counter()
print(t1 - t0)
"""


def cold_start(engine: str, path: Path, runs: int, env: dict[str, str] | None = None) -> dict:
    """Medians over ``runs`` fresh processes: the whole process (interpreter start
    included) and the import-and-load code inside it."""
    body = _first_answer(FIRST_ANSWER[engine], path) if engine in FIRST_ANSWER else COLD[engine].format(path=str(path))
    code = _COLD_WRAPPER.format(body=body)
    walls, insides = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=ROOT, env={**os.environ, **(env or {})})
        walls.append(time.perf_counter() - start)
        insides.append(float(out.stdout.strip().splitlines()[-1]))
    return {"process": statistics.median(walls), "import_and_load": statistics.median(insides)}


def interpreter_start(runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


# -- the machine ---------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    info = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
        info["CPU"] = models[0] if models else platform.processor() or "unknown"
    except OSError:
        info["CPU"] = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{os.cpu_count()} logical ({usable} usable by this process)"
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        info["RAM"] = f"{total / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["RAM"] = "unknown"
    info["OS"] = f"{platform.system()} {platform.release()}"
    info["Python"] = f"{platform.python_implementation()} {platform.python_version()}"
    from importlib.metadata import PackageNotFoundError, version

    for package in ("mbc-graph", "rdflib", "pyoxigraph", "networkx", "pyparsing"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = "not installed"
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
