"""``mbc-graph query`` and ``mbc-graph search``: SPARQL, and concepts found by name."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..bundled import bundled_ontology
from ..errors import BadBinding
from . import arguments  # load_graph is looked up at each call, so tests can replace it
from .arguments import _FORMAT_HELP, _TABLE_FORMATS, _command, _positive_int, parse_binding
from .environment import Environment, ExitStatus
from .output import _output_format, render_result, write_records

if TYPE_CHECKING:  # pragma: no cover
    from ..name_index import NameIndex


def _add_query(commands) -> argparse.ArgumentParser:
    sub = _command(
        commands, "query", cmd_query, "run a read-only SPARQL query",
        description="""\
Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query. The prefixes
mbc rdf rdfs owl skos dcterms xsd oboInOwl obo are predeclared. Updates,
SERVICE and FROM are refused: the graph is read-only and offline.

Output: SELECT rows as an aligned table, SPARQL 1.1 TSV (terms in N-Triples
syntax), SPARQL CSV or SPARQL JSON results; ASK prints true or false (SPARQL
JSON with --format json); CONSTRUCT and DESCRIBE print Turtle (JSON-LD with
--format json).

The query runs in a worker process with a deadline and a memory budget
(--timeout, --max-memory); Ctrl-C stops it at once.""",
        epilog="""\
examples:
  mbc-graph query "SELECT ?l WHERE { mbc:BoneMetastasis rdfs:label ?l }"
  mbc-graph query symptoms.rq --bind site=mbc:Liver --format csv
  echo 'ASK { mbc:Brain ?p ?o }' | mbc-graph query -
  mbc-graph query big.rq --timeout 600 --max-memory 8G""",
    )
    sub.add_argument("query", metavar="SPARQL_OR_FILE",
                     help="the query text, a .rq/.sparql file, or - to read it from stdin")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    sub.add_argument("--bind", "-b", metavar="NAME=VALUE", action="append", type=parse_binding, default=[],
                     help="bind ?NAME before the query runs (never pasted into the text): VALUE is <iri>, "
                          "a CURIE such as mbc:Liver, a SPARQL literal such as '\"bone pain\"@en', "
                          "or else a plain literal; repeatable")
    _add_query_limits(sub)
    return sub


def read_query(argument: str, stdin: TextIO) -> str:
    """The query text: ``-`` reads stdin, a ``.rq``/``.sparql`` name reads that file, else the argument itself."""
    if argument == "-":
        return stdin.read()
    if argument.lower().endswith((".rq", ".sparql")):
        return Path(argument).read_text(encoding="utf-8")
    return argument


def cmd_query(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph query``: run a read-only SPARQL query."""
    from ..queries import check_query  # imports rdflib, which --help and a cached search do without

    text = read_query(args.query, env.stdin)
    try:
        check_query(text)  # fail fast on bad or forbidden SPARQL, before loading the graph
    except SyntaxError as exc:
        if args.query != "-" and text is not args.query:
            exc.filename = args.query  # so the message names the file
        raise
    names = [name for name, _ in args.bind]
    if repeated := sorted({name for name in names if names.count(name) > 1}):
        raise BadBinding(f"--bind ?{repeated[0]} is given more than once: a variable takes one value")
    result = arguments.load_graph(args).query(text, dict(args.bind), timeout=args.timeout, max_memory=args.max_memory)
    env.write(render_result(result, _output_format(args, env)))
    return ExitStatus.SUCCESS


_DEFAULT_TIMEOUT, _DEFAULT_MAX_MEMORY = 60.0, 2 << 30
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?")


def _add_query_limits(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--timeout", metavar="SECONDS", type=_seconds_or_none, default=_DEFAULT_TIMEOUT,
                     help="stop the query after this many seconds (default: 60); 'none': no limit")
    sub.add_argument("--max-memory", metavar="SIZE", type=_size_or_none, default=_DEFAULT_MAX_MEMORY,
                     help="stop the query when it needs more memory than this, e.g. 512M or 4G (default: 2G); "
                          "'none': no limit")


def _seconds_or_none(text: str) -> float | None:
    """``--timeout``: seconds above 0, or ``none``.

    >>> _seconds_or_none("2.5"), _seconds_or_none("none")
    (2.5, None)
    """
    if text.strip().lower() == "none":
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (or 'none')") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be above 0 (or 'none' for no limit)")
    return value


def _size_or_none(text: str) -> int | None:
    """``--max-memory``: bytes, or a size in K, M, G or T (powers of 1024), or ``none``.

    >>> _size_or_none("512M"), _size_or_none("2GiB"), _size_or_none("none")
    (536870912, 2147483648, None)
    """
    if text.strip().lower() == "none":
        return None
    match = _SIZE.fullmatch(text.strip().upper())
    value = int(float(match[1]) * 1024 ** " KMGT".index(match[2] or " ")) if match else 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size such as 512M or 2G (or 'none')")
    return value


def _add_search(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "search", cmd_search, "find concepts by label or synonym (typos forgiven)",
                   epilog='example:\n  mbc-graph search "short of breath" --limit 3')
    sub.add_argument("text", metavar="TEXT", help="words to look for")
    sub.add_argument("--limit", "-n", type=_positive_int, default=10, metavar="N", help="at most N matches (default: 10)")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


SEARCH_COLUMNS = ("rank", "score", "label", "category", "curie", "matched")


def cmd_search(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph search``: rank concepts by label and synonym."""
    index = _name_index(args)
    found = [(index.concepts.get(m.iri), m) for m in index.search(args.text, args.limit)]
    rows = [[rank, round(match.score, 3), concept[0], concept[1], concept[2], match.name]
            for rank, (concept, match) in enumerate(((c, m) for c, m in found if c is not None), start=1)]
    write_records(env, _output_format(args, env), SEARCH_COLUMNS, rows)
    if not rows:
        env.log_error(f"No concept matches {args.text!r}.")
        return ExitStatus.ERROR_NOT_FOUND
    return ExitStatus.SUCCESS


def _name_index(args: argparse.Namespace) -> NameIndex:
    """The concept names to search: from the disk cache when only the bundled ontology is loaded.

    The cache spares loading the graph (and importing rdflib): ``mbc-graph
    search`` then answers about as fast as Python starts.
    """
    from .. import name_index  # rapidfuzz: only search needs it, and --help stays fast

    plain = not any(getattr(args, option, None) for option in ("store", "extra", "extra_after", "db", "endpoint"))
    found = name_index.cached(bundled_ontology()) if plain else None
    if found is None:
        found = arguments.load_graph(args).concepts.name_index
        if plain:
            name_index.remember(bundled_ontology(), found)
    return found
