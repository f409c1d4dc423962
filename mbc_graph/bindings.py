"""What ``kg.query`` takes besides the text: bound values and a base IRI.

Values bound to a query's variables come as one ``bindings`` dict, so that
options of the call (``base``, ``timeout``...) can never collide with a
variable's name; keyword bindings are still read, with a warning, for one
release.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

from .errors import BadBinding
from .namespaces import QUERY_BASE

_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*')


def merged_bindings(bindings: Mapping[str, object] | None, legacy: Mapping[str, object]) -> dict[str, object]:
    """The ``bindings`` dict with the deprecated keyword bindings added.

    >>> merged_bindings({"c": 1}, {})
    {'c': 1}
    """
    if bindings is not None and not isinstance(bindings, Mapping):
        raise BadBinding(f"bindings must be a dict of variable names to values, not {type(bindings).__name__}")
    merged = dict(bindings or {})
    if legacy:
        warnings.warn("Binding variables with keyword arguments is deprecated and will be removed in the next "
                      f"release: pass bindings={{{', '.join(repr(name) + ': ...' for name in legacy)}}} instead",
                      DeprecationWarning, stacklevel=3)
        if twice := sorted(set(merged) & set(legacy)):
            raise BadBinding(f"?{twice[0]} is bound twice, in bindings and as a keyword")
        merged.update(legacy)
    return merged


def query_base(base: str | None) -> str:
    """The base IRI a query's relative IRIs resolve against (its own BASE wins).

    >>> query_base(None)
    'https://w3id.org/mbc-graph/query/'
    """
    if base is None:
        return QUERY_BASE
    if not isinstance(base, str) or not _ABSOLUTE_IRI.fullmatch(base):
        raise BadBinding(f"base must be an absolute IRI, not {base!r}")
    return base
