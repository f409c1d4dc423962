"""The scale run: large synthetic cohorts on the on-disk store, Oxigraph's server and Virtuoso.

    python -m benchmarks.scale                       # 100k and 1M patients, all three engines
    python -m benchmarks.scale --sizes 100000 --engines disk,oxigraph-server

For each size: write the cohort (``mbc_graph.synth``, streamed), build the
on-disk store from it, publish that store to each server (Graph Store
Protocol for Oxigraph, SPARQL Update with Digest auth for Virtuoso), then
time the reopen and the cohort queries of ``benchmarks.workload``, with raw
pyoxigraph on the same on-disk store as the baseline. Every step runs in a
fresh process, whose peak resident memory (``VmHWM``) is the client's peak
memory. Not part of CI (a 1M run writes about 10 GB and takes an hour);
writes ``benchmarks/SCALE.md``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("disk", "oxigraph-server", "virtuoso")
#: Disk needed per patient, all engines and the cohort file together (measured at 100k, rounded up).
BYTES_PER_PATIENT = 12_000


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM; spawned, so not the parent's)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _in_child(fn, *args) -> dict:
    """Run ``fn(*args)`` in a fresh process; its result with the process's peak memory."""
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def write_cohort(path: str, patients: int) -> dict:
    from mbc_graph import synth

    started = time.perf_counter()
    synth.write_cohort(path, patients, seed=1)
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_kb() / 1024}


def build_disk(directory: str, cohort: str) -> dict:
    import mbc_graph

    started = time.perf_counter()
    mbc_graph.load(path=directory, extra=[cohort], rebuild=True).store.close()
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_kb() / 1024}


def reopen_disk(directory: str, repeat: int = 7) -> dict:
    import mbc_graph

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        kg = mbc_graph.load(path=directory)
        times.append(time.perf_counter() - started)
        kg.store.close()
    return {"seconds": statistics.median(times), "peak_mb": _peak_kb() / 1024}


def publish(directory: str, options: dict) -> dict:
    import mbc_graph

    kg = mbc_graph.load(path=directory)
    started = time.perf_counter()
    kg.publish(**options, say=lambda line: None)
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_kb() / 1024}


def cohort_queries(load_options: dict, directory: str, repeat: int) -> dict:
    """Median seconds per cohort query through ``kg.query``, and on raw pyoxigraph over the same on-disk store."""
    import pyoxigraph as ox

    import mbc_graph
    from mbc_graph.namespaces import PREFIXES
    from mbc_graph.stores.oxigraph import bind

    from .workload import discover

    kg = mbc_graph.load(**load_options)
    raw = ox.Store.read_only(str(Path(directory) / "oxigraph")) if "path" in load_options else None
    found = {}
    for query in (q for q in discover(kg).queries if q.cohort):
        ours = _median(lambda: list(kg.query(query.sparql, **query.bindings).rows), repeat)
        entry = {"ours": ours}
        if raw is not None:
            text = bind(query.sparql, query.bindings)
            entry["raw"] = _median(lambda: list(raw.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)),
                                   repeat)
        found[query.name] = entry
    return {"queries": found, "peak_mb": _peak_kb() / 1024}


