"""The README's SPARQL cheat-sheet: every example query runs and answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def cheat_sheet_queries() -> dict[str, str]:
    """The queries of the cheat-sheet's SPARQL block, by their comment line."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## SPARQL cheat-sheet"):]
    block = re.search(r"```sparql\n(.*?)```", section, re.S).group(1)
    queries = {}
    for chunk in block.strip().split("\n\n"):
        comment, _, query = chunk.partition("\n")
        queries[comment.lstrip("# ")] = query
    return queries


QUERIES = cheat_sheet_queries()


def test_the_cheat_sheet_has_the_association_and_evidence_queries():
    assert len(QUERIES) >= 6
    assert any("mbc:fromAssociation" in q for q in QUERIES.values())
    assert any("mbc:associationSubject" in q and "mbc:quote" in q for q in QUERIES.values())


@pytest.mark.parametrize("title", list(QUERIES))
def test_every_cheat_sheet_query_answers(kg, title):
    assert kg.query(QUERIES[title]).rows, title


def _one(fragment: str) -> str:
    return next(q for title, q in QUERIES.items() if fragment in title)


def test_the_qualifier_query_tells_associations_from_axioms(kg):
    rows = {str(r.therapy): (r.qualifier, r.condition) for r in kg.query(_one("How often")).rows}
    assert tuple(map(str, rows["immune checkpoint inhibitor therapy"])) == ("in selected cases", "with specific biomarkers")


def test_the_evidence_queries_match_kg_evidence(kg):
    association = {(str(r.file), str(r.quote)) for r in kg.query(_one("evidence of an association")).rows}
    direct = {(e.source, e.quote) for e in kg.evidence("brain metastasis", "has symptom", "seizure") if not e.asserted_on}
    assert association == direct and direct
    axiom = {(str(r.file), str(r.quote)) for r in kg.query(_one("of an axiom")).rows}
    assert axiom == {(e.source, e.quote) for e in kg.evidence("brain metastasis", "located in", "brain")}


def test_the_low_rated_query_finds_only_low_rated_support(kg):
    for row in kg.query(_one("low-rated")).rows:
        assert {str(r.rating) for r in kg.query(
            "SELECT ?rating WHERE { ?a mbc:hasEvidence/mbc:premise?/mbc:source/mbc:sourceRating/rdfs:label ?rating }",
            {"a": row.a}).rows} == {"low"}


def test_the_ratings_table_is_the_ontology_s(kg):
    text = README.read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d{3}_[0-9a-f]+\.txt)` \| .* \| (high|medium|low) \|$", text, re.M))
    rated = {str(r.file): str(r.rating) for r in kg.query(
        "SELECT ?file ?rating WHERE { ?d a mbc:SourceDocument ; dcterms:identifier ?file ; "
        "mbc:sourceRating/rdfs:label ?rating }").rows}
    assert table == rated and len(table) == 5
