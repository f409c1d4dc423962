"""``mbc-graph serve``: a SPARQL 1.1 endpoint, a JSON API and the explorer over HTTP.

A thin shell on Starlette and uvicorn (the ``[server]`` extra): every answer
comes from the same library calls a Python user makes, and every SPARQL
query runs in a :class:`~mbc_graph.workers.QueryWorkers` process under a
deadline and a memory budget.

>>> from mbc_graph.server import Settings
>>> Settings().max_query_chars
102400
"""

from __future__ import annotations

from .settings import Settings

__all__ = ["Settings", "create_app", "serve"]


def __getattr__(name: str):
    # Starlette and uvicorn are optional: import them only when a server is made.
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "serve":
        from .run import serve

        return serve
    raise AttributeError(f"module 'mbc_graph.server' has no attribute {name!r}")
