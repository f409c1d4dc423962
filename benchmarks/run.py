"""Run the benchmarks and write benchmarks/RESULTS.md.

    python -m benchmarks.run                          # ontology, 1k, 10k and 100k patients
    python -m benchmarks.run --sizes 0,1000 --repeat 3   # a quick run
    python -m benchmarks.run --engines memory,oxigraph --no-memory --no-cold

Sizes are numbers of synthetic patients (``0`` is the ontology alone).
Cohorts are generated once with :func:`mbc_graph.synth.write_cohort` and
kept in ``--data-dir`` (default ``$XDG_CACHE_HOME/mbc-graph/bench``), named
after the ontology's hash, so an edited ontology gets new ones.

All timings of one run come from this process, engine after engine, so the
ratios compare like with like; peak memory and cold start are measured in
fresh processes. Plain rdflib at 100k patients takes minutes: fine for
``make bench``, which is not part of CI.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import pickle
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import engines as eng
from . import measure, report
from .workload import discover

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,1000,10000,100000",
                        help="patients per cohort, comma-separated; 0 = the ontology alone (default: %(default)s)")
    parser.add_argument("--engines", default=",".join(eng.ENGINES),
                        help="engines to compare (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query, after a warm-up (default: %(default)s)")
    parser.add_argument("--load-repeat", type=int, default=3, help="timed loads per engine and size (default: %(default)s)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per measurement before repeats stop; a slower call is timed once (default: %(default)s)")
    parser.add_argument("--competency", type=int, default=12, help="competency questions sampled (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="cohort seed (default: %(default)s)")
    parser.add_argument("--cold-runs", type=int, default=7, help="fresh processes per cold-start figure (default: %(default)s)")
    parser.add_argument("--no-memory", action="store_true", help="skip peak memory (one fresh process per engine and size)")
    parser.add_argument("--no-cold", action="store_true", help="skip cold start in fresh processes")
    parser.add_argument("--data-dir", type=Path, default=None, help="where cohorts are kept")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md", help="the report (default: %(default)s)")
    parser.add_argument("--report-only", action="store_true",
                        help="render the report again from the last run's numbers (kept in --data-dir)")
    args = parser.parse_args(argv)
    args.size_list = sorted({0 if s.strip() in ("0", "ontology") else int(s) for s in args.sizes.split(",") if s.strip()})
    args.engine_list = list(eng.parse_engines(args.engines))
    if args.data_dir is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        args.data_dir = Path(base) / "mbc-graph" / "bench"
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def prepare_data(args, kg, ontology: Path) -> tuple[Path, dict[int, Path], dict[int, float]]:
    """The relation graph as N-Triples (for the baselines) and one cohort file per size."""
    from mbc_graph import synth
    from mbc_graph.namespaces import RELATION_GRAPH

    args.data_dir.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha256(ontology.read_bytes()).hexdigest()[:12]
    for stale in [*args.data_dir.glob("cohort-*.ttl"), *args.data_dir.glob("relations-*.nt")]:
        if not stale.stem.endswith(tag):  # made from an earlier version of the ontology
            stale.unlink(missing_ok=True)
    relations = args.data_dir / f"relations-{tag}.nt"
    if not relations.exists():
        rows = kg.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": RELATION_GRAPH}).rows
        tmp = relations.with_suffix(".tmp")
        tmp.write_text("".join(f"<{s}> <{p}> <{o}> .\n" for s, p, o in rows), encoding="utf-8")
        os.replace(tmp, relations)
    cohorts, generation = {}, {}
    for size in args.size_list:
        if size == 0:
            continue
        path = args.data_dir / f"cohort-{size}-seed{args.seed}-{tag}.ttl"
        if not path.exists():
            log(f"writing a cohort of {size} patients")
            start = time.perf_counter()
            synth.write_cohort(path, size, seed=args.seed, kg=kg)
            generation[size] = time.perf_counter() - start
        cohorts[size] = path
    return relations, cohorts, generation


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report_only:
        with open(args.data_dir / "last-run.pickle", "rb") as saved:
            results = pickle.load(saved)
        write_report(results, args.output)
        return 0
    import mbc_graph

    started = datetime.now(timezone.utc)
    results: dict = {
        "command": "python -m benchmarks.run" + ("" if argv is None and len(sys.argv) == 1 else " " + shlex.join(
            sys.argv[1:] if argv is None else argv)),
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": measure.machine(),
        "load_average_start": measure.load_average(),
        "args": args,
        "load": {}, "memory": {}, "queries": {}, "rows": {}, "triples": {}, "notes": [], "cold": {},
    }
    ontology = mbc_graph.bundled_ontology()
    try:
        kg = mbc_graph.load(store="oxigraph")
    except ImportError:
        kg = mbc_graph.load()
    workload = discover(kg, args.competency)
    results["queries_run"] = [(q.key, q.group, q.name) for q in workload.queries]
    results["notes"].extend(workload.notes)
    relations, cohorts, generation = prepare_data(args, kg, ontology)
    results["generation"] = generation
    del kg

    for size in args.size_list:
        files = eng.Files(ontology, relations, cohorts.get(size))
        results["load"][size], results["queries"][size], results["rows"][size] = {}, {}, {}
        for name in args.engine_list:
            holder: dict[str, eng.Engine | None] = {"engine": None}

            def release() -> None:
                if holder["engine"] is not None:
                    holder["engine"].close()
                holder["engine"] = None
                gc.collect()

            def load() -> None:
                holder["engine"] = eng.load_only(name, files)

            log(f"{size} patients: loading with {name}")
            results["load"][size][name] = measure.timed(load, args.load_repeat, args.budget * 3, setup=release,
                                                        warmup=False)
            engine = holder["engine"]
            if name == "oxigraph":
                results["triples"][size] = len(engine.kg.store)
            for query in workload.queries:
                if (query.cohort and size == 0) or (query.sparql is None and name in ("rdflib", "pyoxigraph")):
                    continue
                try:
                    timing = measure.timed(lambda q=query: engine.run(q), args.repeat, args.budget)
                except Exception as exc:  # one failing query should not cost the whole run
                    results["notes"].append(f"{query.key} failed on {name} at {size} patients: {exc!r}")
                    continue
                results["queries"][size].setdefault(query.key, {})[name] = timing
                results["rows"][size].setdefault(query.key, {})[name] = timing.value
            log(f"{size} patients: {name} done")
            release()
        check_answers(results, size, workload)
        save(results, args)

    if not args.no_memory:
        for size in args.size_list:
            files = eng.Files(ontology, relations, cohorts.get(size))
            results["memory"][size] = {}
            for name in args.engine_list:
                log(f"{size} patients: peak memory of {name}")
                try:
                    results["memory"][size][name] = measure.peak_memory(name, files)
                except subprocess.CalledProcessError as exc:
                    results["notes"].append(f"Peak memory of {name} at {size} patients failed: {failure(exc)}")
        save(results, args)

    if not args.no_cold:
        log("cold start in fresh processes")
        cache = args.data_dir / "cache"
        results["cold"]["interpreter"] = measure.interpreter_start(args.cold_runs)
        try:
            results["cold"]["import mbc_graph"] = measure.cold_start("import mbc_graph", ontology, args.cold_runs)
        except subprocess.CalledProcessError as exc:
            results["notes"].append(f"Cold start of the import failed: {failure(exc)}")
        for name in args.engine_list:
            variants: dict[str, dict[str, str] | None] = {name: None}
            if name in ("memory", "oxigraph"):
                variants = {name: {"MBC_GRAPH_CACHE_DIR": str(cache)}, f"{name}, no disk cache": {"MBC_GRAPH_CACHE_DIR": ""}}
                measure.cold_start(name, ontology, 1, variants[name])  # fill the disk cache
            for label, env in variants.items():
                try:
                    results["cold"][label] = measure.cold_start(name, ontology, args.cold_runs, env)
                except subprocess.CalledProcessError as exc:
                    results["notes"].append(f"Cold start of {label} failed: {failure(exc)}")
        for label, engine in measure.FIRST_ANSWER.items():
            if engine in args.engine_list:
                try:
                    results["cold"][label] = measure.cold_start(label, ontology, args.cold_runs,
                                                                {"MBC_GRAPH_CACHE_DIR": str(cache)})
                except subprocess.CalledProcessError as exc:
                    results["notes"].append(f"Cold start of {label} failed: {failure(exc)}")

    results["load_average_end"] = measure.load_average()
    results["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    save(results, args)
    write_report(results, args.output)
    return 0


def write_report(results: dict, output: Path) -> None:
    text = report.render(results)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, output)
    log(f"wrote {output}")
    print(report.summary(results))


def save(results: dict, args) -> None:
    """Keep the numbers so far (``--report-only`` renders them again)."""
    path = args.data_dir / "last-run.pickle"
    with open(path.with_suffix(".tmp"), "wb") as out:
        pickle.dump(results, out)
    os.replace(path.with_suffix(".tmp"), path)


def failure(exc: subprocess.CalledProcessError) -> str:
    lines = (exc.stderr or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {exc.returncode}"


def check_answers(results: dict, size: int, workload) -> None:
    """Note every query whose engines read different numbers of rows."""
    for query in workload.queries:
        counts = results["rows"][size].get(query.key, {})
        if query.cohort and counts and not any(counts.values()):
            results["notes"].append(f"{query.key} found no rows at {size} patients: the cohort has no such "
                                    "patient (the codes a cohort uses follow the ontology's relations).")
        groups = [("rdflib", "pyoxigraph")] if query.ours else [tuple(counts)]
        if query.ours:
            groups.append(("memory", "oxigraph"))
        for group in groups:
            found = {name: counts[name] for name in group if name in counts}
            if len(set(found.values())) > 1:
                results["notes"].append(f"Answers differ at {size} patients for {query.key}: {found}")


if __name__ == "__main__":
    sys.exit(main())
