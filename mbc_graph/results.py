"""Query results: rows with attribute and key access, tables and serializations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from .errors import MissingDependency
from .stores import QueryOutcome


class Row:
    """One solution of a SELECT query.

    Values are rdflib terms (or ``None`` when unbound), reached by name
    (``row.label``, ``row["label"]``) or position (``row[0]``).
    """

    __slots__ = ("_names", "_raw", "_convert")

    def __init__(self, names: dict[str, int], raw: tuple, convert) -> None:
        self._names, self._raw, self._convert = names, raw, convert

    def __getitem__(self, key: str | int) -> Node | None:
        index = key if isinstance(key, int) else self._names[key]
        return self._convert(self._raw[index])

    def __getattr__(self, name: str) -> Node | None:
        if name.startswith("_"):  # copy/pickle probe dunders before __slots__ are set
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"No variable ?{name} in this result; variables: {', '.join(self._names)}") from None

    def __iter__(self) -> Iterator[Node | None]:
        return (self._convert(value) for value in self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def asdict(self) -> dict[str, Node | None]:
        """The bound variables as a dict."""
        return {name: self[i] for name, i in self._names.items() if self._raw[i] is not None}

    def __repr__(self) -> str:
        return f"Row({', '.join(f'{k}={v!r}' for k, v in self.asdict().items())})"


class QueryResult:
    """The answer to :meth:`KnowledgeGraph.query`.

    SELECT results iterate as :class:`Row`; ASK results are truthy or falsy
    (``result.askAnswer``); CONSTRUCT and DESCRIBE results iterate as triples
    and expose ``result.graph``. Rows are read once from the store and kept,
    so a result can be iterated several times.
    """

    def __init__(self, outcome: QueryOutcome, kind: str) -> None:
        self.type = kind
        self.vars = list(outcome.variables)
        self.askAnswer = outcome.boolean
        self._outcome = outcome
        self._rows: list[Row] | None = None
        self._graph: Graph | None = None

    # -- SELECT ----------------------------------------------------------------
    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            names = {name: i for i, name in enumerate(self.vars)}
            convert = self._outcome.to_rdflib
            self._rows = [Row(names, raw, convert) for raw in self._outcome.rows]
        return self._rows

    # -- CONSTRUCT / DESCRIBE ----------------------------------------------------
    @property
    def graph(self) -> Graph:
        if self.type not in ("CONSTRUCT", "DESCRIBE"):
            raise TypeError(f"A {self.type} result has no graph")
        if self._graph is None:
            self._graph = Graph()
            for triple in self._outcome.triples:
                self._graph.add(triple)
        return self._graph

    def __iter__(self) -> Iterator[Any]:
        if self.type == "SELECT":
            return iter(self.rows)
        if self.type == "ASK":
            return iter([self.askAnswer])
        return iter(self.graph)

    def __len__(self) -> int:
        if self.type == "SELECT":
            return len(self.rows)
        return 1 if self.type == "ASK" else len(self.graph)

    def __bool__(self) -> bool:
        return bool(self.askAnswer) if self.type == "ASK" else len(self) > 0

    def __repr__(self) -> str:
        return f"<QueryResult {self.type} with {len(self)} {'row' if self.type != 'CONSTRUCT' else 'triple'}s>"

    def values(self, variable: str | int = 0) -> list[Node | None]:
        """The values of one variable, in row order."""
        return [row[variable] for row in self.rows]

    def to_dataframe(self):
        """The SELECT result as a pandas DataFrame of strings (None when unbound)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency("pandas", "notebooks", "to_dataframe()") from None
        if self.type != "SELECT":
            raise TypeError(f"Only SELECT results become DataFrames, not {self.type}")
        return pd.DataFrame(
            [[None if v is None else str(v) for v in row] for row in self.rows], columns=self.vars
        )

    def serialize(self, format: str = "json") -> str:
        """Serialize as SPARQL 1.1 results (``json``, ``csv``, ``tsv``, ``xml``)
        for SELECT and ASK, or as RDF (``turtle``, ``nt``, ``json-ld``) for graphs."""
        if self.type in ("CONSTRUCT", "DESCRIBE"):
            return self.graph.serialize(format=format)
        if format == "tsv":
            return self._tsv()
        result = Result(self.type)
        if self.type == "ASK":
            result.askAnswer = self.askAnswer
        else:
            result.vars = [Variable(v) for v in self.vars]
            result.bindings = [{Variable(k): v for k, v in row.asdict().items()} for row in self.rows]
        if format not in ("json", "csv", "xml"):
            raise ValueError(f"Unknown result format {format!r}; use json, csv, tsv or xml")
        return result.serialize(format=format).decode("utf-8")

    def _tsv(self) -> str:
        """SPARQL 1.1 TSV: a header of ?variables, then terms in N-Triples syntax."""
        if self.type == "ASK":
            return "?_askResult\n" + ("true" if self.askAnswer else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.vars)]
        lines += ["\t".join(tsv_term(v) for v in row) for row in self.rows]
        return "\n".join(lines) + "\n"


def tsv_term(term: Node | None) -> str:
    """A term in SPARQL 1.1 TSV: N-Triples syntax, one line, tabs and breaks escaped.

    >>> from rdflib import Literal
    >>> tsv_term(Literal("two\\nlines", lang="en"))
    '"two\\\\nlines"@en'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    escaped = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'
