"""SPARQL servers for the tests: Oxigraph's own server, and tiny stand-ins that misbehave.

Each is a context manager that starts the server on a free port of
127.0.0.1 and stops it on the way out, also when the test fails.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

OXIGRAPH = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll ``url`` until it answers; fail with the server's log if the process died or never answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not come up at {url}: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def stopping(process: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """Terminate the process on the way out (kill it if it does not stop)."""
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph_server(directory: Path) -> Iterator[str]:
    """Oxigraph's server on a fresh store in ``directory``; yields its base URL
    (``/query``, ``/update`` and ``/store`` below it)."""
    executable = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    assert executable, "the oxigraph server (pip install oxigraph) is needed"
    port = free_port()
    log = directory / "oxigraph.log"
    with open(log, "wb") as out, stopping(subprocess.Popen(
            [str(executable), "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT)) as process:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/query?query=ASK%7B%7D", process, log, seconds=600)  # a big store opens slowly
        yield base


@contextlib.contextmanager
def fake_server(status: int, body: dict | bytes, headers: dict[str, str] | None = None) -> Iterator[str]:
    """A server answering every request with ``status``, ``body`` (JSON unless bytes) as SPARQL JSON
    results, and ``headers``; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = answer

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 300
"""
#: The account the tests publish with (Digest auth on /sparql-auth); the server listens on 127.0.0.1 only.
VIRTUOSO_USER = ("mbc", "publish-secret")


@contextlib.contextmanager
def virtuoso_server(directory: Path, *, max_rows: int = 1_000_000) -> Iterator[str]:
    """Virtuoso Open Source with its own ini in ``directory``; yields its base URL
    (``/sparql`` to query, ``/sparql-auth`` to update as :data:`VIRTUOSO_USER`)."""
    executable, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql-v")
    assert executable and isql, "Virtuoso is needed: apt-get install virtuoso-opensource"
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    log = directory / "out.log"
    with open(log, "wb") as out, stopping(subprocess.Popen(
            [executable, "+foreground", "+configfile", str(ini)], cwd=directory,
            stdout=out, stderr=subprocess.STDOUT)) as process:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_up(base + "/sparql?query=ASK%7B%7D", process, log, seconds=120)
        user, password = VIRTUOSO_USER
        setup = (f"DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\"; "
                 f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 3);")
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={setup}"], check=True,
                       capture_output=True, timeout=60)
        yield base
