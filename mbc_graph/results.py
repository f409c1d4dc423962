"""Query results: rows with attribute and key access, tables and serializations."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .errors import MissingDependency
from .namespaces import PREFIXES
from .stores import QueryOutcome
from .terms import to_oxigraph


def sorted_columns(outcome: QueryOutcome) -> QueryOutcome:
    """``outcome`` with its columns in name order, as Oxigraph orders ``SELECT *``
    (rdflib's order follows a set, so it changes from run to run)."""
    names = outcome.variables
    order = sorted(range(len(names)), key=names.__getitem__)
    if order == list(range(len(names))):
        return outcome
    rows = [tuple(row[i] for i in order) for row in outcome.rows]
    return replace(outcome, variables=[names[i] for i in order], rows=rows)


class Row:
    """One solution of a SELECT query.

    Values are rdflib terms (or ``None`` when unbound), reached by name
    (``row.label``, ``row["label"]``) or position (``row[0]``).
    """

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: tuple[Node | None, ...]) -> None:
        self._names, self._values = names, values

    def __getitem__(self, key: str | int) -> Node | None:
        return self._values[key if isinstance(key, int) else self._names[key]]

    def __getattr__(self, name: str) -> Node | None:
        if name.startswith("_"):  # copy/pickle probe dunders before __slots__ are set
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"No variable ?{name} in this result; variables: {', '.join(self._names)}") from None

    def __iter__(self) -> Iterator[Node | None]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def asdict(self) -> dict[str, Node | None]:
        """The bound variables as a dict."""
        return {name: value for name, value in zip(self._names, self._values) if value is not None}

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
        self._names = {name: i for i, name in enumerate(self.vars)}
        self._solutions: list[Sequence[Any]] | None = None
        self._rows: list[Row] | None = None
        self._graph: Graph | None = None

    # -- SELECT ----------------------------------------------------------------
    def _read(self) -> list[Sequence[Any]]:
        """The store's solutions (sequences of store-native terms), read on first use.

        Terms become rdflib terms only when asked for: :meth:`values` (what
        the helpers read) converts one column and builds no :class:`Row`.
        """
        if self._solutions is None:
            self._solutions = list(self._outcome.rows)
        return self._solutions

    @property
    def rows(self) -> list[Row]:
        """The SELECT solutions, as :class:`Row` objects."""
        if self._rows is None:
            convert, names = self._outcome.to_rdflib, self._names
            self._rows = [Row(names, tuple(map(convert, solution))) for solution in self._read()]
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
        # range() checks the position as a tuple would: Oxigraph's solutions
        # take no negative index and answer None past the end.
        index = range(len(self.vars))[variable] if isinstance(variable, int) else self._names[variable]
        convert = self._outcome.to_rdflib
        return [convert(solution[index]) for solution in self._read()]

    def to_dataframe(self):
        """The SELECT result as a pandas DataFrame of strings (None when unbound)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency("pandas", "dataframe", "to_dataframe()") from None
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
            result.bindings = [{Variable(k): cast(Identifier, v) for k, v in row.asdict().items()} for row in self.rows]
        if format not in ("json", "csv", "xml"):
            raise ValueError(f"Unknown result format {format!r}; use json, csv, tsv or xml")
        data = result.serialize(format=format)
        assert data is not None  # None only when given a destination
        return data.decode("utf-8")

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
    if not isinstance(term, Literal):
        raise TypeError(f"Not an RDF term: {term!r}")
    escaped = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


#: Serializations by name, for SELECT/ASK results and for graphs (CONSTRUCT/DESCRIBE).
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML,
                 "jsonld": ox.RdfFormat.JSON_LD}
#: The formats that carry each kind of result exactly, for kg.query's own use.
EXACT = {"SELECT": "tsv", "ASK": "json", "CONSTRUCT": "nt", "DESCRIBE": "nt"}
# A format named for the other kind of result: its nearest counterpart.
_AS_GRAPH_FORMAT = {"json": "jsonld", "csv": "nt", "tsv": "nt"}
_AS_RESULT_FORMAT = {"jsonld": "json", "nt": "tsv", "ttl": "tsv"}


def serialize(result: QueryResult, result_format: str) -> tuple[bytes, str]:
    """``result`` as bytes in ``result_format`` (see :data:`RESULT_FORMATS`), with its media type.

    pyoxigraph writes every format: SELECT rows travel through SPARQL TSV
    (terms in N-Triples syntax, so lexical forms are kept exactly).
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rdf_format = GRAPH_FORMATS[_AS_GRAPH_FORMAT.get(result_format, result_format)]
        triples = (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in result.graph)
        prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        return _written(ox.serialize(triples, format=rdf_format, prefixes=prefixes)), rdf_format.media_type
    results_format = RESULT_FORMATS[_AS_RESULT_FORMAT.get(result_format, result_format)]
    if result.type == "ASK":
        parsed = ox.parse_query_results(json.dumps({"head": {}, "boolean": bool(result.askAnswer)}),
                                        ox.QueryResultsFormat.JSON)
    else:
        tsv = result.serialize("tsv").encode("utf-8")
        if results_format == ox.QueryResultsFormat.TSV:
            return tsv, results_format.media_type
        parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return _written(parsed.serialize(format=results_format)), results_format.media_type


def _written(data: bytes | None) -> bytes:
    assert data is not None  # pyoxigraph returns None only when given a file to write
    return data
