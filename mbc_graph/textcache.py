"""A least-recently-used cache for functions of query texts, bounded by the texts' length too.

``functools.lru_cache(maxsize=1024)`` bounds the number of entries, not
their size: caches of query checks kept each text and its parse tree (about
18 times the text) for good, 107 MB after ten distinct 600 KB queries
(security review F9). :func:`text_cache` also caps the total length of the
strings in its keys, which bounds the derived values as well, and does not
keep a call whose strings alone exceed the cap.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: The default cap on the characters a cache keeps in its keys.
MAX_CHARS = 1 << 20
#: The longest term text :func:`term_cache` keeps.
LONGEST_TERM = 4096


def text_cache(maxsize: int = 1024, max_chars: int = MAX_CHARS) -> Callable[[F], F]:
    """Cache a function of hashable positional arguments, strings among them.

    At most ``maxsize`` calls are kept, and their string arguments (also
    inside tuples) hold at most ``max_chars`` characters in all; the least
    recently used go first.
    Exceptions are not cached. ``cache_clear()`` empties the cache.

    >>> @text_cache(maxsize=8, max_chars=10)
    ... def shout(text):
    ...     return text.upper()
    >>> shout("hello"), shout("a text longer than ten"), shout.cache_info()
    ('HELLO', 'A TEXT LONGER THAN TEN', {'entries': 1, 'chars': 5})
    """
    def decorate(function: F) -> F:
        entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        total = [0]
        lock = threading.Lock()

        @wraps(function)
        def cached(*args):
            with lock:
                found = entries.get(args)
                if found is not None:
                    entries.move_to_end(args)
                    return found[0]
            value = function(*args)
            chars = _chars(args)
            if chars <= max_chars:
                with lock:
                    if args not in entries:
                        entries[args] = (value, chars)
                        total[0] += chars
                    while len(entries) > maxsize or total[0] > max_chars:
                        total[0] -= entries.popitem(last=False)[1][1]
            return value

        def cache_clear() -> None:
            with lock:
                entries.clear()
                total[0] = 0

        cached.cache_clear = cache_clear  # type: ignore[attr-defined]
        cached.cache_info = lambda: {"entries": len(entries), "chars": total[0]}  # type: ignore[attr-defined]
        return cached  # type: ignore[return-value]

    return decorate


def _chars(value: Any) -> int:
    """The characters of the strings in ``value``, also inside tuples and frozensets."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (tuple, frozenset)):
        return sum(map(_chars, value))
    return 0


def term_cache(maxsize: int, longest: int = LONGEST_TERM) -> Callable[[F], F]:
    """``functools.lru_cache`` for a function of one RDF term (or None), keeping only short terms.

    A term whose text (``.value``) is longer than ``longest`` is passed to
    the function each time: results repeat IRIs and short labels, which are
    worth keeping, while a long literal would stay in memory for good.

    >>> from pyoxigraph import Literal
    >>> @term_cache(maxsize=8, longest=3)
    ... def text(term):
    ...     return term.value
    >>> text(Literal("abc")), text(Literal("abcd")), text.cache_info().currsize
    ('abc', 'abcd', 1)
    """
    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(term):
            if term is not None and len(term.value) > longest:
                return function(term)
            return cached(term)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate
