"""Search benchmarks: search as you type, and a cold ``mbc-graph search``.

    python -m benchmarks.search            # prints the table and updates RESULTS.md
    python -m benchmarks.search --runs 5   # a quick run

1. The median time of ``kg.search`` over a set of queries (typos, synonyms,
   CURIEs, several words) on the bundled ontology, in this process.
2. Cold start, process start to answer, in fresh processes taking turns in
   the same run: ``mbc-graph search jaundice`` (with the name cache filled
   by an untimed first run, and with the cache turned off) against the
   baseline, a fresh Python process that loads the ontology into raw
   pyoxigraph and runs one query.

The table goes into ``RESULTS.md`` between the ``search`` markers (the rest
of the file is left as ``benchmarks.run`` wrote it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mbc_graph

HERE = Path(__file__).resolve().parent
QUERIES = ["jaundice", "jaundise", "short of breath", "cancer in the brain", "bone mets", "HP:0000952",
           "yellowing skin", "triple negative", "her2+", "brian metastsis", "aromatase inhibitor", "jaun"]
BASELINE = """\
import sys, pyoxigraph
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
query = 'SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> "jaundice"@en }'
print([str(row["c"]) for row in store.query(query)])
"""
BEGIN, END = "<!-- search:begin -->", "<!-- search:end -->"


def search_times(runs: int) -> list[float]:
    kg = mbc_graph.load()
    for text in QUERIES:  # warm-up: the index is built on the first search
        kg.search(text)
    words = kg.concepts.name_index._index._similar  # the per-word cache: cleared, so each search starts cold
    times = []
    for _ in range(runs):
        for text in QUERIES:
            words.cache_clear()
            start = time.perf_counter()
            kg.search(text)
            times.append(time.perf_counter() - start)
    return times


def cold_times(runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "baseline.py"
        baseline.write_text(BASELINE)
        cache = Path(tmp) / "cache"
        env = dict(os.environ, MBC_GRAPH_CACHE_DIR=str(cache))
        commands = {
            "raw pyoxigraph: load + 1 query": ([sys.executable, str(baseline), str(mbc_graph.bundled_ontology())], env),
            "mbc-graph search jaundice (cached names)": ([sys.executable, "-m", "mbc_graph", "search", "jaundice"], env),
            "mbc-graph search jaundice (no disk cache)": ([sys.executable, "-m", "mbc_graph", "search", "jaundice"],
                                                          dict(env, MBC_GRAPH_CACHE_DIR="")),
        }
        for command, command_env in commands.values():  # fill the caches, compile the bytecode
            subprocess.run(command, env=command_env, check=True, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):  # taking turns, so load on the machine hits all alike
            for name, (command, command_env) in commands.items():
                start = time.perf_counter()
                subprocess.run(command, env=command_env, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
    return times


def render(search: list[float], cold: dict[str, list[float]]) -> str:
    base = statistics.median(next(iter(cold.values())))
    lines = [
        BEGIN,
        "## Search (`python -m benchmarks.search`)",
        "",
        f"Written {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        "",
        f"- `kg.search`, {len(QUERIES)} queries (typos, synonyms, CURIEs, several words), "
        f"{len(search)} calls on the bundled ontology: median **{statistics.median(search) * 1e3:.3f} ms**, "
        f"90th percentile {statistics.quantiles(search, n=10)[-1] * 1e3:.3f} ms.",
        "",
        "Cold start, process start to answer (fresh processes taking turns, same run):",
        "",
        "| command | median ms | × raw pyoxigraph |",
        "| :--- | ---: | ---: |",
    ]
    for name, values in cold.items():
        median = statistics.median(values)
        lines.append(f"| {name} | {median * 1e3:.0f} | {median / base:.2f} |")
    lines += ["", END]
    return "\n".join(lines)


def write(section: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    section = render(search_times(args.runs * 10), cold_times(args.runs))
    print(section)
    write(section, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
