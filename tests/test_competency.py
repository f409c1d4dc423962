"""Competency questions: the facts the ontology must answer, on every store.

Each question in tests/competency/*.yaml is a SPARQL query and its expected
answer; removing the fact from the ontology makes its question fail.
"""

from __future__ import annotations

import pytest
from parity import QUESTIONS


def test_there_are_enough_questions_covering_every_document():
    assert len(QUESTIONS) >= 60
    documents = {d for q in QUESTIONS for d in q["documents"]}
    assert documents == {"000", "001", "002", "003", "004"}
    ids = [q["id"] for q in QUESTIONS]
    assert len(ids) == len(set(ids)), "question ids must be unique"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(kg, question):
    result = kg.query(question["sparql"])
    expect = question["expect"]
    if "ask" in expect:
        assert bool(result) is expect["ask"], question["question"]
        return
    answers = {str(v) for v in result.values(0) if v is not None}
    if "equals" in expect:
        assert answers == {str(x) for x in expect["equals"]}, question["question"]
    else:
        missing = {str(x) for x in expect["includes"]} - answers
        assert not missing, f"{question['question']} missing {sorted(missing)}"
