"""Parsing ``mbc-graph``'s command line: the parser, the global options, argument types, and the load they ask for."""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import mbc_graph  # its load() imports rdflib on first use; `from ..loading import load` would at startup

from ..namespaces import PREFIXES
from .environment import Environment

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

    from ..graph import KnowledgeGraph


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


def _whole_number(text: str, minimum: int, requirement: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} {requirement}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1, "must be at least 1")


def _nonnegative_int(text: str) -> int:
    return _whole_number(text, 0, "must be 0 or more")


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
    from rdflib import Literal, URIRef  # only for --bind: --help and a cached search do without rdflib

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


def _add_text_or_json(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format (default: text)")


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get("MBC_GRAPH_USER")
    return (user, os.environ.get("MBC_GRAPH_PASSWORD", "")) if user else None


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
    return mbc_graph.load(**load_arguments(args))
