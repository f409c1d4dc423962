"""How deeply a SPARQL text nests brackets, measured before any parser reads it.

Both parsers recurse once per bracket: rdflib's (pyparsing) gives up at
Python's recursion limit, which a program may have raised, and Oxigraph's
overflows the thread's stack and kills the process (a 1 MB thread stack
holds fewer than 1000 levels). So the depth is limited here, by a scan
that knows comments, strings and IRIs, to :data:`MAX_NESTING`: far deeper
than any query a person writes, far shallower than any stack.
"""

from __future__ import annotations

import re

from .errors import QuerySyntaxError

#: The deepest nesting of ``( { [`` a query may have.
MAX_NESTING = 64

# Brackets outside comments, strings (long ones first) and IRIs; anything else is skipped.
_LEXEME = re.compile(r"""
      \#[^\n]*
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    | (?P<open>[({\[])
    | (?P<close>[)}\]])
""", re.VERBOSE | re.DOTALL)


def deepest_bracket(text: str, limit: int = MAX_NESTING) -> int | None:
    """The offset of the first bracket nested deeper than ``limit``, or None.

    >>> deepest_bracket("SELECT * WHERE { FILTER((1)) }", limit=3) is None
    True
    >>> deepest_bracket("SELECT * WHERE { FILTER(((1))) }", limit=3)
    25
    >>> deepest_bracket('SELECT * WHERE { BIND("((((" AS ?x) }', limit=3) is None
    True
    """
    depth = 0
    for match in _LEXEME.finditer(text):
        if match["open"]:
            depth += 1
            if depth > limit:
                return match.start()
        elif match["close"]:
            depth = max(depth - 1, 0)  # a stray closing bracket cannot make room for more depth
    return None


def check_nesting(text: str) -> None:
    """Raise :class:`QuerySyntaxError` at the bracket that nests deeper than :data:`MAX_NESTING`."""
    at = deepest_bracket(text)
    if at is not None:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise QuerySyntaxError(f"brackets nested more than {MAX_NESTING} deep", text, line, column)

