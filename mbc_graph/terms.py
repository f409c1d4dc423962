"""RDF terms: from the Python values bound to queries, and between rdflib's and pyoxigraph's engines.

:func:`to_term` turns a bound value into an rdflib term, refusing what could
not be written safely as a value.

Every store, the worker processes and the serializers convert through these
functions, so a literal keeps its exact lexical form (``normalize=False``:
``"2006-08-24Z"`` keeps its timezone, and ``"1e1000000000"^^xsd:decimal``
is never expanded to a billion digits) and ``xsd:string`` stays implicit,
whichever way a term travels.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from .caching import term_cache, text_cache
from .errors import BadBinding

_XSD_STRING = str(XSD.string)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


def to_term(value) -> Identifier:
    """Turn a binding value into an RDF term: rdflib IRIs and literals pass
    through, a :class:`~mbc_graph.Concept` becomes its IRI, str/int/float/bool
    become literals. Anything else raises :class:`BadBinding`.

    >>> to_term(3)
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    term = value if isinstance(value, (URIRef, Literal)) else _as_term(value)
    _check_term(term)
    return term


def _as_term(value) -> URIRef | Literal:
    """The IRI of a Concept (or anything with an rdflib ``iri``), or a Python value as a literal."""
    iri = getattr(value, "iri", None)
    if isinstance(iri, URIRef):
        return iri
    if isinstance(value, (str, int, float, bool)) and not isinstance(value, BNode):  # BNode is a str
        try:
            return Literal(value)
        except ValueError as exc:  # an int too long to write in decimal
            raise BadBinding(f"Cannot bind this value: {exc}") from None
    raise BadBinding(f"Cannot bind {_short_repr(value)}: use an IRI, a literal, a Concept, or a str/int/float/bool")


def _short_repr(value) -> str:
    """``repr(value)``, shortened, or its type where even that fails (an int of 5000 digits).

    >>> _short_repr([10**5000]), _short_repr("x" * 1000)
    ('<list>', "'xxxxxxxxxxxx...xxxxxxxxxxxxx'")
    """
    try:
        return reprlib.repr(value)
    except ValueError:
        return f"<{type(value).__name__}>"


@text_cache(4096)
def _check_term(term: URIRef | Literal) -> None:
    """Raise :class:`BadBinding` unless ``term`` is safe to write as a value.

    Cached: helpers bind the same concept IRIs again and again. Equal terms
    have the same text, datatype and language (up to case), so the same verdict.
    """
    for iri in (term,) if isinstance(term, URIRef) else (term.datatype,) if term.datatype else ():
        if _BAD_IRI.search(str(iri)):
            raise BadBinding(f"Not a valid IRI: {str(iri)!r}")
    if isinstance(term, Literal) and term.language and not _LANGUAGE.fullmatch(term.language):
        raise BadBinding(f"Not a valid language tag: {term.language!r}")


def to_oxigraph(term: Node):
    """Convert an rdflib term to the pyoxigraph term with the same meaning.

    >>> to_oxigraph(Literal("bone", lang="en"))
    <Literal value=bone language=en>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise TypeError(f"Cannot store {term!r} in Oxigraph")


def rdflib_literal(value: str, datatype: str, language: str | None,
                   iri: Callable[[str], URIRef] = URIRef) -> Literal:
    """The rdflib literal of a pyoxigraph literal's parts, its lexical form kept.

    ``iri`` makes the datatype IRI (a caller may intern them).

    >>> rdflib_literal("2006-08-24Z", "http://www.w3.org/2001/XMLSchema#date", None)
    rdflib.term.Literal('2006-08-24Z', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    """
    if language:
        return Literal(value, lang=language, normalize=False)
    return Literal(value, datatype=None if datatype == _XSD_STRING else iri(datatype), normalize=False)


@term_cache(maxsize=1 << 14)
def to_rdflib(term) -> Node | None:
    """Convert a pyoxigraph term (or None) to rdflib.

    Cached, as results repeat the same IRIs and labels call after call and
    building rdflib terms is slow (a Literal parses its value); both kinds
    of term are immutable and hashable, so a converted term can be shared.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return rdflib_literal(term.value, term.datatype.value, term.language)


def present(term) -> Node:
    """:func:`to_rdflib` for a term that is there (a quad's)."""
    converted = to_rdflib(term)
    assert converted is not None
    return converted
