"""Making text from data safe to show: control characters become visible escapes.

Labels and definitions are user data: RDF allows any character in them,
but a terminal obeys escape sequences (clear the screen, retitle the
window, hide text) and XML 1.0 cannot carry most control characters at all.
Each such character is written as a ``\\uXXXX`` escape: readable, and still
the same character once a JSON or Turtle reader unescapes it.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and CR LF (CSV's line end), DEL, C1 controls,
# lone surrogates (unwritable as UTF-8).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
# What XML 1.0 forbids (tab, line feed and carriage return are allowed).
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match[0]):04x}"


def for_terminal(text: str) -> str:
    """``text`` with every control character but tab, line feed and CR LF escaped.

    >>> for_terminal("bone pain\\x1b[2J\\ttab")
    'bone pain\\\\u001b[2J\\ttab'
    """
    return _TERMINAL_UNSAFE.sub(_escape, text)


def for_xml(text: str) -> str:
    """``text`` with every character XML 1.0 forbids escaped.

    >>> for_xml("a\\x01b")
    'a\\\\u0001b'
    """
    return _XML_UNSAFE.sub(_escape, text)
