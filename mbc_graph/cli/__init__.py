"""The ``mbc-graph`` command line: the library's API, one subcommand per task.

Results go to stdout and nothing else does: a table for a person at a
terminal, TSV (or the ``--format`` asked for) for a pipe. Problems go to
stderr as one line, ``mbc-graph: error: ...``, and set the exit status (see
:class:`ExitStatus`); ``--traceback`` shows the Python traceback instead.

:func:`main` parses the arguments and turns exceptions into messages and
exit codes; :func:`run` does the work and has no error handling, so tests
and other programs can call either.

One module per group of commands holds their parsers and handlers
(``querying``, ``concepts``, ``files``, ``serving``); they build on
``arguments`` (the parser, global options, loading the graph), ``output``
(tables, TSV, CSV, JSON) and ``environment`` (streams, exit statuses);
``app`` holds :func:`main`, :func:`run` and :func:`build_parser`.

>>> from io import StringIO
>>> out = StringIO()
>>> main(["--version"], stdout=out)
0
>>> out.getvalue().startswith("mbc-graph ")
True
"""

from __future__ import annotations

from .app import build_parser, error_message, main, run
from .arguments import load_arguments, load_graph, parse_binding
from .concepts import describe_concept, format_concept
from .environment import PROG, Environment, ExitStatus, NoEvidence, UsageError
from .output import format_table, render_result, write_records
from .querying import read_query

__all__ = [
    "PROG", "Environment", "ExitStatus", "NoEvidence", "UsageError", "build_parser", "describe_concept",
    "error_message", "format_concept", "format_table", "load_arguments", "load_graph", "main", "parse_binding",
    "read_query", "render_result", "run", "write_records",
]
