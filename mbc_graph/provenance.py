"""Check a copy of the source documents against the ontology: ``mbc-graph verify-sources DIR``.

The documents are not ours to copy, so the ontology records for each its
title and the SHA-256 of its text, and on every evidence item where the
quote stands, as W3C Web Annotation selectors: ``oa:TextPositionSelector``
(start and end offsets) and ``oa:TextQuoteSelector`` (the quote with the
characters before and after it). With the documents in hand, every quote can
be verified; a changed copy still has its quotes found by their context.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MBCGraphError

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore


@dataclass
class DocumentCheck:
    """What a copy of one source document says about its quotes.

    ``status`` is ``"ok"`` (same text: every quote where it should be),
    ``"changed"`` (another text: ``problems`` lists each quote not found
    with its context) or ``"missing"`` (no file of that name in the folder).
    """

    file: str
    title: str
    status: str
    quotes: int
    verified: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.verified == self.quotes


def verify_sources(kg: GraphCore, directory: str | Path) -> list[DocumentCheck]:
    """Check the documents in ``directory`` (named as the ontology names them) against the ontology.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> empty = tempfile.mkdtemp()
    >>> {check.status for check in verify_sources(kg, empty)}
    {'missing'}
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise MBCGraphError(f"No such directory: {folder}")
    documents: dict[str, dict] = {}
    for row in kg.named("source_selectors").rows:
        entry = documents.setdefault(str(row.file), {"title": str(row.title), "sha": str(row.sha), "quotes": []})
        if row.exact is not None:
            entry["quotes"].append((str(row.exact), str(row.prefix), str(row.suffix), int(str(row.start)), int(str(row.end))))
    return [_check(folder / name, name, entry) for name, entry in sorted(documents.items())]


def _check(path: Path, name: str, entry: dict) -> DocumentCheck:
    quotes = entry["quotes"]
    if not path.is_file():
        return DocumentCheck(name, entry["title"], "missing", len(quotes), 0, [f"{name}: not in the folder"])
    text = path.read_text(encoding="utf-8")
    same = hashlib.sha256(text.encode("utf-8")).hexdigest() == entry["sha"]
    problems = [] if same else [f"{name}: not the text the quotes were taken from (its SHA-256 differs); "
                                 "quotes are looked for by their context"]
    for exact, prefix, suffix, start, end in quotes:
        if same and text[start:end] == exact:
            continue
        if not same and (prefix + exact + suffix in text or exact in text):
            continue  # another copy of the text: the quote is still there, found by its context
        problems.append(f"{name}: quote at {start}-{end} not found: {exact!r}")
    return DocumentCheck(name, entry["title"], "ok" if same else "changed", len(quotes),
                         len(quotes) - len(problems) + (0 if same else 1), problems)
