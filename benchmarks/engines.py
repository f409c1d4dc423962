"""The four engines compared: plain rdflib, our two stores, raw pyoxigraph.

Each loads the same files into the same named graphs and runs the same
query text with the same values bound, reading every value of every row.
The baselines get the relation graph as a ready N-Triples file (made once
by mbc_graph), so that they query exactly the triples our stores hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mbc_graph.namespaces import ONTOLOGY_GRAPH, PREFIXES, RELATION_GRAPH

#: Short names, in the order of the result tables.
ENGINES = ("rdflib", "memory", "oxigraph", "pyoxigraph")
DESCRIPTIONS = {
    "rdflib": "plain rdflib: `Dataset.parse` + `Dataset.query(text, initBindings=...)` (the baseline)",
    "memory": "mbc_graph `load(store=\"memory\")` (rdflib underneath)",
    "oxigraph": "mbc_graph `load(store=\"oxigraph\")`, the default",
    "pyoxigraph": "raw pyoxigraph: `Store.load`/`bulk_load` + `Store.query` (the floor)",
}


@dataclass(frozen=True)
class Files:
    """What to load: the ontology, its relation graph (for baselines) and an optional cohort."""

    ontology: Path
    relations: Path
    cohort: Path | None

    def graphs(self, with_relations: bool) -> list[tuple[str, Path]]:
        found = [(str(ONTOLOGY_GRAPH), self.ontology)]
        if with_relations:
            found.append((str(RELATION_GRAPH), self.relations))
        if self.cohort is not None:
            found.append((self.cohort.resolve().as_uri(), self.cohort))
        return found


def consume(rows) -> int:
    """Read every value of every row; return the number of rows."""
    n = 0
    for row in rows:
        for _ in row:
            pass
        n += 1
    return n


class Engine:
    name: str

    def load(self, files: Files) -> None:
        raise NotImplementedError

    def run(self, query) -> int:
        """Run a :class:`~benchmarks.workload.Query`; return the number of rows read."""
        raise NotImplementedError

    def close(self) -> None:
        self.__dict__.clear()


class PlainRdflib(Engine):
    name = "rdflib"

    def load(self, files: Files) -> None:
        from rdflib import Dataset, URIRef

        self.dataset = Dataset(default_union=True)
        for graph, path in files.graphs(with_relations=True):
            self.dataset.graph(URIRef(graph)).parse(str(path), format="turtle")

    def run(self, query) -> int:
        result = self.dataset.query(query.sparql, initNs=PREFIXES, initBindings=query.bindings)
        if result.type == "ASK":
            return int(bool(result.askAnswer))
        return consume(result)


class Ours(Engine):
    def __init__(self, store: str) -> None:
        self.name = store

    def load(self, files: Files) -> None:
        import mbc_graph

        extra = [files.cohort] if files.cohort is not None else []
        self.kg = mbc_graph.load(store=self.name, extra=extra, ontology=files.ontology)

    def run(self, query) -> int:
        if query.ours is not None:
            return consume_api(query.ours(self.kg))
        result = self.kg.query(query.sparql, query.bindings)
        if result.type == "ASK":
            return int(bool(result))
        return consume(result)


def consume_api(value) -> int:
    """Read what a helper returned (a list of concepts, a view, a path...)."""
    if isinstance(value, (list, tuple)):
        return len(value)
    html = getattr(value, "html", None)
    if isinstance(html, str):
        return len(html)
    return len(value) if hasattr(value, "__len__") else 1


class RawOxigraph(Engine):
    name = "pyoxigraph"

    def load(self, files: Files) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        for graph, path in files.graphs(with_relations=True):
            load = self.store.bulk_load if path.stat().st_size > 16_000_000 else self.store.load
            load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        self._texts: dict[str, str] = {}

    def run(self, query) -> int:
        text = self._texts.get(query.key)
        if text is None:
            from mbc_graph.stores.oxigraph import bind

            # The values go in as a VALUES block opening the WHERE group: what
            # a pyoxigraph user would write by hand (prepared outside the timing).
            text = self._texts[query.key] = bind(query.sparql, query.bindings)
        result = self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(result, self.ox.QueryBoolean):
            return int(bool(result))
        return consume_values(result)


def consume_values(rows) -> int:
    """Read every value of every pyoxigraph row as a Python string (what a user reads); return the row count."""
    n = 0
    for row in rows:
        for term in row:
            if term is not None:
                term.value  # noqa: B018 - the read is the point
        n += 1
    return n


def make(name: str) -> Engine:
    if name == "rdflib":
        return PlainRdflib()
    if name == "pyoxigraph":
        return RawOxigraph()
    if name in ("memory", "oxigraph"):
        return Ours(name)
    raise ValueError(f"Unknown engine {name!r}; choose from {', '.join(ENGINES)}")


def load_only(name: str, files: Files) -> Engine:
    engine = make(name)
    engine.load(files)
    return engine


__all__ = ["DESCRIPTIONS", "ENGINES", "Engine", "Files", "consume", "load_only", "make"]


def parse_engines(text: str) -> Sequence[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        make(n)
    return names
