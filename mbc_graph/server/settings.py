"""What a server may be asked to do: its limits, and the notices every answer carries."""

from __future__ import annotations

from dataclasses import dataclass

#: Said with every API answer, the service description and every page.
NOTICE = "Educational content, not medical advice."


@dataclass(frozen=True)
class Settings:
    """The limits and options of one server.

    Parameters
    ----------
    timeout : float
        Seconds a SPARQL query may run before its worker is stopped.
    max_memory : int
        Bytes a query's worker may use.
    workers : int
        Queries that run at the same time (one worker process each).
    queue : int
        Queries that may wait for a worker; more get 503 with Retry-After.
    max_request_bytes : int
        The largest request body accepted (413 above).
    max_query_chars : int
        The longest query text accepted (413 above).
    cors : bool
        Let pages from any origin call the API and ``/sparql``.
    """

    timeout: float = 10.0
    max_memory: int = 1 << 30
    workers: int = 2
    queue: int = 16
    max_request_bytes: int = 1 << 20
    max_query_chars: int = 100 << 10
    cors: bool = False
