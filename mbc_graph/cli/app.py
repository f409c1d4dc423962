"""The ``mbc-graph`` entry points: parse, run, and turn exceptions into messages and exit statuses."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TextIO

from .. import __version__
from ..errors import ConceptAmbiguous, ConceptNotFound, MBCGraphError, NoPath, UnknownRelation
from .arguments import _add_global_options, _parser_class, _ParserExit
from .concepts import _add_evidence, _add_path, _add_relations, _add_show
from .environment import PROG, Environment, ExitStatus, NoEvidence, UsageError
from .files import _add_export, _add_synth, _add_validate, _add_verify_sources, _add_viz
from .querying import _add_query, _add_search
from .serving import _add_publish, _add_serve

#: Errors that mean "no such thing" rather than "bad input".
_NOT_FOUND = (ConceptNotFound, ConceptAmbiguous, UnknownRelation, NoPath, NoEvidence)


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
