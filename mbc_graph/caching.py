"""Caches keyed by query text, bounded in characters as well as in entries.

``functools.lru_cache`` bounds the number of entries only; keyed by query
texts, whose parse trees take ~18 times their size, 1024 entries of 600 KB
queries kept ~11 GB alive after the calls returned. :func:`text_cache` keeps
entries only while the strings in their keys add up to at most
``max_chars``, and never caches a call whose key is larger than
``max_chars // 4``: a very long query is parsed again each time, a short
one, the common case, once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, update_wrapper, wraps
from typing import Any, Generic, TypeVar

R = TypeVar("R")

#: The default bound of one cache, in characters of its keys.
MAX_CHARS = 1 << 20


def key_size(value: Any) -> int:
    """The characters in the strings of a key (nested tuples and frozensets included).

    >>> key_size(("abc", ("de", 1)))
    5
    """
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (tuple, frozenset)):
        return sum(map(key_size, value))
    return 0


class TextCache(Generic[R]):
    """A least-recently-used cache of ``function``'s results, bounded in key characters."""

    def __init__(self, function: Callable[..., R], max_chars: int, max_entries: int) -> None:
        self.function, self.max_chars, self.max_entries = function, max_chars, max_entries
        self.largest = max(1, max_chars // 4)
        self._entries: OrderedDict[tuple, tuple[R, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        update_wrapper(self, function)

    def __call__(self, *args: Any) -> R:
        with self._lock:
            found = self._entries.get(args)
            if found is not None:
                self._entries.move_to_end(args)
                return found[0]
        result = self.function(*args)  # outside the lock: calls may be slow, and may nest
        size = key_size(args)
        if size <= self.largest:
            with self._lock:
                if args not in self._entries:
                    self._entries[args] = (result, size)
                    self._chars += size
                while self._chars > self.max_chars or len(self._entries) > self.max_entries:
                    self._chars -= self._entries.popitem(last=False)[1][1]
        return result

    def cache_clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._chars = 0

    def cached_chars(self) -> int:
        """The characters in the keys kept now."""
        return self._chars


def text_cache(max_entries: int = 1024, max_chars: int = MAX_CHARS) -> Callable[[Callable[..., R]], TextCache[R]]:
    """Decorate a function of hashable arguments (query texts first) with a :class:`TextCache`.

    >>> @text_cache(max_chars=160)
    ... def shout(text):
    ...     return text.upper()
    >>> shout("hi"), len(shout("x" * 100)), shout.cached_chars()
    ('HI', 100, 2)
    """
    return lambda function: TextCache(function, max_chars, max_entries)


#: The longest term text (in characters) that :func:`term_cache` keeps.
LONGEST_TERM = 4096


def term_cache(maxsize: int, longest: int = LONGEST_TERM) -> Callable[[Callable[[Any], R]], Callable[[Any], R]]:
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
    def decorate(function: Callable[[Any], R]) -> Callable[[Any], R]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(term):
            if term is not None and len(term.value) > longest:
                return function(term)
            return cached(term)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return decorate
