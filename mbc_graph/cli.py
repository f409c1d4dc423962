"""The ``mbc-graph`` command line: the library's API, one subcommand per task.

Results go to stdout and nothing else does: a table for a person at a
terminal, TSV (or the ``--format`` asked for) for a pipe. Problems go to
stderr as one line, ``mbc-graph: error: ...``, and set the exit status (see
:class:`ExitStatus`); ``--traceback`` shows the Python traceback instead.

:func:`main` parses the arguments and turns exceptions into messages and
exit codes; :func:`run` does the work and has no error handling, so tests
and other programs can call either.

>>> from io import StringIO
>>> out = StringIO()
>>> main(["--version"], stdout=out)
0
>>> out.getvalue().startswith("mbc-graph ")
True
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from .errors import BadBinding, ConceptAmbiguous, ConceptNotFound, MBCGraphError, NoPath, UnknownRelation
from .evidence import ALWAYS, only_low_rated
from .namespaces import PREFIXES, curie
from .text import for_terminal

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

    from .graph import KnowledgeGraph
    from .name_index import NameIndex
    from .results import QueryResult

__all__ = ["Environment", "ExitStatus", "build_parser", "main", "parse_binding", "run"]

PROG = "mbc-graph"


class ExitStatus(IntEnum):
    """The exit statuses of ``mbc-graph``."""

    SUCCESS = 0
    #: Bad input (malformed SPARQL or Turtle, a refused query), an unreadable file, ...
    ERROR = 1
    #: The command line itself is wrong (argparse's status).
    ERROR_USAGE = 2
    #: A concept, relation, path, edge evidence or search match was not found.
    ERROR_NOT_FOUND = 3
    #: ``validate`` found problems.
    ERROR_VALIDATION = 4
    #: Interrupted with Ctrl-C.
    ERROR_CTRL_C = 130
    #: The reader of stdout went away (``mbc-graph query ... | head``), as a shell reports SIGPIPE.
    ERROR_BROKEN_PIPE = 141


class NoEvidence(MBCGraphError, LookupError):
    """The edge asked about has no evidence, because the graph has no such edge."""


class UsageError(MBCGraphError, ValueError):
    """Options that argparse accepts one by one but not together."""


#: Errors that mean "no such thing" rather than "bad input".
_NOT_FOUND = (ConceptNotFound, ConceptAmbiguous, UnknownRelation, NoPath, NoEvidence)


@dataclass
class Environment:
    """The streams a command reads and writes; tests replace them by keyword.

    ``stdout_isatty`` decides the default output format (a table for a
    terminal, TSV otherwise); it is read from ``stdout`` unless given.
    """

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool | None = None

    def __post_init__(self) -> None:
        if self.stdout_isatty is None:
            isatty = getattr(self.stdout, "isatty", None)
            self.stdout_isatty = bool(isatty and isatty())

    def log_error(self, message: str) -> None:
        """Write ``mbc-graph: error: MESSAGE`` to stderr, on one line."""
        one_line = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
        self.stderr.write(for_terminal(f"{PROG}: error: {one_line}\n"))

    def write(self, text: str) -> None:
        """Write data to stdout, ending it with a newline; control characters from data are escaped."""
        self.stdout.write(for_terminal(text if text.endswith("\n") or not text else text + "\n"))


# -- entry points ------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None,
         stdin: TextIO | None = None, env: Environment | None = None) -> int:
    """Run ``mbc-graph`` with ``argv`` and return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` by default.
    stdout, stderr, stdin : text streams, optional
        Replace the process's streams (tests pass :class:`io.StringIO`).
    env : Environment, optional
        All streams at once; the keyword streams above override its fields.

    Returns
    -------
    int
        An :class:`ExitStatus` value. The ``mbc-graph`` console script passes
        it to :func:`sys.exit`.

    Examples
    --------
    >>> from io import StringIO
    >>> err = StringIO()
    >>> main(["show"], stdout=StringIO(), stderr=err)
    2
    >>> err.getvalue().splitlines()[-1]
    'mbc-graph show: error: the following arguments are required: CONCEPT'
    """
    env = env or Environment()
    for name, stream in (("stdout", stdout), ("stderr", stderr), ("stdin", stdin)):
        if stream is not None:
            setattr(env, name, stream)
    if stdout is not None:
        env.stdout_isatty = bool(getattr(stdout, "isatty", lambda: False)())
    argv = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in argv
    try:
        args = build_parser(env).parse_args(argv)
        with _sigterm_as_exit():
            status = run(args, env)
        env.stdout.flush()
        return int(status)
    except _ParserExit as exc:
        return exc.status
    except KeyboardInterrupt:
        if show_traceback:
            raise
        env.log_error("interrupted")
        return int(ExitStatus.ERROR_CTRL_C)
    except BrokenPipeError:
        _silence_stdout(env)
        return int(ExitStatus.ERROR_BROKEN_PIPE)
    except Exception as exc:
        if show_traceback:
            raise
        env.log_error(error_message(exc))
        return int(_status_for(exc))


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM (``kill``, ``timeout``, ``docker stop``) into SystemExit, so cleanups run.

    Only in the main thread, where Python runs signal handlers; the
    previous handler comes back afterwards (tests call :func:`main` in-process).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """Run the parsed command; exceptions propagate (see :func:`main`)."""
    return args.handler(args, env)


def error_message(exc: BaseException) -> str:
    """The one-line message shown for an exception.

    >>> error_message(FileNotFoundError(2, "No such file or directory", "q.rq"))
    "No such file or directory: 'q.rq'"
    >>> error_message(RuntimeError("boom"))
    'RuntimeError: boom (run with --traceback for details)'
    """
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename!r}" if exc.filename else exc.strerror
    if isinstance(exc, (MBCGraphError, ValueError, LookupError, ImportError, SyntaxError)):
        text = exc.msg if isinstance(exc, ImportError) and not isinstance(exc, MBCGraphError) else str(exc)
        if isinstance(exc, SyntaxError) and exc.filename and exc.filename not in text:
            text = f"{exc.filename}: {text}"
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {exc} (run with --traceback for details)"


def _status_for(exc: BaseException) -> ExitStatus:
    if isinstance(exc, _NOT_FOUND):
        return ExitStatus.ERROR_NOT_FOUND
    return ExitStatus.ERROR_USAGE if isinstance(exc, UsageError) else ExitStatus.ERROR


def _silence_stdout(env: Environment) -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush stays quiet."""
    if env.stdout is sys.stdout:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


# -- argument parsing ------------------------------------------------------------------------------
class _ParserExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that writes to the Environment's streams and never calls sys.exit.

    :func:`_parser_class` makes a subclass bound to one Environment, so the
    subcommand parsers that argparse creates write there too.
    """

    env: ClassVar[Environment]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file=None) -> None:
        if message:
            (self.env.stderr if file is sys.stderr else self.env.stdout).write(message)

    def exit(self, status: int = 0, message: str | None = None):
        if message:
            self._print_message(message, sys.stderr)
        raise _ParserExit(status)


def _parser_class(env: Environment) -> type[_Parser]:
    return type("Parser", (_Parser,), {"env": env})


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r'"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<datatype>\S+))?', re.S)
_LOCAL = re.compile(r"[^\s<>\"{}|^`\\]+")


