"""The mbc-graph command line: data on stdout, one-line errors on stderr, exit statuses."""

from __future__ import annotations

import csv
import importlib
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import rdflib

import mbc_graph
from mbc_graph.cli import arguments as cli_arguments  # where the commands look up load_graph
from mbc_graph.cli import Environment, ExitStatus, build_parser, main, parse_binding
from mbc_graph.errors import ConceptNotFound
from mbc_graph.namespaces import MBC

LABEL_QUERY = "SELECT ?l WHERE { mbc:BoneMetastasis rdfs:label ?l }"


@dataclass
class Outcome:
    status: int
    out: str
    err: str


@pytest.fixture
def cli(kg, monkeypatch):
    """Run ``mbc-graph ARGS`` in-process with StringIO streams.

    The default graph (no --store, no --extra) is the session's, so each
    call does not reload the ontology; other options load for real.
    """
    real_load = cli_arguments.load_graph

    def load(args):
        plain = args.store is None and not args.extra and not getattr(args, "extra_after", None)
        return kg if plain else real_load(args)

    monkeypatch.setattr(cli_arguments, "load_graph", load)

    def run(*argv: str, stdin: str = "", tty: bool = False) -> Outcome:
        if tty:
            env = Environment(stdin=io.StringIO(stdin), stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=True)
            status = main(list(argv), env=env)
            return Outcome(status, env.stdout.getvalue(), env.stderr.getvalue())
        out, err = io.StringIO(), io.StringIO()
        status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
        return Outcome(status, out.getvalue(), err.getvalue())

    return run


