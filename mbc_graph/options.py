"""The keyword options the graph's methods share: a query's bounds and the helpers' edge filters.

Each set of options is a :class:`~typing.TypedDict`, so a method says
``**options: Unpack[HelperOptions]`` once instead of repeating five
keywords, type checkers still know every name, :func:`checked` makes a
misspelt one a ``TypeError`` as Python would, and :func:`shows` puts the
names back into the method's signature for ``help()`` and :mod:`inspect`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypedDict, TypeVar, get_type_hints

F = TypeVar("F", bound=Callable[..., Any])


class Limits(TypedDict, total=False):
    """The bounds of a query, as :meth:`~mbc_graph.KnowledgeGraph.query` takes them; the helpers take them too.

    ``timeout`` (seconds) and ``max_memory`` (bytes) run the query in a worker process.
    """

    timeout: float | None
    max_memory: int | None


class EdgeFilters(TypedDict, total=False):
    """The filters of :mod:`mbc_graph.qualifiers` on the edge behind each answer.

    ``qualifiers={"often", ...}`` keeps edges that hold that often,
    ``exclude_sources=["003"]`` drops evidence from those documents,
    ``min_rating="medium"`` drops evidence rated lower.
    """

    qualifiers: Iterable[str] | None
    exclude_sources: Iterable[str] | None
    min_rating: str | None


class HelperOptions(EdgeFilters, Limits, total=False):
    """What every domain helper (``kg.symptoms_of``...) takes besides its concept."""


def checked(options: dict[str, Any], kind: type) -> dict[str, Any]:
    """``options`` itself, if each is one of ``kind``'s keys; a misspelt option is a TypeError, not a variable to bind.

    >>> checked({"timout": 1}, Limits)
    Traceback (most recent call last):
    ...
    TypeError: unexpected keyword argument 'timout'
    """
    if unknown := sorted(set(options) - set(kind.__annotations__)):
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    return options


def shows(kind: type) -> Callable[[F], F]:
    """Show the keys of the TypedDict ``kind`` as keyword-only parameters (default None) in place of ``**options``.

    >>> @shows(Limits)
    ... def f(x, **options): ...
    >>> inspect.signature(f)
    <Signature (x, *, timeout: float | None = None, max_memory: int | None = None)>
    """
    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        kept = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=hint)
                 for name, hint in get_type_hints(kind).items()]
        function.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
        return function
    return decorate