def _iri(text: str) -> str | None:
    """``<iri>`` or a CURIE with a known prefix as an IRI string, else ``None``."""
    if len(text) > 2 and text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and _LOCAL.fullmatch(local):
        return PREFIXES[prefix] + local
    return None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(text: str) -> str:
    """Undo SPARQL string escapes (``\\"``, ``\\n``, ``\\t``, ...)."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text)


def parse_binding(text: str) -> tuple[str, Node]:
    """Parse a ``--bind NAME=VALUE`` option into a variable name and an RDF term.

    ``VALUE`` is read as:

    * ``<iri>``: that IRI;
    * ``prefix:local`` with a predeclared prefix (``mbc``, ``rdfs``, ``owl``,
      ``skos``, ``obo``, ...): the IRI it abbreviates;
    * ``"text"``, ``"text"@en`` or ``"text"^^xsd:integer``: a literal written
      as in SPARQL (labels in the ontology are ``@en``);
    * anything else: a plain literal, exactly as typed.

    >>> parse_binding("c=mbc:BoneMetastasis")
    ('c', rdflib.term.URIRef('https://w3id.org/mbc-graph/BoneMetastasis'))
    >>> parse_binding('?label="bone pain"@en')
    ('label', rdflib.term.Literal('bone pain', lang='en'))
    >>> parse_binding("text=HER2: what is it?")
    ('text', rdflib.term.Literal('HER2: what is it?'))
    """
    from rdflib import Literal, URIRef

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with a SPARQL variable name, got {text!r}")
    iri = _iri(value)
    if iri is not None:
        return name, URIRef(iri)
    quoted = _QUOTED.fullmatch(value)
    if quoted:
        datatype = quoted["datatype"]
        if datatype is not None:
            datatype_iri = _iri(datatype)
            if datatype_iri is None:
                raise argparse.ArgumentTypeError(f"unknown datatype {datatype!r} in {text!r}")
            return name, Literal(_unescape(quoted["text"]), datatype=URIRef(datatype_iri))
        return name, Literal(_unescape(quoted["text"]), lang=quoted["lang"])
    return name, Literal(value)


_GLOBAL_HELP = {
    "store": "triple store: 'oxigraph' (the default, or $MBC_GRAPH_STORE when set), 'memory' (pure rdflib) "
             "or 'sparql' (a SPARQL 1.1 server, with --endpoint)",
    "extra": "also load this Turtle file (your own data, e.g. a synthetic cohort); repeatable",
    "traceback": "show the Python traceback when something fails",
    "db": "keep the data in an on-disk store in this directory: built on first use, then reopened fast",
    "rebuild": "with --db: build the store again from the files as they are now",
    "endpoint": "query this SPARQL server's endpoint (--store sparql; credentials from "
                "$MBC_GRAPH_USER and $MBC_GRAPH_PASSWORD)",
    "update_endpoint": "the SPARQL server's update endpoint, where publish writes",
}


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command accepts, before or after the command name.

    At the top level they have defaults; after a command they are SUPPRESSed
    unless given, so they do not overwrite what came before the command.
    """
    group = parser.add_argument_group("global options")
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    group.add_argument("--store", metavar="NAME", default=default(None), help=_GLOBAL_HELP["store"])
    group.add_argument("--extra", metavar="FILE", action="append", dest="extra" if top else "extra_after",
                       default=default([]), help=_GLOBAL_HELP["extra"])
    group.add_argument("--traceback", action="store_true", default=default(False), help=_GLOBAL_HELP["traceback"])
    group.add_argument("--db", metavar="DIR", default=default(None), help=_GLOBAL_HELP["db"])
    group.add_argument("--rebuild", action="store_true", default=default(False), help=_GLOBAL_HELP["rebuild"])
    group.add_argument("--endpoint", metavar="URL", default=default(None), help=_GLOBAL_HELP["endpoint"])
    group.add_argument("--update-endpoint", metavar="URL", default=default(None),
                       help=_GLOBAL_HELP["update_endpoint"])


