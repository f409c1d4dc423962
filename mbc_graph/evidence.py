"""Evidence items and claims: where each assertion comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """One evidence item behind an edge or a claim.

    ``source`` is the document's file name (``dcterms:identifier``) or, for
    curated evidence, the reference record's CURIE; ``quote`` is the verbatim
    sentence (documents only); ``note`` is the curator's note (curated only);
    ``asserted_on`` is the label of the class the edge is stated on when the
    edge is inherited from a superclass.
    """

    source: str
    title: str
    quote: str | None = None
    note: str | None = None
    curated: bool = False
    asserted_on: str | None = None

    def __str__(self) -> str:
        body = f'"{self.quote}"' if self.quote else f"curated: {self.note}"
        inherited = f" [stated for {self.asserted_on}]" if self.asserted_on else ""
        return f"{self.source}: {body}{inherited}"


@dataclass(frozen=True)
class Claim:
    """A statement a source makes, kept with a status instead of asserted.

    ``status`` is ``"supported"``, ``"conflicting"`` or ``"contradicted"``.
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
        quote, note = values.get("quote"), values.get("note")
        items.append(
            Evidence(
                source=str(values.get("identifier")),
                title=str(values.get("title")),
                quote=None if quote is None else str(quote),
                note=None if note is None else str(note),
                curated=str(values.get("kind")).endswith("CuratedEvidence"),
                asserted_on=asserted_label if asserted_label != subject_label else None,
            )
        )
    return items


def explain_edge(subject: str, relation: str, obj: str, items: list[Evidence]) -> str:
    """Readable text for an edge and its evidence, one source per line.

    >>> print(explain_edge("A", "treated by", "B", [Evidence("001.txt", "T", quote="A is treated by B.")]))
    A --treated by--> B
      - 001.txt: "A is treated by B."
    """
    lines = [f"{subject} --{relation}--> {obj}"]
    lines += [f"  - {item}" for item in items] or ["  (no evidence found)"]
    return "\n".join(lines)