def _median(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_size(patients: int, engines: list[str], work: Path, repeat: int, log, save) -> dict:
    """Measure one size; ``save(result)`` is called whenever an engine is done, so a long run reports as it goes."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from servers import VIRTUOSO_USER, oxigraph_server, virtuoso_server

    result: dict = {"patients": patients}
    cohort = work / f"cohort-{patients}.ttl"
    log(f"{patients}: writing the cohort")
    result["synth"] = _in_child(write_cohort, str(cohort), patients) | {"bytes": cohort.stat().st_size}
    database = work / f"disk-{patients}"
    log(f"{patients}: building the on-disk store")
    result["disk"] = {"build": _in_child(build_disk, str(database), str(cohort))}
    result["disk"]["bytes"] = size_of(database)
    result["disk"]["reopen"] = _in_child(reopen_disk, str(database))
    log(f"{patients}: cohort queries on the on-disk store")
    result["disk"]["queries"] = _in_child(cohort_queries, {"path": str(database)}, str(database), repeat)
    save(result)
    servers = {"oxigraph-server": (oxigraph_server, "/query", {"graph_store": "/store"}),
               "virtuoso": (virtuoso_server, "/sparql", {"update_endpoint": "/sparql-auth", "auth": VIRTUOSO_USER})}
    for engine in [e for e in engines if e in servers]:
        start, query_path, publish_options = servers[engine]
        directory = work / f"{engine}-{patients}"
        directory.mkdir()
        started = time.perf_counter()
        with start(directory) as base:
            up = time.perf_counter() - started
            options = {k: base + v if isinstance(v, str) else v for k, v in publish_options.items()}
            log(f"{patients}: publishing to {engine}")
            entry = {"start": up, "publish": _in_child(publish, str(database), options)}
            log(f"{patients}: cohort queries on {engine}")
            entry["queries"] = _in_child(cohort_queries, {"store": "sparql", "endpoint": base + query_path},
                                         str(database), repeat)
        entry["bytes"] = size_of(directory)
        result[engine] = entry | {"reopen": float("nan")}
        save(result)
        started = time.perf_counter()
        with start(directory):  # reopen: from process start to the first answer
            entry["reopen"] = time.perf_counter() - started
        result[engine] = entry
        save(result)
        shutil.rmtree(directory)
    return result


def report(results: list[dict], engines: list[str]) -> str:
    mb = lambda n: f"{n / 2**20:,.0f} MB"  # noqa: E731
    lines = ["# Scale results", "",
             f"Written by `python -m benchmarks.scale` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}); "
             "not part of CI. Each step ran in a fresh process; *peak* is that client process's peak resident "
             "memory. Server memory is not counted. Engines: the on-disk store (`load(path=DIR)`), Oxigraph's "
             "server (`oxigraph serve`, published through the Graph Store Protocol) and Virtuoso 7.2 "
             "(published through SPARQL Update, Digest auth). Raw pyoxigraph runs the same query text on the "
             "same on-disk store (`Store.read_only`).", "",
             "## Load, disk and reopen", "",
             "| patients | engine | load / publish (s) | client peak | disk | reopen (s) |",
             "| ---: | :--- | ---: | ---: | ---: | ---: |"]
    for r in results:
        n = f"{r['patients']:,}"
        lines.append(f"| {n} | cohort file (synth) | {r['synth']['seconds']:.1f} | {r['synth']['peak_mb']:.0f} MB "
                     f"| {mb(r['synth']['bytes'])} | |")
        d = r["disk"]
        lines.append(f"| {n} | on-disk store | {d['build']['seconds']:.1f} | {d['build']['peak_mb']:.0f} MB "
                     f"| {mb(d['bytes'])} | {d['reopen']['seconds']:.4f} |")
        for engine in [e for e in engines if e != "disk" and e in r]:
            e = r[engine]
            lines.append(f"| {n} | {engine} | {e['publish']['seconds']:.1f} | {e['publish']['peak_mb']:.0f} MB "
                         f"| {mb(e['bytes'])} | {e['reopen']:.2f} (server start) |")
    lines += ["", "## Cohort queries (median ms)", ""]
    columns = ["on-disk", "raw pyoxigraph", "ratio", *[e for e in engines if e != "disk"]]
    lines += ["| patients | query | " + " | ".join(columns) + " |", "| ---: | :--- |" + " ---: |" * len(columns)]
    for r in results:
        for name, d in r["disk"]["queries"]["queries"].items():
            cells = [f"{d['ours'] * 1000:.1f}", f"{d['raw'] * 1000:.1f}", f"{d['ours'] / d['raw']:.2f}×"]
            for engine in columns[3:]:
                q = r.get(engine, {}).get("queries", {}).get("queries", {}).get(name)
                cells.append(f"{q['ours'] * 1000:.1f}" if q else "")
            lines.append(f"| {r['patients']:,} | {name} | " + " | ".join(cells) + " |")
        lines.append(f"| {r['patients']:,} | client peak while querying | "
                     f"{r['disk']['queries']['peak_mb']:.0f} MB | | | "
                     + " | ".join(f"{r[e]['queries']['peak_mb']:.0f} MB" if e in r else "" for e in columns[3:]) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="patients, comma-separated (default: %(default)s)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="default: %(default)s")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (default: %(default)s)")
    parser.add_argument("--work-dir", type=Path, default=None, help="where the data goes (default: a temporary folder)")
    parser.add_argument("--output", type=Path, default=HERE / "SCALE.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines {sorted(unknown)}; known: {', '.join(ENGINES)}")
    work = Path(tempfile.mkdtemp(prefix="mbc-scale-", dir=args.work_dir))
    need = max(sizes) * BYTES_PER_PATIENT * 2  # the largest size, and the one before it still on disk
    free = shutil.disk_usage(work).free
    log = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa: E731
    log(f"working in {work}: {free / 2**30:.1f} GiB free, about {need / 2**30:.1f} GiB needed")
    if free < need:
        log("not enough free disk space: choose a smaller --sizes or another --work-dir")
        return 1
    results = []
    try:
        for patients in sizes:
            def save(result: dict) -> None:
                args.output.write_text(report([*results, result], engines))
                log(f"{patients}: {args.output} written")

            results.append(run_size(patients, engines, work, args.repeat, log, save))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