_DESCRIPTION = """\
Query and explore the metastatic breast cancer knowledge graph.

Every command that takes a concept accepts a label, synonym, CURIE
(mbc:BoneMetastasis), cross-reference (DOID:1612) or IRI; spelling and case
are forgiven, and an unknown name gets suggestions."""

_EPILOG = """\
examples:
  mbc-graph search "short of breath"
  mbc-graph show "bone metastasis"
  mbc-graph query "SELECT ?l WHERE { mbc:BoneMetastasis rdfs:label ?l }" --format json
  mbc-graph path "HER2-positive breast cancer" trastuzumab
  mbc-graph evidence "brain metastasis" "has symptom" seizure
  mbc-graph export mbc.graphml
  mbc-graph viz --focus "liver metastasis" --radius 1 -o liver.html

exit status: 0 success, 1 error, 2 usage error, 3 not found,
4 validation failed, 130 interrupted."""


def build_parser(env: Environment | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``mbc-graph``, writing help and usage errors to ``env``."""
    from . import __version__

    make = _parser_class(env or Environment())
    parser = make(prog=PROG, description=_DESCRIPTION, epilog=_EPILOG)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_global_options(parser, top=True)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", required=True,
                                     parser_class=make)
    for add in (_add_query, _add_search, _add_show, _add_path, _add_evidence, _add_relations,
                _add_export, _add_validate, _add_viz, _add_synth, _add_publish, _add_serve, _add_verify_sources):
        sub = add(commands)
        _add_global_options(sub, top=False)
    return parser


def _command(commands, name: str, handler: Callable, summary: str, description: str | None = None,
             epilog: str | None = None) -> argparse.ArgumentParser:
    if description is None:
        description = summary[0].upper() + summary[1:] + "."
    if "\n" not in description:
        description = textwrap.fill(description, width=79)
    sub = commands.add_parser(name, help=summary, description=description, epilog=epilog)
    sub.set_defaults(handler=handler)
    return sub


_TABLE_FORMATS = ("table", "tsv", "csv", "json")
_FORMAT_HELP = "output format (default: table on a terminal, tsv otherwise)"


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


def _add_search(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "search", cmd_search, "find concepts by label or synonym (typos forgiven)",
                   epilog='example:\n  mbc-graph search "short of breath" --limit 3')
    sub.add_argument("text", metavar="TEXT", help="words to look for")
    sub.add_argument("--limit", "-n", type=_positive_int, default=10, metavar="N", help="at most N matches (default: 10)")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


def _add_text_or_json(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format (default: text)")


def _add_show(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "show", cmd_show,
                   "show a concept: definition, synonyms, cross-references, parents and edges",
                   epilog='example:\n  mbc-graph show "bone mets"')
    sub.add_argument("concept", metavar="CONCEPT", help="a label, synonym, CURIE, cross-reference or IRI")
    _add_text_or_json(sub)
    return sub


def _add_path(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "path", cmd_path, "explain how two concepts are connected",
                   description="Print the shortest directed path from A to B, one relation per step, "
                               "or with --all every simple path up to --max-length steps, shortest first.",
                   epilog='examples:\n  mbc-graph path "HER2-positive breast cancer" trastuzumab\n'
                          '  mbc-graph path "bone pain" "bone scan" --all --max-length 3')
    sub.add_argument("source", metavar="A", help="where the path starts")
    sub.add_argument("target", metavar="B", help="where the path ends")
    sub.add_argument("--all", action="store_true", help="list all simple paths, not just the shortest")
    sub.add_argument("--max-length", type=_positive_int, default=4, metavar="N",
                     help="with --all: at most N steps (default: 4, capped at 8)")
    sub.add_argument("--relation", "-r", action="append", metavar="R",
                     help="walk only this relation (name or label, e.g. treatedBy or 'treated by'; "
                          "'is a' for subclass links); repeatable")
    _add_text_or_json(sub)
    return sub


def _add_evidence(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "evidence", cmd_evidence, "show the sources and quotes behind an edge",
                   description="Show the evidence for the edge SUBJECT --RELATION--> OBJECT: each source "
                               "document and the sentence it says it in. Inverse and inherited edges are "
                               "followed to the axiom that states them.",
                   epilog='example:\n  mbc-graph evidence "brain metastasis" "has symptom" seizure\n\n'
                          "RELATION is a relation name or label (hasSymptom, 'has symptom') or 'is a';\n"
                          "`mbc-graph relations` lists them, `mbc-graph show CONCEPT` lists a concept's edges.")
    sub.add_argument("subject", metavar="SUBJECT", help="the concept the edge starts from")
    sub.add_argument("relation", metavar="RELATION", help="the relation (see `mbc-graph relations`)")
    sub.add_argument("object", metavar="OBJECT", help="the concept the edge points to")
    _add_text_or_json(sub)
    return sub


def _add_relations(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "relations", cmd_relations,
                   "list the relations (edge types) with their inverses, domains and ranges")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


def _add_export(commands) -> argparse.ArgumentParser:
    from .export import Format

    sub = _command(
        commands, "export", cmd_export, "write the graph to a file (RDF or GraphML)",
        description="""\
Write the ontology, the relation graph and any --extra files to FILE,
atomically (an existing FILE is replaced only once the new one is complete).
ttl, nt and jsonld merge everything into one graph; trig and nq keep the
named graphs apart; graphml holds the relation graph (concepts and their
edges, with evidence) for Gephi or Cytoscape; neo4j writes a directory of
CSV files for neo4j-admin database import (or Cytoscape).""",
        epilog="examples:\n  mbc-graph export mbc.ttl\n  mbc-graph export graph.xml --format graphml\n"
               "  mbc-graph export mbc-csv --format neo4j",
    )
    sub.add_argument("file", metavar="FILE", help="the file to write")
    sub.add_argument("--format", "-f", choices=[f.value for f in Format],
                     help="file format (default: from the extension: .ttl .nt .jsonld/.json .trig .nq .graphml; "
                          "neo4j: a directory)")
    return sub


def _add_validate(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "validate", cmd_validate,
                   "check the ontology (and --extra files) against the SHACL shapes and QC rules",
                   description="Run SHACL and the ontology QC checks; exit with status 4 when a check fails.")
    _add_text_or_json(sub)
    return sub


def _add_viz(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "viz", cmd_viz, "write an interactive HTML view of the graph",
                   description="Write a self-contained HTML view (works offline): the whole graph, the "
                               "neighbourhood of --focus, or the path --from A --to B.",
                   epilog='examples:\n  mbc-graph viz --focus "liver metastasis" --radius 1 -o liver.html\n'
                          '  mbc-graph viz --from "HER2-positive breast cancer" --to trastuzumab -o path.html\n'
                          "  mbc-graph viz --category symptom --category metastasis -o symptoms.html")
    sub.add_argument("--output", "-o", metavar="FILE.html", required=True, help="the HTML file to write")
    sub.add_argument("--focus", metavar="CONCEPT", help="centre the view on this concept")
    sub.add_argument("--radius", type=_nonnegative_int, default=1, metavar="N",
                     help="with --focus: show concepts up to N steps away (default: 1)")
    sub.add_argument("--from", dest="path_from", metavar="A", help="show the shortest path from A (needs --to)")
    sub.add_argument("--to", dest="path_to", metavar="B", help="show the shortest path to B (needs --from)")
    sub.add_argument("--category", "-c", action="append", metavar="C",
                     help="keep only concepts of this category (site, symptom, therapy, ...); repeatable")
    sub.add_argument("--relation", "-r", action="append", metavar="R", help="keep only this relation; repeatable")
    return sub


def _add_synth(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "synth", cmd_synth, "write a synthetic patient cohort coded with the ontology",
                   description="Write a reproducible synthetic cohort (no real patients) as Turtle; "
                               "load it back with --extra.",
                   epilog="example:\n  mbc-graph synth --patients 200 --seed 7 -o cohort.ttl\n"
                          "  mbc-graph --extra cohort.ttl query patients.rq")
    sub.add_argument("--patients", "-n", type=_positive_int, default=100, metavar="N",
                     help="number of patients (default: 100)")
    sub.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    sub.add_argument("--output", "-o", metavar="FILE", required=True, help="the Turtle file to write")
    return sub


def _add_publish(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "publish", cmd_publish, "write the graph and your files to a SPARQL 1.1 server",
                   description="Write the ontology, its relation graph and the --extra files to a SPARQL 1.1 "
                               "server, each file replacing its own named graph, through the --update-endpoint "
                               "(SPARQL Update) or --graph-store (Graph Store Protocol). Then query it with "
                               "--store sparql --endpoint URL. Credentials come from $MBC_GRAPH_USER and "
                               "$MBC_GRAPH_PASSWORD.",
                   epilog="example:\n  mbc-graph --extra cohort.ttl --update-endpoint http://localhost:7878/update "
                          "publish\n  mbc-graph --store sparql --endpoint http://localhost:7878/query show liver")
    sub.add_argument("--graph-store", metavar="URL", help="write through this Graph Store Protocol endpoint instead")
    return sub


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get("MBC_GRAPH_USER")
    return (user, os.environ.get("MBC_GRAPH_PASSWORD", "")) if user else None


def cmd_publish(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph publish``: write the loaded graph to a SPARQL server."""
    if args.update_endpoint is None and args.graph_store is None:
        raise UsageError("publish needs --update-endpoint URL or --graph-store URL")
    if args.store == "sparql":  # publish what is loaded here, not what the server holds
        args.store = None
    args.endpoint = None
    load_graph(args).publish(update_endpoint=None if args.graph_store else args.update_endpoint,
                             graph_store=args.graph_store, auth=_credentials(),
                             say=lambda line: env.stderr.write(f"{PROG}: {line}\n"))
    return ExitStatus.SUCCESS


def _add_serve(commands) -> argparse.ArgumentParser:
    from .server.settings import Settings

    limits = Settings()
    sub = _command(commands, "serve", cmd_serve, "serve a SPARQL endpoint, a JSON API and the explorer over HTTP",
                   description="Serve the graph (with any --extra files) over HTTP until Ctrl-C: /sparql (SPARQL "
                               "1.1 Protocol, read-only), /api (JSON, described at /openapi.json) and the "
                               "explorer at /. Needs the [server] extra. There is no authentication.",
                   epilog="examples:\n  mbc-graph serve\n  mbc-graph --extra cohort.ttl serve --port 8080 "
                          "--timeout 30\n  mbc-graph serve --host 0.0.0.0 --public   # readable by anyone")
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sub.add_argument("--port", type=_nonnegative_int, default=8000, help="port (default: 8000; 0: any free port)")
    sub.add_argument("--public", action="store_true",
                     help="allow an address other machines can reach: everything loaded becomes readable")
    for name, kind, metavar, what in (
            ("timeout", float, "SECONDS", "deadline of each SPARQL query"),
            ("max_memory", _positive_int, "BYTES", "memory budget of each query's worker"),
            ("workers", _positive_int, "N", "queries run at once, one worker process each"),
            ("queue", _nonnegative_int, "N", "queries that may wait for a worker; more get 503"),
            ("max_request_bytes", _positive_int, "BYTES", "largest request body"),
            ("max_query_chars", _positive_int, "N", "longest query text")):
        default = getattr(limits, name)
        sub.add_argument("--" + name.replace("_", "-"), type=kind, default=default, metavar=metavar,
                         help=f"{what} (default: {default})")
    sub.add_argument("--cors", action="store_true", help="let web pages from any origin call the server")
    return sub


def _add_verify_sources(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "verify-sources", cmd_verify_sources,
                   "check a copy of the source documents against every quote",
                   description="Check the documents in DIR (named as `mbc-graph show` cites them) against the "
                               "SHA-256 and the quote positions the ontology records; report each mismatch.",
                   epilog="example:\n  mbc-graph verify-sources ../shared/seeds")
    sub.add_argument("directory", metavar="DIR", help="the folder holding the source documents")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


def cmd_verify_sources(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph verify-sources``: every quote checked against the user's copy of its document."""
    from .provenance import verify_sources

    checks = verify_sources(load_graph(args), args.directory)
    rows = [[c.file, c.status, c.quotes, c.verified, c.title] for c in checks]
    write_records(env, _output_format(args, env), ("file", "status", "quotes", "verified", "title"), rows)
    for check in checks:
        for problem in check.problems:
            env.stderr.write(f"{PROG}: {problem}\n")
    return ExitStatus.SUCCESS if all(c.ok for c in checks) else ExitStatus.ERROR_VALIDATION


# -- shared helpers ------------------------------------------------------------------------------
def load_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """What :func:`mbc_graph.load` takes for the global options (``--store``, ``--extra``, ``--db``, ``--endpoint``)."""
    store = getattr(args, "store", None)
    endpoint = getattr(args, "endpoint", None)
    if store == "sparql" or (store is None and endpoint is not None):
        return {"store": "sparql", "endpoint": endpoint, "auth": _credentials()}
    arguments: dict[str, Any] = {"store": store, "extra": [*getattr(args, "extra", []), *getattr(args, "extra_after", [])]}
    db = getattr(args, "db", None)
    if db is not None:
        arguments |= {"path": db, "rebuild": args.rebuild}
    return arguments


def load_graph(args: argparse.Namespace) -> KnowledgeGraph:
    """Load the knowledge graph with the global options."""
    import mbc_graph

    return mbc_graph.load(**load_arguments(args))


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


def _concept_ref(kg: KnowledgeGraph, iri) -> dict[str, str]:
    concept = kg.concepts.get(str(iri))
    return {"curie": curie(str(iri)), "label": concept.label if concept else curie(str(iri))}


def _relation_ref(kg: KnowledgeGraph, name: str) -> dict[str, str]:
    return {"name": kg.relation_name(name), "label": kg.relation_label(name)}


def _relation_labels(kg: KnowledgeGraph) -> dict[str, str]:
    return kg.to_networkx().graph["relation_labels"]


# -- query ---------------------------------------------------------------------------------------------
def read_query(argument: str, stdin: TextIO) -> str:
    """The query text: ``-`` reads stdin, a ``.rq``/``.sparql`` name reads that file, else the argument itself."""
    if argument == "-":
        return stdin.read()
    if argument.lower().endswith((".rq", ".sparql")):
        return Path(argument).read_text(encoding="utf-8")
    return argument


def cmd_query(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph query``: run a read-only SPARQL query."""
    from .queries import check_query

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
    result = load_graph(args).query(text, dict(args.bind), timeout=args.timeout, max_memory=args.max_memory)
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
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


# -- search, show, relations ----------------------------------------------------------------------------
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
    from . import name_index
    from .bundled import bundled_ontology

    plain = not any(getattr(args, option, None) for option in ("store", "extra", "extra_after", "db", "endpoint"))
    found = name_index.cached(bundled_ontology()) if plain else None
    if found is None:
        found = load_graph(args).concepts.name_index
        if plain:
            name_index.remember(bundled_ontology(), found)
    return found


def describe_concept(kg: KnowledgeGraph, text: str) -> dict[str, Any]:
    """Everything ``show`` prints about a concept, as plain data."""
    from .namespaces import RELATION_GRAPH
    from .qualifiers import qualifiers_of_edges

    concept = kg.concept(text)
    labels = _relation_labels(kg)
    rows = kg.query("SELECT ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": concept.iri, "g": RELATION_GRAPH}).rows
    qualified = qualifiers_of_edges(kg, concept.iri)
    edges: list[dict[str, Any]] = []
    for row in rows:
        target = kg.concepts.get(str(row.o))
        if target is None:
            continue
        name = str(row.p).rsplit("/", 1)[-1]
        edge = (str(concept.iri), str(row.p), str(row.o))
        qualifier, condition = qualified.get(edge, (ALWAYS, None))
        edges.append({"relation": name, "relation_label": labels.get(name, name),
                      "target": target.curie, "target_label": target.label,
                      "qualifier": qualifier, "condition": condition,
                      "low_rated_only": only_low_rated(kg.evidence(concept.iri, name, target.iri))})
    edges.sort(key=lambda e: (e["relation_label"], e["target_label"].casefold()))
    return {
        "label": concept.label,
        "curie": concept.curie,
        "iri": str(concept.iri),
        "category": concept.category,
        "definition": concept.definition,
        "synonyms": list(concept.synonyms),
        "xrefs": dict(sorted(concept.xrefs.items())),
        "parents": [_concept_ref(kg, _expand(p)) for p in concept.parents],
        "edges": edges,
    }


def _expand(curie_or_iri: str) -> str:
    prefix, colon, local = curie_or_iri.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else curie_or_iri


def format_concept(info: dict[str, Any]) -> str:
    """The text ``show`` prints for :func:`describe_concept`'s data."""
    fields = [
        ("category", info["category"] or ""),
        ("definition", info["definition"] or ""),
        ("synonyms", "; ".join(info["synonyms"])),
        ("xrefs", "; ".join(f"{x} ({kind})" for x, kind in info["xrefs"].items())),
        ("parents", "; ".join(f"{p['label']} ({p['curie']})" for p in info["parents"])),
        ("iri", info["iri"]),
    ]
    lines = [f"{info['label']} ({info['curie']})"]
    lines += [f"  {name + ':':<12}{value}" for name, value in fields if value]
    current = None
    for edge in info["edges"]:
        if edge["relation_label"] != current:
            current = edge["relation_label"]
            lines += ["", f"{current}:"]
        how = ", ".join(part for part in (edge["qualifier"], edge["condition"]) if part)
        how += "; only low-rated sources" if edge["low_rated_only"] else ""
        lines.append(f"  {edge['target_label']} ({edge['target']})  [{how}]")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph show``: a concept and its outgoing edges."""
    info = describe_concept(load_graph(args), args.concept)
    env.write(json.dumps(info, indent=2, ensure_ascii=False) if args.format == "json" else format_concept(info))
    return ExitStatus.SUCCESS


RELATION_COLUMNS = ("name", "label", "inverse", "domain", "range", "definition")


def cmd_relations(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph relations``: the relation table read from the ontology."""
    kg = load_graph(args)
    fmt = _output_format(args, env)
    joined = (lambda values: list(values)) if fmt == "json" else (lambda values: " ".join(values))
    rows = [[r.name, r.label, r.inverse, joined(r.domain), joined(r.range), r.definition]
            for r in kg.relations.values()]
    write_records(env, fmt, RELATION_COLUMNS, rows)
    return ExitStatus.SUCCESS


# -- paths and evidence ------------------------------------------------------------------------------------
def _path_data(kg: KnowledgeGraph, path, labels: dict[str, str]) -> dict[str, Any]:
    steps = []
    for source, relation, target in path.steps:
        s, t = _concept_ref(kg, source), _concept_ref(kg, target)
        steps.append({"source": s["curie"], "source_label": s["label"], "relation": relation,
                      "relation_label": labels.get(relation, relation),
                      "target": t["curie"], "target_label": t["label"]})
    return {"length": len(path.steps), "text": path.text, "steps": steps}


def cmd_path(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph path``: the shortest path, or all simple paths, explained."""
    kg = load_graph(args)
    if args.all:
        found = kg.paths(args.source, args.target, args.max_length, relations=args.relation)
        if not found:
            raise NoPath(kg.concept(args.source).label, kg.concept(args.target).label, args.relation)
    else:
        found = [kg.path(args.source, args.target, relations=args.relation)]
    if args.format == "json":
        labels = _relation_labels(kg)
        data = {"source": _concept_ref(kg, kg.concept(args.source).iri),
                "target": _concept_ref(kg, kg.concept(args.target).iri),
                "paths": [_path_data(kg, p, labels) for p in found]}
        env.write(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write("\n".join(p.text for p in found))
    return ExitStatus.SUCCESS


def cmd_evidence(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph evidence``: the sources and quotes behind one edge."""
    kg = load_graph(args)
    items = kg.evidence(args.subject, args.relation, args.object)
    if not items:
        s, o = kg.concept(args.subject).label, kg.concept(args.object).label
        raise NoEvidence(f"No evidence for {s!r} {args.relation} {o!r}: the graph has no such edge "
                          f"(see `mbc-graph show {json.dumps(s)}`).")
    if args.format == "json":
        data = {"subject": _concept_ref(kg, kg.concept(args.subject).iri),
                "relation": _relation_ref(kg, args.relation),
                "object": _concept_ref(kg, kg.concept(args.object).iri),
                "evidence": [asdict(item) for item in items]}
        env.write(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write(kg.explain(args.subject, args.relation, args.object))
    return ExitStatus.SUCCESS


# -- export, validate, viz, synth --------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph export``: write the graph to a file, atomically."""
    from .export import export, resolve_format, summary

    fmt = resolve_format(args.file, args.format)  # a bad name fails before the graph loads
    kg = load_graph(args)
    _report_written(env, export(kg, args.file, fmt), summary(kg, fmt))
    return ExitStatus.SUCCESS


def _report_written(env: Environment, path: Path, what: str) -> None:
    """Say on stderr what a command wrote (stdout stays for data)."""
    env.stderr.write(f"{PROG}: wrote {path}: {what}\n")


def cmd_validate(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph validate``: SHACL and QC; status 4 when the report is not ok."""
    report = load_graph(args).validate()
    if args.format == "json":
        data = report.to_json()
        env.write(data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write(report.to_text())
    return ExitStatus.SUCCESS if report.ok else ExitStatus.ERROR_VALIDATION


def cmd_viz(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph viz``: write an interactive HTML view."""
    if (args.path_from is None) != (args.path_to is None):
        raise UsageError("--from and --to go together: give both ends of the path")
    kg = load_graph(args)
    path = (args.path_from, args.path_to) if args.path_from is not None else None
    view = kg.visualize(focus=args.focus, radius=args.radius, relations=args.relation,
                        categories=args.category, path=path)
    written = view.save(args.output)
    _report_written(env, written, f"{view.title!r}, {len(view.node_ids)} concepts and {len(view.edges)} edges")
    return ExitStatus.SUCCESS


def cmd_synth(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph synth``: write a synthetic cohort as Turtle."""
    from . import synth

    synth.write_cohort(args.output, n_patients=args.patients, seed=args.seed)
    return ExitStatus.SUCCESS


def cmd_serve(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph serve``: serve the graph over HTTP until interrupted."""
    try:
        from .server import Settings, serve
    except ImportError as exc:
        from .errors import MissingDependency

        raise MissingDependency(exc.name or "starlette", "server", "mbc-graph serve") from exc
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    settings = Settings(timeout=args.timeout, max_memory=args.max_memory, workers=args.workers, queue=args.queue,
                        max_request_bytes=args.max_request_bytes, max_query_chars=args.max_query_chars,
                        cors=args.cors)
    load_args = load_arguments(args)
    if "path" in load_args:  # build (or check) the on-disk store once; then every process opens it read-only
        import mbc_graph

        mbc_graph.load(**load_args).store.close()
        load_args = {"path": load_args["path"], "read_only": True}
    serve(load_args, host=args.host, port=args.port, public=args.public, settings=settings, out=env.stdout,
          err=env.stderr)
    return ExitStatus.SUCCESS
