"""Evidence items and claims: where each assertion comes from, and how often it holds."""

from __future__ import annotations

from dataclasses import dataclass

#: The qualifier of an edge that comes from an axiom: it holds for every instance.
ALWAYS = "always"
#: The frequency qualifiers of associations, most frequent first, then the others.
QUALIFIERS = ("often", "sometimes", "rarely", "in selected cases", "not stated")
#: Source ratings, lowest first.
RATINGS = ("low", "medium", "high")


@dataclass(frozen=True)
class Evidence:
    """One evidence item behind an edge or a claim.

    ``source`` is the document's file name (``dcterms:identifier``) or, for
    curated evidence, the reference record's CURIE; ``quote`` is the verbatim
    sentence (documents only); ``note`` is the curator's note (curated only);
    ``asserted_on`` is the label of the class the edge is stated on when the
    edge is inherited from a superclass. ``qualifier`` says how often the
    statement it supports holds: :data:`ALWAYS` for an axiom, else one of
    :data:`QUALIFIERS` (``None`` for a claim's evidence); ``condition`` is
    when it applies, in the source's words; ``rating`` is the source's
    rating (``"high"``, ``"medium"`` or ``"low"``).
    """

    source: str
    title: str
    quote: str | None = None
    note: str | None = None
    curated: bool = False
    asserted_on: str | None = None
    qualifier: str | None = None
    condition: str | None = None
    rating: str | None = None

    def __str__(self) -> str:
        body = f'"{self.quote}"' if self.quote else f"curated: {self.note}"
        inherited = f" [stated for {self.asserted_on}]" if self.asserted_on else ""
        low = " (low-rated source)" if self.rating == "low" else ""
        return f"{self.source}{low}: {body}{inherited}"


@dataclass(frozen=True)
class Claim:
    """A statement a source makes, kept with a status instead of asserted.

    ``status`` is ``"supported"``, ``"conflicting"``, ``"contradicted"`` or ``"misleading"``.
    """

    iri: str
    statement: str
    topic: str
    status: str
    status_note: str
    about: tuple[str, ...]
    conflicts_with: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    def __str__(self) -> str:
        sources = ", ".join(sorted({e.source for e in self.evidence}))
        return f"[{self.status}] {self.statement} ({sources})"


def evidence_from_rows(rows, subject_label: str | None, labels) -> list[Evidence]:
    """Build Evidence from rows of the ``evidence``/``claim_evidence`` queries.

    ``labels`` maps an IRI to a label, to name the class an inherited edge is
    stated on.
    """
    items = []
    for row in rows:
        values = row.asdict()  # one dict per row: reading a Row by attribute costs more
        asserted = values.get("asserted")
        asserted_label = labels(asserted) if asserted is not None else None
        quote, note = _text(values.get("quote")), _text(values.get("note"))
        qualifier = _text(values.get("qualifier"))
        if qualifier is None and asserted is not None:
            qualifier = ALWAYS  # an edge's evidence without an association is an axiom's
        items.append(
            Evidence(
                source=str(values.get("identifier")),
                title=str(values.get("title")),
                quote=quote,
                note=note,
                curated=str(values.get("kind")).endswith("CuratedEvidence"),
                asserted_on=asserted_label if asserted_label != subject_label else None,
                qualifier=qualifier,
                condition=_text(values.get("condition")),
                rating=_text(values.get("rating")),
            )
        )
    return items


def _text(value) -> str | None:
    return None if value is None else str(value)


def edge_qualifier(items: list[Evidence]) -> tuple[str | None, str | None]:
    """The qualifier and condition of an edge, from its evidence items.

    An axiom wins (the edge holds always); otherwise the association stated
    on the subject itself, else one inherited from a superclass.

    >>> edge_qualifier([Evidence("a", "t", qualifier="sometimes", condition="if X")])
    ('sometimes', 'if X')
    """
    qualifiers = {e.qualifier for e in items if e.qualifier}
    if ALWAYS in qualifiers:
        return ALWAYS, None
    # The association stated on the subject itself, before one inherited from a superclass.
    for item in sorted(items, key=lambda e: e.asserted_on is not None):
        if item.qualifier:
            return item.qualifier, item.condition
    return None, None


def only_low_rated(items: list[Evidence]) -> bool:
    """True when every evidence item comes from a low-rated source.

    >>> only_low_rated([Evidence("003.txt", "t", rating="low")]), only_low_rated([])
    (True, False)
    """
    return bool(items) and all(e.rating == "low" for e in items)


def describe_qualifier(items: list[Evidence]) -> str:
    """How often the edge holds, when, and whether only low-rated sources say so.

    >>> describe_qualifier([Evidence("004.txt", "T", qualifier="sometimes", condition="if it has spread")])
    'sometimes, if it has spread'
    >>> describe_qualifier([Evidence("003.txt", "T", qualifier="not stated", rating="low")])
    'not stated; only low-rated sources'
    """
    qualifier, condition = edge_qualifier(items)
    text = ", ".join(part for part in (qualifier, condition) if part)
    if only_low_rated(items):
        text += "; only low-rated sources"
    return text


def explain_edge(subject: str, relation: str, obj: str, items: list[Evidence], *, stated_as: str | None = None) -> str:
    """Readable text for an edge, how often it holds, and its evidence, one source per line.

    ``stated_as`` names the stated edge of an inverse one, whose qualifier it reports.

    >>> print(explain_edge("A", "treated by", "B", [Evidence("001.txt", "T", quote="A is treated by B.", qualifier="often")]))
    A --treated by--> B  [often]
      - 001.txt: "A is treated by B."
    >>> explain_edge("B", "treats", "A", [Evidence("001.txt", "T", quote="Q.", qualifier="often")],
    ...              stated_as="A treated by B").splitlines()[0]
    'B --treats--> A  [A treated by B: often]'
    """
    qualifier = describe_qualifier(items)
    if qualifier and stated_as:
        qualifier = f"{stated_as}: {qualifier}"
    lines = [f"{subject} --{relation}--> {obj}" + (f"  [{qualifier}]" if qualifier else "")]
    lines += [f"  - {item}" for item in items] or ["  (no evidence found)"]
    return "\n".join(lines)
