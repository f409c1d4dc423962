"""How ``mbc-graph`` writes results: aligned tables for a terminal, TSV, CSV or JSON otherwise."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..namespaces import PREFIXES, curie
from .environment import Environment

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

    from ..results import QueryResult


def _output_format(args: argparse.Namespace, env: Environment) -> str:
    return args.format or ("table" if env.stdout_isatty else "tsv")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 60) -> str:
    """Aligned columns for a person to read; long cells are clipped to ``max_width``.

    >>> print(format_table(["rank", "label"], [[1, "bone pain"], [2, "pain"]]))
    rank  label
    ----  ---------
    1     bone pain
    2     pain
    """
    cells = [[_clip("" if value is None else str(value), max_width) for value in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _tsv_field(value: Any) -> str:
    return "" if value is None else re.sub(r"[\t\r\n]+", " ", str(value))


def write_records(env: Environment, fmt: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write records as a table, TSV, CSV (plain values) or a JSON list of objects."""
    if fmt == "json":
        env.write(json.dumps([dict(zip(header, row)) for row in rows], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        env.write(buffer.getvalue())
    elif fmt == "tsv":
        env.write("\n".join("\t".join(_tsv_field(v) for v in row) for row in [header, *rows]))
    else:
        env.write(format_table(header, rows))


def render_result(result: QueryResult, fmt: str) -> str:
    """A query result as text in ``fmt`` (``table``, ``tsv``, ``csv`` or ``json``)."""
    if result.type == "ASK":
        return result.serialize("json") if fmt == "json" else ("true" if result.askAnswer else "false")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt in ("json", "csv", "tsv"):
        return result.serialize(fmt)
    return format_table(result.vars, [[_readable_term(v) for v in row] for row in result.rows])


def _readable_term(term: Node | None) -> str:
    from rdflib import BNode, URIRef  # --help and a cached search do without rdflib

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
