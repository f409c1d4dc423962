"""Reading SPARQL text before (or instead of) a parser: positions, comments, brackets, tokens, the WHERE group.

The query check (:mod:`mbc_graph.queries`), the stores that write values
into a query (:mod:`mbc_graph.stores.oxigraph`) and the SPARQL server
store (:mod:`mbc_graph.stores.sparql`) all scan query text; they share the
scanners here. None of them knows SPARQL's grammar: where a scan decides
something that matters (where values go), rdflib's parser confirms it.

Both parsers recurse once per bracket: rdflib's (pyparsing) gives up at
Python's recursion limit, which a program may have raised, and Oxigraph's
overflows the thread's stack and kills the process (a 1 MB thread stack
holds fewer than 1000 levels). So the depth is limited before either
reads the text, by a scan that knows comments, strings and IRIs, to
:data:`MAX_NESTING`: far deeper than any query a person writes, far
shallower than any stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .caching import text_cache
from .errors import QuerySyntaxError


#: A SPARQL variable name as bindings may use it (``?name`` without the ``?``).
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def position(text: str, index: int) -> tuple[int, int]:
    """The line and column (both from 1) of the character at ``index``.

    >>> position("SELECT *\\nWHERE {}", 9)
    (2, 1)
    """
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


_DECLARATION = re.compile(r"\b(PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^<>]*>", re.IGNORECASE)


def strip_declarations_and_comments(text: str) -> str:
    """The query without PREFIX and BASE declarations and ``#`` comments (near enough for an emptiness test).

    >>> strip_declarations_and_comments("PREFIX ex: <http://example.org/a#> SELECT * {} # all")
    ' SELECT * {} '
    """
    return re.sub(r"(?m)#[^\n]*$", "", _DECLARATION.sub("", text))


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
        raise QuerySyntaxError(f"brackets nested more than {MAX_NESTING} deep", text, *position(text, at))


# Oxigraph matches keywords without a word boundary and splits some names
# where rdflib does not (``ex:a.b.SERVICE...``), so a SERVICE that rdflib
# reads as part of a name can run: the word is refused wherever it appears.
SERVICE_WORD = re.compile("service", re.IGNORECASE)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")


@text_cache()
def text_for_both_engines(text: str) -> str:
    """The query text that rdflib (which checks it) and Oxigraph (which may run it) read alike.

    SPARQL expands ``\\u`` and ``\\U`` escapes before parsing, and so does
    rdflib, but Oxigraph expands them only inside strings and IRIs; and
    Oxigraph ends a ``#`` comment at a lone carriage return, rdflib only at a
    line feed. Either difference could hide a SERVICE from the check, so
    escapes are expanded here, once, and a lone carriage return is refused.

    >>> text_for_both_engines('SELECT ?x WHERE { BIND("caf\\u00e9" AS ?x) }')
    'SELECT ?x WHERE { BIND("café" AS ?x) }'
    """
    if cr := _LONE_CARRIAGE_RETURN.search(text):
        raise QuerySyntaxError("a carriage return without a line feed (end lines with \\n or \\r\\n)", text,
                               *position(text, cr.start()))

    def expand(match: re.Match) -> str:
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF:
            raise QuerySyntaxError(f"{match[0]!r} is not a Unicode code point", text, *position(text, match.start()))
        return chr(code)

    expanded = _CODEPOINT_ESCAPE.sub(expand, text)
    if left := _CODEPOINT_ESCAPE.search(expanded):  # an escape that spelled another one
        raise QuerySyntaxError("an escape that spells another escape", expanded, *position(expanded, left.start()))
    return expanded


_IRI_REF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[?$]?[A-Za-z0-9_][A-Za-z0-9_\-.:]*")
_LANGUAGE_TAG = re.compile(r"@[A-Za-z]+(-[A-Za-z0-9]+)*")


def tokens(query: str) -> Iterator[tuple[str, int]]:
    """The braces, parentheses and keywords of a SPARQL query, with their offsets;
    strings, IRIs, comments and escapes are skipped.

    ``<`` starts an IRI, except inside parentheses outside any group (in a
    projection) after a value, where it compares: in ``(1<(2>0))`` the text
    ``<(2>`` is no IRI. (In a group, parentheses may be an RDF list, where
    an IRI follows a value.)

    >>> [token for token, _ in tokens("SELECT (1<(2>0) AS ?b) WHERE { ?s <p> ?o }")]
    ['SELECT', '(', '1', '(', '2', '0', ')', 'AS', '?B', ')', 'WHERE', '{', '?S', '?O', '}']
    """
    i, n = 0, len(query)
    brackets: list[str] = []
    after_value = False  # whether the last token ends a value that a "<" after it would compare
    while i < n:
        c = query[i]
        compares = after_value and bool(brackets) and "{" not in brackets  # in an expression before any group
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
            if tag := _LANGUAGE_TAG.match(query, i):
                i = tag.end()
            after_value = True
        elif c == "<" and not compares and (match := _IRI_REF.match(query, i)):
            i, after_value = match.end(), False  # an IRI after an IRI is a list item, not a comparison
        elif c == "\\":
            i += 2
        elif c in "{}()":
            yield c, i
            if c in "({":
                brackets.append(c)
            elif brackets:
                brackets.pop()
            i, after_value = i + 1, c == ")"
        elif (match := _WORD.match(query, i)) is not None:
            word = match.group()
            yield word.upper(), i
            i, after_value = match.end(), _is_value(word)
        else:
            i, after_value = i + 1, after_value if c.isspace() else False


def _is_value(word: str) -> bool:
    """Whether a word of a query is a value: a variable, a number, a prefixed name or a boolean."""
    return word[0] in "?$" or word[0].isdigit() or ":" in word or word.upper() in ("TRUE", "FALSE")


@text_cache()
def where_group(query: str) -> int | None:
    """The offset just inside the ``{`` that opens the WHERE group of a valid query, or None.

    >>> q = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> q[where_group(q):]
    ' ?s ?p ?o }'
    """
    form = previous = None
    template_done = False
    depth = 0  # parentheses (a SELECT expression may hold EXISTS { ... })
    scan = tokens(query)
    for token, at in scan:
        if token in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and form is None:
            form = token
        elif token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "{" and depth == 0:
            if form != "CONSTRUCT" or template_done:
                return at + 1
            if previous == "WHERE":
                return None  # CONSTRUCT WHERE { template }: nowhere to put VALUES
            braces = 1
            for inner, _ in scan:  # skip the template
                braces += (inner == "{") - (inner == "}")
                if braces == 0:
                    break
            template_done = True
        previous = token
    return None


def query_form(query: str) -> str | None:
    """The query form: the first of SELECT, CONSTRUCT, DESCRIBE and ASK in the query's words.

    >>> query_form("PREFIX ex: <urn:select> ASK { ?s ?p ?o }")
    'ASK'
    """
    return next((token for token, _ in tokens(query) if token in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), None)


def group_end(query: str, at: int) -> int | None:
    """The offset of the ``}`` that closes the group opened just before ``at``."""
    depth = 1
    for token, offset in tokens(query[at:]):
        depth += (token == "{") - (token == "}")
        if depth == 0:
            return at + offset
    return None
