"""``mbc-graph serve`` and ``mbc-graph publish``: the graph over HTTP, and the graph written to a SPARQL server."""

from __future__ import annotations

import argparse

import mbc_graph  # its load() imports rdflib on first use; `from ..loading import load` would at startup

from ..errors import MissingDependency
from ..server.settings import Settings
from . import arguments  # load_graph is looked up at each call, so tests can replace it
from .arguments import _command, _credentials, _nonnegative_int, _positive_int, load_arguments
from .environment import PROG, Environment, ExitStatus, UsageError


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


def cmd_publish(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph publish``: write the loaded graph to a SPARQL server."""
    if args.update_endpoint is None and args.graph_store is None:
        raise UsageError("publish needs --update-endpoint URL or --graph-store URL")
    if args.store == "sparql":  # publish what is loaded here, not what the server holds
        args.store = None
    args.endpoint = None
    arguments.load_graph(args).publish(update_endpoint=None if args.graph_store else args.update_endpoint,
                             graph_store=args.graph_store, auth=_credentials(),
                             say=lambda line: env.stderr.write(f"{PROG}: {line}\n"))
    return ExitStatus.SUCCESS


def _add_serve(commands) -> argparse.ArgumentParser:
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


def cmd_serve(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph serve``: serve the graph over HTTP until interrupted."""
    try:
        from ..server import serve  # Starlette and uvicorn: the optional [server] extra
    except ImportError as exc:
        raise MissingDependency(exc.name or "starlette", "server", "mbc-graph serve") from exc
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    settings = Settings(timeout=args.timeout, max_memory=args.max_memory, workers=args.workers, queue=args.queue,
                        max_request_bytes=args.max_request_bytes, max_query_chars=args.max_query_chars,
                        cors=args.cors)
    load_args = load_arguments(args)
    if "path" in load_args:  # build (or check) the on-disk store once; then every process opens it read-only
        mbc_graph.load(**load_args).store.close()
        load_args = {"path": load_args["path"], "read_only": True}
    serve(load_args, host=args.host, port=args.port, public=args.public, settings=settings, out=env.stdout,
          err=env.stderr)
    return ExitStatus.SUCCESS
