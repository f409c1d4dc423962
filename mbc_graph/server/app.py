"""The Starlette application: routes, limits, headers and the one error handler.

>>> from mbc_graph.server.app import ROUTE_PATHS
>>> "/sparql" in ROUTE_PATHS
True
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import MBCGraphError, ServerBusy
from . import api, pages
from .errors import PAGE_PREFIXES, RETRY_AFTER, RequestRejected, error_body, status_of
from .notices import notice_headers, with_notice
from .openapi import DOCUMENT
from .settings import Settings
from .sparql import sparql_endpoint

#: Pages may load only their own scripts, styles and data: no outside request.
#: vis-network styles its elements from script, hence inline styles.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                           "frame-ancestors 'none'")


def _viz_script(*parts: str) -> Callable[[Request], FileResponse]:
    """Serve a script of the offline views (:mod:`mbc_graph.viz`) to the explorer's pages too."""
    path = str(resources.files("mbc_graph.viz").joinpath(*parts))

    def endpoint(request: Request) -> FileResponse:
        return FileResponse(path, media_type="text/javascript")

    return endpoint


def _openapi(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


async def handle_error(request: Request, exc: Exception) -> Response:
    """The one exception handler of the app, for library errors and ValueError."""
    status = status_of(exc)
    headers = notice_headers()
    if isinstance(exc, ServerBusy):
        headers["Retry-After"] = str(RETRY_AFTER)
    if request.url.path.startswith(PAGE_PREFIXES):
        return pages.error_page(exc, status)
    if request.url.path.startswith("/sparql"):
        return PlainTextResponse(f"{type(exc).__name__}: {exc}\n", status_code=status, headers=headers)
    return JSONResponse(with_notice(error_body(exc)), status_code=status, headers=headers)


def in_graph_thread(handler: Callable[[Request], Response]) -> Callable:
    """Run a handler that reads the graph in the app's one graph thread.

    pyoxigraph's result objects belong to the thread that made them (they
    cannot be dropped in another), and the graph's caches are built on
    first use: one thread for every call keeps both safe.
    """

    async def endpoint(request: Request) -> Response:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(request.app.state.graph_thread, handler, request)

    endpoint.__name__ = endpoint.__qualname__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


ROUTES = [
    Route("/", in_graph_thread(pages.index), name="index"),
    Route("/concept/{curie:path}", in_graph_thread(pages.concept), name="concept"),
    Route("/concept", in_graph_thread(pages.concept), name="concept_by_iri"),
    Route("/graph", in_graph_thread(pages.graph), name="graph"),
    Route("/path", in_graph_thread(pages.path), name="path"),
    Route("/query", pages.query, name="query"),
    Route("/api/concept/{curie:path}", in_graph_thread(api.concept), name="api_concept"),
    Route("/api/concept", in_graph_thread(api.concept), name="api_concept_by_iri"),
    Route("/api/search", in_graph_thread(api.search), name="api_search"),
    Route("/api/evidence", in_graph_thread(api.evidence), name="api_evidence"),
    Route("/api/paths", in_graph_thread(api.paths), name="api_paths"),
    Route("/sparql", sparql_endpoint, methods=["GET", "POST"], name="sparql"),
    Route("/openapi.json", _openapi, name="openapi"),
    Route("/static/vis-network.min.js", _viz_script("vendor", "vis-network", "vis-network.min.js"), name="vis_network"),
    Route("/static/dom.js", _viz_script("templates", "dom.js"), name="dom_js"),
    Mount("/static", StaticFiles(packages=[("mbc_graph.server", "static")]), name="static"),
]
ROUTE_PATHS = [route.path for route in ROUTES if isinstance(route, (Route, Mount))]


class Limits:
    """ASGI middleware: cap the request body, and add the security headers to every answer."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            response = PlainTextResponse(f"Requests are limited to {self.max_bytes} bytes.\n", status_code=413)
            return await response(scope, receive, send)
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:  # a chunked body that grows past the limit
                raise RequestRejected(413, f"Requests are limited to {self.max_bytes} bytes.")
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"no-referrer")]
            await send(message)

        await self.app(scope, limited, with_headers)


def create_app(kg, workers, settings: Settings | None = None) -> Starlette:
    """The ASGI app serving ``kg``, with SPARQL queries run by ``workers``.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph the API and the pages read (in this process).
    workers : QueryWorkers
        The pool that runs every ``/sparql`` query, loaded with the same data.
    settings : Settings, optional
        Limits and options; the defaults of :class:`Settings` otherwise.

    Returns
    -------
    starlette.applications.Starlette
    """
    settings = settings or Settings()
    middleware = [Middleware(Limits, max_bytes=settings.max_request_bytes)]
    if settings.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"], expose_headers=["Link", "X-Notice"]))
    graph_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mbc-graph")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        graph_thread.shutdown(wait=True)

    app = Starlette(routes=ROUTES, middleware=middleware, lifespan=lifespan,
                    exception_handlers={MBCGraphError: handle_error, ValueError: handle_error})
    app.state.kg, app.state.workers, app.state.settings = kg, workers, settings
    app.state.graph_thread = graph_thread
    # Count the data and build the path graph before the first visitor waits for them.
    app.state.triples = graph_thread.submit(lambda: (kg.to_networkx(), len(kg.store))[1]).result()
    return app
