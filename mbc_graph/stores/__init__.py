"""Triple stores behind a :class:`~mbc_graph.KnowledgeGraph`, chosen by name.

Like rdflib's plugin table, the registry maps a name to a dotted path and
imports the class only when it is first asked for, so the memory store
(and rdflib's SPARQL engine behind it) costs nothing unless used.

>>> sorted(available())
['memory', 'oxigraph']
"""

from __future__ import annotations

from importlib import import_module

from ..errors import UnknownStore
from .base import QueryOutcome, Store

__all__ = ["Store", "QueryOutcome", "available", "get", "register"]

_REGISTRY: dict[str, str] = {
    "memory": "mbc_graph.stores.memory:MemoryStore",
    "oxigraph": "mbc_graph.stores.oxigraph:OxigraphStore",
}


def register(name: str, path: str) -> None:
    """Register a store class under ``name`` as ``"package.module:Class"``."""
    _REGISTRY[name] = path


def available() -> list[str]:
    """The registered store names."""
    return list(_REGISTRY)


def get(name: str) -> type[Store]:
    """The store class registered as ``name``; :class:`UnknownStore` otherwise."""
    try:
        module, cls = _REGISTRY[name].split(":")
    except KeyError:
        raise UnknownStore(name, list(_REGISTRY)) from None
    return getattr(import_module(module), cls)