def assert_one_line_error(result: Outcome, *fragments: str, status: int = ExitStatus.ERROR) -> str:
    """The failure contract: a status, nothing on stdout, one stderr line, no traceback."""
    assert result.status == status
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("mbc-graph: error: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# -- query ---------------------------------------------------------------------------------------
def test_query_json_gives_the_label(cli):
    result = cli("query", LABEL_QUERY, "--format", "json")
    assert result.status == ExitStatus.SUCCESS and result.err == ""
    data = json.loads(result.out)
    assert data["head"]["vars"] == ["l"]
    assert [b["l"]["value"] for b in data["results"]["bindings"]] == ["bone metastasis"]


def test_query_csv(cli):
    query = "SELECT ?c ?l WHERE { VALUES ?c { mbc:BoneMetastasis mbc:Brain } ?c rdfs:label ?l } ORDER BY ?l"
    rows = list(csv.DictReader(io.StringIO(cli("query", query, "--format", "csv").out)))
    assert rows == [
        {"c": str(MBC.BoneMetastasis), "l": "bone metastasis"},
        {"c": str(MBC.Brain), "l": "brain"},
    ]


def test_query_defaults_to_sparql_tsv_when_piped(cli):
    result = cli("query", "SELECT ?c ?l WHERE { BIND(mbc:Brain AS ?c) ?c rdfs:label ?l }")
    assert result.out.splitlines() == ["?c\t?l", f'<{MBC.Brain}>\t"brain"@en']


def test_query_tsv_escapes_tabs_and_line_breaks(cli):
    result = cli("query", 'SELECT ?x WHERE { BIND("a\\tb\\nc" AS ?x) }', "--format", "tsv")
    assert result.out.splitlines() == ["?x", '"a\\tb\\nc"']


def test_query_defaults_to_an_aligned_table_on_a_terminal(cli):
    query = "SELECT ?c ?l WHERE { VALUES ?c { mbc:BoneMetastasis mbc:Brain } ?c rdfs:label ?l } ORDER BY ?l"
    lines = cli("query", query, tty=True).out.splitlines()
    assert lines[0].split() == ["c", "l"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split(None, 1) == ["mbc:BoneMetastasis", "bone metastasis"]
    assert lines[3].split(None, 1) == ["mbc:Brain", "brain"]
    assert lines[2].index("bone") == lines[3].index("brain") == lines[0].index("l")  # aligned


def test_query_ask_prints_true_or_false(cli):
    assert cli("query", "ASK { mbc:BoneMetastasis mbc:locatedIn mbc:Bone }").out == "true\n"
    assert cli("query", "ASK { mbc:BoneMetastasis mbc:locatedIn mbc:Brain }").out == "false\n"
    assert json.loads(cli("query", "ASK { ?s ?p ?o }", "-f", "json").out)["boolean"] is True


def test_query_construct_prints_turtle(cli):
    result = cli("query", "CONSTRUCT { ?c rdfs:label ?l } WHERE { BIND(mbc:Brain AS ?c) ?c rdfs:label ?l }")
    graph = rdflib.Graph().parse(data=result.out, format="turtle")
    assert set(graph) == {(MBC.Brain, rdflib.RDFS.label, rdflib.Literal("brain", lang="en"))}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_query_construct_json_is_json_ld(cli):
    result = cli("query", "CONSTRUCT { mbc:Brain rdfs:label ?l } WHERE { mbc:Brain rdfs:label ?l }", "-f", "json")
    graph = rdflib.Graph().parse(data=result.out, format="json-ld")
    assert len(graph) == 1


def test_query_bind_iri_curie_and_literal(cli):
    query = "SELECT ?l WHERE { ?c rdfs:label ?l }"
    by_curie = json.loads(cli("query", query, "--bind", "c=mbc:Brain", "-f", "json").out)
    by_iri = json.loads(cli("query", query, "--bind", f"c=<{MBC.Brain}>", "-f", "json").out)
    assert by_curie == by_iri
    assert by_curie["results"]["bindings"][0]["l"]["value"] == "brain"
    by_label = cli("query", "SELECT ?c WHERE { ?c rdfs:label ?l }", "-b", 'l="bone metastasis"@en', "-f", "csv")
    assert list(csv.reader(io.StringIO(by_label.out)))[1:] == [[str(MBC.BoneMetastasis)]]


def test_query_reads_a_file_or_stdin(cli, tmp_path):
    query_file = tmp_path / "label.rq"
    query_file.write_text(LABEL_QUERY, encoding="utf-8")
    from_file = cli("query", str(query_file), "-f", "json")
    from_stdin = cli("query", "-", "-f", "json", stdin=LABEL_QUERY)
    assert json.loads(from_file.out) == json.loads(from_stdin.out)
    assert "bone metastasis" in from_file.out


def test_query_missing_file(cli, tmp_path):
    assert_one_line_error(cli("query", str(tmp_path / "nope.rq")), "No such file", "nope.rq")


@pytest.mark.parametrize(("query", "fragment"), [
    ("INSERT DATA { mbc:a mbc:b mbc:c }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
])
def test_query_refuses_updates_and_remote_access(cli, query, fragment):
    assert_one_line_error(cli("query", query), fragment)


def test_malformed_sparql_names_line_and_column(cli):
    message = assert_one_line_error(cli("query", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }"))
    assert "line 3" in message and "column" in message


def test_malformed_query_file_is_named(cli, tmp_path):
    query_file = tmp_path / "broken.rq"
    query_file.write_text("SELECT ?s\nWHERE { ?s ?p ?o . FILTER( }\n", encoding="utf-8")
    assert_one_line_error(cli("query", str(query_file)), "broken.rq", "line ", "column ")


def test_bad_binding_is_a_usage_error(cli):
    result = cli("query", LABEL_QUERY, "--bind", "no-equals-sign")
    assert result.status == ExitStatus.ERROR_USAGE
    assert result.out == ""
    assert "NAME=VALUE" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(("text", "expected"), [
    ("c=mbc:Brain", ("c", MBC.Brain)),
    ("?c=<http://example.org/x>", ("c", rdflib.URIRef("http://example.org/x"))),
    ("$n=3", ("n", rdflib.Literal("3"))),
    ('n="3"^^xsd:integer', ("n", rdflib.Literal(3))),
    ('l="bone"@en', ("l", rdflib.Literal("bone", lang="en"))),
    ('l="said \\"hi\\"\\n"', ("l", rdflib.Literal('said "hi"\n'))),
    ("t=unknown:prefix", ("t", rdflib.Literal("unknown:prefix"))),
    ("t=a=b", ("t", rdflib.Literal("a=b"))),
])
def test_parse_binding(text, expected):
    assert parse_binding(text) == expected


# -- search ----------------------------------------------------------------------------------------
def test_search_tsv_columns(cli):
    result = cli("search", "bone metastasis", "--limit", "3")
    rows = list(csv.DictReader(io.StringIO(result.out), delimiter="\t"))
    assert list(rows[0]) == ["rank", "score", "label", "category", "curie", "matched"]
    assert len(rows) == 3
    assert rows[0] == {"rank": "1", "score": "1.0", "label": "bone metastasis", "category": "metastasis",
                       "curie": "mbc:BoneMetastasis", "matched": "bone metastasis"}
    assert [r["rank"] for r in rows] == ["1", "2", "3"]


def test_search_json_and_csv_agree(cli):
    as_json = json.loads(cli("search", "bone mets", "-f", "json").out)
    as_csv = list(csv.DictReader(io.StringIO(cli("search", "bone mets", "-f", "csv").out)))
    assert [m["curie"] for m in as_json] == [m["curie"] for m in as_csv]
    assert as_json[0]["label"] == "bone metastasis"
    assert as_json[0]["score"] >= as_json[-1]["score"]


def test_search_tolerates_typos(cli):
    assert json.loads(cli("search", "brian metastsis", "-f", "json").out)[0]["label"] == "brain metastasis"


def test_search_without_matches_exits_not_found(cli):
    result = cli("search", "qqqqxxxxzzzz", "-f", "json")
    assert result.status == ExitStatus.ERROR_NOT_FOUND
    assert json.loads(result.out) == []
    assert result.err.startswith("mbc-graph: error: No concept matches")


def test_search_limit_must_be_positive(cli):
    result = cli("search", "bone", "--limit", "0")
    assert result.status == ExitStatus.ERROR_USAGE and result.out == ""


# -- show ----------------------------------------------------------------------------------------------
def test_show_text(cli):
    result = cli("show", "bone mets")
    assert result.status == ExitStatus.SUCCESS and result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "bone metastasis (mbc:BoneMetastasis)"
    text = result.out
    assert "category:   metastasis" in text
    assert "definition: A breast cancer metastasis (secondary tumour) located in bone." in text
    assert "bone mets" in text
    assert "MONDO:0024884" in text
    assert "parents:    breast cancer metastasis (mbc:BreastCancerMetastasis)" in text
    located = lines.index("located in:")
    assert lines[located + 1] == "  bone (mbc:Bone)  [always]"
    treated = next(line for line in lines if line.startswith("  radiation therapy (mbc:RadiationTherapy)"))
    assert treated.rsplit("[", 1)[1].rstrip("]") in ("often", "sometimes", "rarely", "in selected cases", "not stated")


def test_show_json(cli, kg):
    info = json.loads(cli("show", "HER2+ breast cancer", "--format", "json").out)
    assert info["label"] == "HER2-positive breast cancer"
    assert info["curie"] == "mbc:HER2PositiveBreastCancer"
    assert info["xrefs"]["DOID:0060079"] == "exactMatch"
    assert "HER2+ breast cancer" in info["synonyms"]
    assert info["definition"].startswith("Breast cancer whose cells make too much of the HER2 protein")
    brain = json.loads(cli("show", "brain metastasis", "-f", "json").out)
    assert {"relation": "locatedIn", "relation_label": "located in", "target": "mbc:Brain",
            "target_label": "brain", "qualifier": "always", "condition": None, "low_rated_only": False} in brain["edges"]
    tnbc = json.loads(cli("show", "TNBC", "-f", "json").out)
    immuno = next(e for e in tnbc["edges"] if e["target"] == "mbc:ImmuneCheckpointInhibitorTherapy")
    assert (immuno["qualifier"], immuno["condition"]) == ("in selected cases", "with specific biomarkers")
    for edge in brain["edges"]:  # flagged exactly when every evidence item comes from a low-rated source
        ratings = {e.rating for e in kg.evidence("brain metastasis", edge["relation"], edge["target"])}
        assert edge["low_rated_only"] == (ratings == {"low"}), edge
    assert {"curie": "mbc:NervousSystemMetastasis", "label": "nervous system metastasis"} in brain["parents"]


def test_show_unknown_concept_suggests_near_matches(cli):
    line = assert_one_line_error(cli("show", "bone metastatis"), "'bone metastatis'", "Did you mean",
                                 "'bone metastasis'", status=ExitStatus.ERROR_NOT_FOUND)
    assert line.count("mbc-graph: error:") == 1


# -- path --------------------------------------------------------------------------------------------
def test_path_shortest_is_explained(cli):
    result = cli("path", "bone metastasis", "bone")
    assert result.out == "bone metastasis --located in--> bone\n"


def test_path_with_relation_filter(cli):
    result = cli("path", "brain metastasis", "breast cancer metastasis", "--relation", "is a")
    assert result.out == "brain metastasis --is a--> nervous system metastasis --is a--> breast cancer metastasis\n"


def test_path_all_lists_paths_shortest_first(cli):
    data = json.loads(cli("path", "brain metastasis", "breast cancer", "--all", "--max-length", "3", "-f", "json").out)
    assert data["source"] == {"curie": "mbc:BrainMetastasis", "label": "brain metastasis"}
    lengths = [p["length"] for p in data["paths"]]
    assert len(lengths) > 1 and lengths == sorted(lengths) and max(lengths) <= 3
    for path in data["paths"]:
        assert path["steps"][0]["source"] == "mbc:BrainMetastasis"
        assert path["steps"][-1]["target"] == "mbc:BreastCancer"
        assert len(path["steps"]) == path["length"]
    text = cli("path", "brain metastasis", "breast cancer", "--all", "--max-length", "3").out.splitlines()
    assert text == [p["text"] for p in data["paths"]]


def test_no_path_is_not_found(cli):
    assert_one_line_error(cli("path", "bone", "brain metastasis", "-r", "is a"), "No path between",
                          status=ExitStatus.ERROR_NOT_FOUND)


def test_path_unknown_relation(cli):
    assert_one_line_error(cli("path", "bone", "brain", "-r", "cures"), "Unknown relation 'cures'", "hasSymptom",
                          status=ExitStatus.ERROR_NOT_FOUND)


# -- evidence -----------------------------------------------------------------------------------------
def test_evidence_text(cli):
    result = cli("evidence", "bone metastasis", "located in", "bone")
    lines = result.out.splitlines()
    assert lines[0] == "bone metastasis --located in--> bone  [always]"
    assert len(lines) > 1 and all(line.startswith("  - ") for line in lines[1:])
    assert ".txt: " in lines[1]


def test_evidence_json_items(cli):
    data = json.loads(cli("evidence", "mbc:BoneMetastasis", "locatedIn", "bone", "--format", "json").out)
    assert data["subject"] == {"curie": "mbc:BoneMetastasis", "label": "bone metastasis"}
    assert data["relation"] == {"name": "locatedIn", "label": "located in"}
    assert data["object"] == {"curie": "mbc:Bone", "label": "bone"}
    assert data["evidence"]
    for item in data["evidence"]:
        assert set(item) == {"source", "title", "quote", "note", "curated", "asserted_on", "qualifier", "condition", "rating"}
        assert item["qualifier"] == "always"
        assert item["source"] and item["title"]
        assert item["quote"] or item["note"]


def test_evidence_for_a_missing_edge(cli):
    assert_one_line_error(cli("evidence", "bone metastasis", "located in", "brain"), "No evidence",
                          status=ExitStatus.ERROR_NOT_FOUND)


def test_relations_table(cli):
    relations = {r["name"]: r for r in json.loads(cli("relations", "-f", "json").out)}
    assert relations["hasSymptom"]["label"] == "has symptom"
    assert relations["hasSymptom"]["inverse"] == "suggests"
    assert relations["locatedIn"]["definition"]


# -- export -------------------------------------------------------------------------------------------
def test_export_command_writes_the_file(cli, tmp_path):
    target = tmp_path / "graph.out"
    result = cli("export", str(target), "--format", "nt")
    assert result.status == ExitStatus.SUCCESS and result.out == ""
    assert result.err.startswith(f"mbc-graph: wrote {target}: ") and "triples" in result.err
    graph = rdflib.Graph().parse(target, format="nt")
    assert (MBC.BoneMetastasis, MBC.locatedIn, MBC.Bone) in graph


def test_export_unknown_extension(cli, tmp_path):
    assert_one_line_error(cli("export", str(tmp_path / "graph.owl")), "graph.owl", "ttl, nt, jsonld")
    assert list(tmp_path.iterdir()) == []


def test_export_unknown_format_is_a_usage_error(cli, tmp_path):
    result = cli("export", str(tmp_path / "graph.ttl"), "--format", "rdfxml")
    assert result.status == ExitStatus.ERROR_USAGE
    assert "invalid choice: 'rdfxml'" in result.err


def test_export_into_missing_directory(cli, tmp_path):
    assert_one_line_error(cli("export", str(tmp_path / "nowhere" / "g.ttl")), "No such directory", "nowhere")


# -- --extra and --store ---------------------------------------------------------------------------------
def test_extra_turtle_is_queryable(cli, tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('@prefix ex: <http://example.org/> .\nex:alice ex:has <https://w3id.org/mbc-graph/BoneMetastasis> .\n',
                    encoding="utf-8")
    result = cli("--extra", str(mine), "query", "SELECT ?who WHERE { ?who <http://example.org/has> mbc:BoneMetastasis }")
    assert result.out.splitlines() == ["?who", "<http://example.org/alice>"]


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_malformed_extra_names_file_and_line(cli, tmp_path, store):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    assert_one_line_error(cli("--store", store, "--extra", str(bad), "search", "bone"), "broken.ttl", "line 3")


def test_missing_extra_file(cli, tmp_path):
    assert_one_line_error(cli("search", "bone", "--extra", str(tmp_path / "absent.ttl")), "absent.ttl")


def test_unknown_store_lists_the_available_ones(cli):
    assert_one_line_error(cli("--store", "postgres", "search", "bone"), "postgres", "memory", "oxigraph")


def test_global_options_work_before_and_after_the_command(monkeypatch):
    seen = {}

    def fake_load(store=None, extra=()):
        seen.update(store=store, extra=list(extra))
        raise ConceptNotFound("stop here")

    monkeypatch.setattr(mbc_graph, "load", fake_load)
    err = io.StringIO()
    status = main(["--extra", "a.ttl", "show", "x", "--extra", "b.ttl", "--store", "oxigraph"],
                  stdout=io.StringIO(), stderr=err)
    assert status == ExitStatus.ERROR_NOT_FOUND
    assert seen == {"store": "oxigraph", "extra": ["a.ttl", "b.ttl"]}


# -- error handling ----------------------------------------------------------------------------------------
def test_traceback_option_reraises(cli):
    with pytest.raises(ConceptNotFound):
        cli("--traceback", "show", "no such concept at all")


def test_unexpected_errors_are_one_line_too(cli, monkeypatch):
    def broken(args):
        raise RuntimeError("something odd")

    monkeypatch.setattr(cli_arguments, "load_graph", broken)
    # not `search`: it may answer from the name cache without loading
    assert_one_line_error(cli("show", "bone"), "RuntimeError: something odd", "--traceback")


def test_ctrl_c(cli, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_arguments, "load_graph", interrupted)
    assert_one_line_error(cli("show", "bone"), "interrupted", status=ExitStatus.ERROR_CTRL_C)


def test_broken_pipe_is_quiet(kg, monkeypatch):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli_arguments, "load_graph", lambda args: kg)
    err = io.StringIO()
    assert main(["search", "bone"], stdout=ClosedPipe(), stderr=err) == ExitStatus.ERROR_BROKEN_PIPE
    assert err.getvalue() == ""


def test_usage_errors(cli):
    no_command = cli()
    assert no_command.status == ExitStatus.ERROR_USAGE and no_command.out == ""
    assert "required: COMMAND" in no_command.err
    unknown = cli("frobnicate")
    assert unknown.status == ExitStatus.ERROR_USAGE and "invalid choice: 'frobnicate'" in unknown.err


@pytest.mark.parametrize("command", ["query", "search", "show", "path", "evidence", "relations", "export",
                                     "validate", "viz", "synth"])
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.status == ExitStatus.SUCCESS and result.err == ""
    assert result.out.startswith(f"usage: mbc-graph {command}")


def test_evidence_help_points_to_the_relation_list(cli):
    assert "mbc-graph relations" in cli("evidence", "--help").out


def test_parser_builds_without_loading_the_graph(monkeypatch):
    monkeypatch.setattr(mbc_graph, "load", lambda *a, **k: pytest.fail("the parser must not load the graph"))
    args = build_parser(Environment(stdout=io.StringIO(), stderr=io.StringIO())).parse_args(["search", "bone"])
    assert args.command == "search" and args.limit == 10


# -- validate, viz, synth: the CLI side, against stand-ins --------------------------------------------------
class FakeReport:
    def __init__(self, ok):
        self.ok = ok

    def to_text(self):
        return "all checks passed" if self.ok else "1 problem: mbc:X has no label"

    def to_json(self):
        return json.dumps({"ok": self.ok})


@pytest.mark.parametrize(("ok", "status"), [(True, ExitStatus.SUCCESS), (False, ExitStatus.ERROR_VALIDATION)])
def test_validate_reports_and_sets_the_status(cli, monkeypatch, ok, status):
    monkeypatch.setattr(cli_arguments, "load_graph", lambda args: SimpleNamespace(validate=lambda: FakeReport(ok)))
    text = cli("validate")
    assert text.status == status and text.out == FakeReport(ok).to_text() + "\n"
    as_json = cli("validate", "--format", "json")
    assert as_json.status == status and json.loads(as_json.out) == {"ok": ok}


def test_viz_passes_the_options_and_saves(cli, monkeypatch, tmp_path):
    calls = {}

    class FakeView:
        title, node_ids, edges = "fake", ["a", "b"], [("a", "r", "b")]

        def save(self, path):
            calls["saved"] = path
            return Path(path)

    def visualize(**options):
        calls["options"] = options
        return FakeView()

    monkeypatch.setattr(cli_arguments, "load_graph", lambda args: SimpleNamespace(visualize=visualize))
    out = str(tmp_path / "v.html")
    result = cli("viz", "--focus", "liver metastasis", "--radius", "1", "-c", "symptom", "-c", "site", "-o", out)
    assert result.status == ExitStatus.SUCCESS and result.out == ""
    assert calls == {"options": {"focus": "liver metastasis", "radius": 1, "relations": None,
                                 "categories": ["symptom", "site"], "path": None}, "saved": out}
    cli("viz", "--from", "HER2-positive breast cancer", "--to", "HER2", "-o", out)
    assert calls["options"]["path"] == ("HER2-positive breast cancer", "HER2")


def test_viz_from_needs_to(cli, tmp_path):
    assert_one_line_error(cli("viz", "--from", "bone", "-o", str(tmp_path / "v.html")), "--from and --to",
                          status=ExitStatus.ERROR_USAGE)


# -- validate, viz, synth: the real modules, when they are there ------------------------------------------------
def _provides(module: str, name: str) -> bool:
    """Whether ``mbc_graph.MODULE`` exists (others build it in parallel) and defines ``name``."""
    try:
        return hasattr(importlib.import_module(f"mbc_graph.{module}"), name)
    except ImportError:
        return False


@pytest.mark.skipif(not _provides("validate", "validate"), reason="mbc_graph.validate not built yet")
def test_validate_runs_on_the_bundled_ontology(cli):
    result = cli("validate")
    assert result.status in (ExitStatus.SUCCESS, ExitStatus.ERROR_VALIDATION)
    assert result.out.strip()


@pytest.mark.skipif(not _provides("viz", "visualize"), reason="mbc_graph.viz not built yet")
def test_viz_writes_html(cli, tmp_path):
    out = tmp_path / "liver.html"
    result = cli("viz", "--focus", "liver metastasis", "-o", str(out))
    assert result.status == ExitStatus.SUCCESS, result.err
    assert "liver metastasis" in out.read_text(encoding="utf-8")
    view = mbc_graph.load().visualize(focus="liver metastasis", radius=1)  # radius 1 is the default
    assert result.err == (f"mbc-graph: wrote {out}: {view.title!r}, {len(view.node_ids)} concepts and "
                          f"{len(view.edges)} edges\n")


@pytest.mark.skipif(not _provides("synth", "write_cohort"), reason="mbc_graph.synth not built yet")
def test_synth_writes_a_loadable_reproducible_cohort(cli, tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert cli("synth", "--patients", "4", "--seed", "7", "-o", str(first)).status == ExitStatus.SUCCESS
    assert cli("synth", "--patients", "4", "--seed", "7", "-o", str(second)).status == ExitStatus.SUCCESS
    assert first.read_bytes() == second.read_bytes()
    result = cli("--extra", str(first), "query", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a mbc:Patient }", "-f", "json")
    assert json.loads(result.out)["results"]["bindings"][0]["n"]["value"] == "4"


# -- the installed console script ------------------------------------------------------------------------------
def _console_script() -> str:
    beside_python = Path(sys.executable).with_name("mbc-graph")
    found = str(beside_python) if beside_python.exists() else shutil.which("mbc-graph")
    if found is None:
        pytest.skip("the mbc-graph console script is not installed")
    return found


def test_console_script_end_to_end():
    script = _console_script()
    ok = subprocess.run([script, "query", LABEL_QUERY, "--format", "json"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""
    assert json.loads(ok.stdout)["results"]["bindings"][0]["l"]["value"] == "bone metastasis"
    failed = subprocess.run([script, "show", "bone metastatis"], capture_output=True, text=True, timeout=120)
    assert failed.returncode == ExitStatus.ERROR_NOT_FOUND
    assert failed.stdout == ""
    assert failed.stderr.startswith("mbc-graph: error: No concept matches 'bone metastatis'")
    assert "Traceback" not in failed.stderr


def test_evidence_of_a_subclass_link_as_json(cli):
    result = cli("evidence", "targeted therapy", "has subclass", "CDK4/6 inhibitor therapy", "-f", "json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["relation"] == {"name": "hasSubclass", "label": "has subclass"}
    assert any(item["source"] == "001_c125eb9c1db86d14.txt" for item in data["evidence"])
