"""``make demo``: answer a handful of questions with their evidence, then
write the interactive explorer.

Run it as ``python -m mbc_graph.demo [OUTPUT.html]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mbc_graph

QUESTIONS = [
    ("Which symptoms point to brain metastases?", "symptoms_of", "brain"),
    ("What looks for bone metastases?", "diagnostics_for", "bone"),
    ("What treats HER2-positive metastatic breast cancer?", "therapies_for", "HER2-positive"),
    ("What raises the risk of breast cancer?", "risk_factors", "breast cancer"),
]


def _section(title: str) -> None:
    print(f"\n== {title}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output = Path(argv[0] if argv else "mbc-explorer.html")
    kg = mbc_graph.load()
    print(f"Loaded {len(kg.concepts)} concepts and {len(kg.store)} triples from {kg.sources[0].name}.")

    for question, helper, subject in QUESTIONS:
        _section(question)
        answers = getattr(kg, helper)(subject)
        print(", ".join(c.label for c in answers))

    _section("Why? The evidence behind two of those answers")
    print(kg.explain("brain metastasis", "has symptom", "seizure"))
    print(kg.explain("HER2-positive breast cancer", "treated by", "HER2-targeted therapy"))

    _section("How is triple-negative breast cancer connected to PD-L1?")
    print(kg.path("triple-negative", "PD-L1"))

    _section("How long do people live? The sources disagree, so both claims are kept")
    for claim in kg.claims(topic="five-year survival"):
        print(f"- {claim}")

    view = kg.visualize()
    view.save(output)
    print(f"\nWrote the interactive explorer to {output} (open it in a browser; it works offline).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
