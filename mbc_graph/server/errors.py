"""Library errors as HTTP answers: one table of statuses, and what an answer says.

A JSON body for the API and the pages' scripts, plain text for SPARQL
clients (SPARQLWrapper and rdflib show the body in their exception). The
handler that writes them is in :mod:`mbc_graph.server.app`.
"""

from __future__ import annotations

from ..errors import (
    BadBinding,
    ConceptNotFound,
    ForbiddenQuery,
    MBCGraphError,
    NoPath,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    ServerBusy,
    UnknownRelation,
)

#: Seconds a client is told to wait when every worker and queue slot is taken.
RETRY_AFTER = 2


class RequestRejected(MBCGraphError):
    """A request the server will not take, with the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


#: Paths of the explorer's pages: their errors are pages too.
PAGE_PREFIXES = ("/concept", "/graph", "/path", "/query")

#: The HTTP status of each library error (the first matching class wins).
STATUS: list[tuple[type[BaseException], int]] = [
    (ConceptNotFound, 404),
    (UnknownRelation, 404),
    (NoPath, 404),
    (QuerySyntaxError, 400),
    (BadBinding, 400),
    (ForbiddenQuery, 403),
    (ServerBusy, 503),
    (QueryTimeout, 504),
    (QueryTooLarge, 507),
    (QueryFailed, 500),
    (ValueError, 400),
]


def status_of(exc: BaseException) -> int:
    """The HTTP status for an exception raised while answering.

    >>> status_of(ConceptNotFound("x")), status_of(ForbiddenQuery("no"))
    (404, 403)
    """
    if isinstance(exc, RequestRejected):
        return exc.status
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 500)


def error_body(exc: BaseException) -> dict:
    """What the JSON answer says about an error."""
    body: dict = {"error": str(exc), "type": type(exc).__name__}
    if isinstance(exc, ConceptNotFound):
        body["suggestions"] = exc.suggestions
    if isinstance(exc, QuerySyntaxError):
        body["line"], body["column"] = exc.lineno, exc.offset
    return body
