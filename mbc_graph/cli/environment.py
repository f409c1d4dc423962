"""What every ``mbc-graph`` command shares: the streams, the exit statuses and the CLI's own errors."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TextIO

from ..errors import MBCGraphError
from ..text import for_terminal

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
