"""Start ``mbc-graph serve`` for a test, on a free 127.0.0.1 port, and always stop it.

Used by ``tests/test_server_http.py`` and ``tests/test_server_browser.py``.
The server runs as a user would run it (``python -m mbc_graph ... serve
--port 0``); the fixture reads the URL it prints, and stops it with SIGTERM
when the test ends, whether it passed or not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 180  # seconds: loading the graph and forking the workers on a busy machine


@dataclass
class Server:
    url: str  # ends with "/"
    process: subprocess.Popen
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Send ``sig`` and wait for the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def command(*args: str, extra: list[Path] = ()) -> list[str]:
    extras = [option for path in extra for option in ("--extra", str(path))]
    return [sys.executable, "-m", "mbc_graph", *extras, "serve", "--port", "0", *args]


@contextmanager
def running(*args: str, extra: list[Path] = (), log: Path) -> Server:
    """A server started with ``serve --port 0 ARGS``; stopped (SIGTERM, then kill) on exit."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with open(log, "wb") as errors:
        process = subprocess.Popen(command(*args, extra=extra), stdout=subprocess.PIPE, stderr=errors, env=env,
                                   cwd=ROOT)
    server = None
    try:
        line = _first_line(process)
        if not line.startswith("mbc-graph serving http://"):
            raise RuntimeError(f"serve did not start: {line!r}\n{log.read_text(errors='replace')}")
        server = Server(line.split()[2], process, log)
        yield server
    finally:
        if server is None:
            process.kill()
            process.wait()
        else:
            server.stop()
        process.stdout.close()


def _first_line(process: subprocess.Popen) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(START_TIMEOUT):
            return "(nothing printed)"
    return process.stdout.readline().decode("utf-8", "replace").strip()
