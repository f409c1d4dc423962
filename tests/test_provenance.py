"""Provenance without ../shared: selectors on every quote, document hashes, and verify-sources."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF

import mbc_graph
from mbc_graph.cli import ExitStatus, main
from mbc_graph.namespaces import MBC
from mbc_graph.provenance import verify_sources

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
OA = Namespace("http://www.w3.org/ns/oa#")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(mbc_graph.bundled_ontology())


@pytest.fixture
def copy_of_seeds(tmp_path) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the source documents (../shared/seeds) are not beside the project")
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.mark.once
def test_every_quote_has_both_selectors_and_every_document_a_hash(onto):
    evidence = set(onto.subjects(RDF.type, MBC.DocumentEvidence))
    assert evidence
    for item in evidence:
        selectors = {onto.value(s, RDF.type): s for s in onto.objects(item, OA.hasSelector)}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        assert str(onto.value(quote, OA.exact)) == str(onto.value(item, MBC.quote))
        start, end = int(onto.value(position, OA.start)), int(onto.value(position, OA.end))
        assert end - start == len(str(onto.value(item, MBC.quote)))
    for doc in onto.subjects(RDF.type, MBC.SourceDocument):
        assert len(str(onto.value(doc, MBC.textSha256))) == 64 and onto.value(doc, DCTERMS.title)


@pytest.mark.once
def test_selectors_point_into_the_documents(onto, copy_of_seeds):
    for doc in onto.subjects(RDF.type, MBC.SourceDocument):
        text = (copy_of_seeds / str(onto.value(doc, DCTERMS.identifier))).read_text(encoding="utf-8")
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == str(onto.value(doc, MBC.textSha256))
        for item in onto.subjects(MBC.source, doc):
            for selector in onto.objects(item, OA.hasSelector):
                if (selector, RDF.type, OA.TextPositionSelector) in onto:
                    start, end = int(onto.value(selector, OA.start)), int(onto.value(selector, OA.end))
                    assert text[start:end] == str(onto.value(item, MBC.quote))
                else:
                    prefix, suffix = str(onto.value(selector, OA.prefix)), str(onto.value(selector, OA.suffix))
                    assert prefix + str(onto.value(selector, OA.exact)) + suffix in text


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.mark.once  # its source_selectors query takes minutes on rdflib; test_stores compares that query's answers on both stores
def test_verify_sources_passes_on_the_documents(kg, copy_of_seeds):
    checks = verify_sources(kg, copy_of_seeds)
    assert checks and all(c.ok for c in checks) and sum(c.quotes for c in checks) > 100
    status, out, err = run("verify-sources", str(copy_of_seeds), "-f", "json")
    assert status == ExitStatus.SUCCESS and err == ""
    assert {row["status"] for row in json.loads(out)} == {"ok"}


@pytest.mark.once  # its source_selectors query takes minutes on rdflib; test_stores compares that query's answers on both stores
def test_verify_sources_reports_each_mismatch(kg, copy_of_seeds):
    files = sorted(copy_of_seeds.glob("*.txt"))
    files[0].unlink()
    text = files[1].read_text(encoding="utf-8")
    victim = next(str(e.quote) for c in kg.claims() for e in c.evidence
                  if e.quote and e.source == files[1].name and text.count(e.quote) == 1)
    files[1].write_text(text.replace(victim, victim.upper() + "!"), encoding="utf-8")
    by_file = {c.file: c for c in verify_sources(kg, copy_of_seeds)}
    assert by_file[files[0].name].status == "missing"
    changed = by_file[files[1].name]
    assert changed.status == "changed" and not changed.ok
    assert any(repr(victim) in problem for problem in changed.problems)
    assert changed.verified < changed.quotes
    status, _, err = run("verify-sources", str(copy_of_seeds))
    assert status == ExitStatus.ERROR_VALIDATION
    assert files[0].name in err and repr(victim) in err


def test_verify_sources_needs_a_directory(tmp_path):
    status, _, err = run("verify-sources", str(tmp_path / "absent"))
    assert status == ExitStatus.ERROR and "No such directory" in err
