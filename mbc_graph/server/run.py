"""Run the server: load the graph, start the workers, serve until Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import socket
import sys
from collections.abc import Iterator
from typing import TextIO

import uvicorn

import mbc_graph

from ..errors import MBCGraphError
from ..workers import QueryWorkers
from .app import create_app
from .settings import Settings

#: Printed when the server listens on anything but the loopback interface.
PUBLIC_WARNING = ("WARNING: {host} is reachable from other machines. There is no authentication: everything "
                  "loaded, your own --extra files included, is readable by anyone who can reach this port. Put "
                  "an authenticating reverse proxy in front of data that is not public.")


class NotLoopback(MBCGraphError, ValueError):
    """Binding an address other machines can reach without ``--public``."""


class CannotListen(MBCGraphError, OSError):
    """The address to serve on is taken or not this machine's."""


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host``.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    """The URL people type for a server on ``host`` and ``port``.

    >>> url_of("::1", 8000)
    'http://[::1]:8000/'
    """
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host`` and ``port`` (0: any free port), before the slow start.

    Raises :class:`CannotListen` when the address is taken or not this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Connections inherit this: without it, a response's head and body wait ~40 ms for the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # from now on connections wait in the backlog until the server is up
    except OSError as exc:
        sock.close()
        raise CannotListen(f"Cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    return sock


@contextlib.contextmanager
def _signals_end_serving(server: uvicorn.Server) -> Iterator[None]:
    """Let SIGINT and SIGTERM end :func:`serve` normally, so the workers are closed.

    While uvicorn runs, its own handlers stop it (no new requests, open ones
    finished); it then raises the signal again for the handler that was
    there before. These handlers cover the moments before uvicorn's are in
    place and after they are gone: they ask the server to stop, and never
    kill the process.
    """
    def stop(number: int, frame: object) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(load_args: dict, *, host: str = "127.0.0.1", port: int = 8000, public: bool = False,
          settings: Settings | None = None, out: TextIO | None = None, err: TextIO | None = None) -> None:
    """Serve the graph loaded with ``load_args`` until interrupted.

    Parameters
    ----------
    load_args : dict
        What :func:`mbc_graph.load` takes (``store``, ``extra``...), for this
        process (API and pages) and for every query worker.
    host, port : str, int
        Where to listen. Only loopback addresses unless ``public``.
    public : bool
        Allow any address; a warning says that everything loaded becomes readable.
    settings : Settings, optional
        Limits and options.
    out, err : text streams, optional
        Where the URL goes (stdout by default), and warnings (stderr).

    Raises
    ------
    NotLoopback
        ``host`` is reachable from other machines and ``public`` is false.
    CannotListen
        The port is taken, or ``host`` is not an address of this machine.
    """
    out, err = out or sys.stdout, err or sys.stderr
    settings = settings or Settings()
    if not is_loopback(host) and not public:
        raise NotLoopback(f"{host} is reachable from other machines; pass --public to serve there (there is no "
                          "authentication: everything loaded becomes readable)")
    sock = listen(host, port)
    port = sock.getsockname()[1]
    kg = mbc_graph.load(**load_args)
    with QueryWorkers(load_args=load_args, workers=settings.workers, queue=settings.queue) as workers:
        app = create_app(kg, workers, settings)
        if not is_loopback(host):
            err.write(PUBLIC_WARNING.format(host=host) + "\n")
            err.flush()
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                # a GET may carry a whole query in its URL (percent-encoded, up to 3 bytes a character)
                                h11_max_incomplete_event_size=3 * settings.max_query_chars + (16 << 10))
        server = uvicorn.Server(config)
        with _signals_end_serving(server):
            out.write(f"mbc-graph serving {url_of(host, port)} (SPARQL at {url_of(host, port)}sparql); "
                      "Ctrl-C stops it\n")
            out.flush()
            server.run(sockets=[sock])
