"""kg.query: read-only, bound values, clear errors, several result forms."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS

import mbc_graph
from mbc_graph import BadBinding, ForbiddenQuery, QueryFailed, QuerySyntaxError
from mbc_graph.namespaces import MBC

LABEL_OF = "SELECT ?label WHERE { ?c rdfs:label ?label }"


def test_select_rows_have_attribute_key_and_index_access(kg):
    (row,) = kg.query(LABEL_OF, {"c": MBC.BoneMetastasis}).rows
    assert row.label == row["label"] == row[0] == Literal("bone metastasis", lang="en")
    assert row.asdict() == {"label": Literal("bone metastasis", lang="en")}
    with pytest.raises(AttributeError, match="No variable"):
        row.missing


def test_prefixes_are_predeclared(kg):
    assert kg.query("ASK { mbc:BoneMetastasis rdfs:subClassOf mbc:BreastCancerMetastasis }")


def test_ask_and_construct(kg):
    assert not kg.query("ASK { mbc:BoneMetastasis rdfs:subClassOf mbc:Symptom }")
    result = kg.query("CONSTRUCT { ?m mbc:locatedIn ?site } WHERE { ?m mbc:locatedIn ?site }")
    assert (MBC.BoneMetastasis, MBC.locatedIn, MBC.Bone) in result.graph


def test_bindings_are_values_not_text(kg):
    """A hostile string bound as a value is just a literal that matches nothing."""
    hostile = '"} . ?c ?p ?o } #'
    assert len(kg.query("SELECT ?c WHERE { ?c rdfs:label ?label }", {"label": hostile})) == 0
    assert len(kg.query("SELECT ?c WHERE { ?c rdfs:label ?label }", {"label": Literal("liver", lang="en")})) == 1


def test_concepts_can_be_bound(kg):
    liver = kg.concept("liver")
    assert str(kg.query(LABEL_OF, {"c": liver}).values()[0]) == "liver"


@pytest.mark.parametrize("query, fragment", [
    ("INSERT DATA { mbc:a mbc:b mbc:c }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("LOAD <file:///etc/passwd>", "read-only"),
    ("CLEAR ALL", "read-only"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://x/> { ?s ?p ?o } } } }", "SERVICE"),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://example.org/> WHERE { ?s ?p ?o }", "FROM"),
])
def test_writes_and_outside_access_are_refused_before_running(kg, query, fragment):
    size = len(kg.store)
    with pytest.raises(ForbiddenQuery, match=fragment):
        kg.query(query)
    assert len(kg.store) == size


def test_malformed_sparql_points_at_line_and_column(kg):
    with pytest.raises(QuerySyntaxError) as info:
        kg.query("SELECT ?x WHERE {\n  ?x rdfs:label \n}")
    assert info.value.lineno == 3 and info.value.offset == 1
    assert "line 3, column 1" in str(info.value)
    assert isinstance(info.value, SyntaxError)


def test_unknown_prefix_is_a_clear_error(kg):
    with pytest.raises(QuerySyntaxError, match="unknown prefix 'nope:'") as info:
        kg.query("SELECT ?x WHERE { ?x nope:p ?y }")
    assert (info.value.lineno, info.value.offset) == (1, 22)


@pytest.mark.parametrize("text", ["", "   \n", "# just a comment\n", "PREFIX ex: <http://example.org/>"])
def test_empty_query_is_a_syntax_error_not_a_refused_update(kg, text):
    with pytest.raises(QuerySyntaxError, match="empty query"):
        kg.query(text)


def test_serializations(kg):
    result = kg.query("SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?label", {"label": Literal("liver", lang="en")})
    data = json.loads(result.serialize("json"))
    assert data["head"]["vars"] == ["c", "label"]
    assert data["results"]["bindings"][0]["c"]["value"] == str(MBC.Liver)
    rows = list(csv.reader(io.StringIO(result.serialize("csv"))))
    assert rows[0] == ["c", "label"] and rows[1] == [str(MBC.Liver), "liver"]
    tsv = result.serialize("tsv").splitlines()
    assert tsv[0] == "?c\t?label" and f"<{MBC.Liver}>" in tsv[1]
    assert json.loads(kg.query("ASK { ?s ?p ?o }").serialize("json"))["boolean"] is True
    with pytest.raises(ValueError, match="Unknown result format"):
        result.serialize("yaml")


def test_to_dataframe(kg):
    pd = pytest.importorskip("pandas")
    frame = kg.query("SELECT ?m ?site WHERE { ?m mbc:locatedIn ?site }").to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["m", "site"]
    assert (str(MBC.BoneMetastasis), str(MBC.Bone)) in set(map(tuple, frame.values.tolist()))


def test_the_same_answers_from_many_threads(kg):
    queries = [f"SELECT ?l WHERE {{ mbc:{name} rdfs:label ?l }}" for name in ("Bone", "Liver", "Lung", "Brain")] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda q: str(kg.query(q).values()[0]), queries))
    assert answers == ["bone", "liver", "lung", "brain"] * 8


def test_concurrent_queries_at_cold_start():
    """rdflib's parser is not thread-safe on first use: a fresh process, many threads at once."""
    code = textwrap.dedent("""
        from concurrent.futures import ThreadPoolExecutor
        import mbc_graph
        kg = mbc_graph.load()
        qs = ["SELECT ?l WHERE { ?c rdfs:label ?l } LIMIT %d" % (i + 1) for i in range(16)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            sizes = list(pool.map(lambda q: len(kg.query(q)), qs))
        assert sizes == list(range(1, 17)), sizes
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


def test_a_result_can_be_read_in_another_thread():
    """A web handler or a thread pool may hand a result to another thread to read.

    Run in a fresh process: with pyoxigraph's lazy result iterators this
    aborted the whole interpreter rather than raising.
    """
    code = textwrap.dedent("""
        from concurrent.futures import ThreadPoolExecutor
        import mbc_graph
        kg = mbc_graph.load()
        with ThreadPoolExecutor(max_workers=1) as pool:
            select = pool.submit(kg.query, "SELECT ?l WHERE { mbc:Liver rdfs:label ?l }").result()
            construct = pool.submit(kg.query, "CONSTRUCT WHERE { mbc:Liver rdfs:label ?l }").result()
            ask = pool.submit(kg.query, "ASK { mbc:Liver rdfs:label ?l }").result()
        assert [str(v) for v in select.values()] == ["liver"]
        assert [str(o) for _, _, o in construct] == ["liver"]
        assert bool(ask)
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


def test_the_rdflib_view_is_read_only(kg):
    before = len(kg.store)
    view = kg.graph
    assert (MBC.BoneMetastasis, RDFS.label, Literal("bone metastasis", lang="en")) in view
    with pytest.raises(Exception):
        view.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception):
        view.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
    assert len(kg.store) == before


@pytest.mark.parametrize("value", [
    Literal("liver", datatype=URIRef('urn:x> ) ("liver"@en) } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } VALUES (?z) { (<urn:y')),
    URIRef("urn:x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #"),
    BNode(), None, b"bytes", ["a", "list"],
])
def test_values_that_are_not_safe_rdf_terms_are_refused(kg, value):
    with pytest.raises(BadBinding):
        kg.query("SELECT ?c WHERE { ?c rdfs:label ?label }", {"label": value})


def test_binding_names_must_be_variables_the_query_does_not_assign(kg):
    with pytest.raises(BadBinding, match="variable name"):
        kg.query("SELECT ?c WHERE { ?c ?p ?o } LIMIT 1", {"x y": 1})
    with pytest.raises(BadBinding, match="assigns"):
        kg.query("SELECT ?c WHERE { BIND(<urn:a> AS ?c) }", {"c": URIRef("urn:b")})


def test_store_failures_are_library_errors(kg):
    """A function the store does not know: an error (oxigraph) or no rows (rdflib), never a raw crash."""
    try:
        result = kg.query("SELECT ?x WHERE { BIND(<urn:no-such-function>(1) AS ?x) }")
    except QueryFailed as exc:
        assert "could not be run" in str(exc)
    else:
        assert result.values() in ([], [None])


def test_rows_can_be_copied(kg):
    import copy

    row = kg.query(LABEL_OF, {"c": MBC.Liver}).rows[0]
    assert copy.copy(row).label == copy.deepcopy(row).label == row.label


def test_cached_checks_never_cache_a_refusal_away(kg):
    """Checks are cached per query text, binding names and value: refusals still happen every time."""
    service = "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }"
    hostile = URIRef("urn:x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #")
    assert kg.query(LABEL_OF, {"c": MBC.Liver}).values() == [Literal("liver", lang="en")]
    for _ in range(2):
        with pytest.raises(ForbiddenQuery, match="SERVICE"):
            kg.query(service)
        with pytest.raises(BadBinding, match="IRI"):
            kg.query(LABEL_OF, {"c": hostile})
        with pytest.raises(BadBinding, match="variable name"):
            kg.query(LABEL_OF, {"c d": MBC.Liver})
    assert kg.query(LABEL_OF, {"c": kg.concept("liver")}).values() == [Literal("liver", lang="en")]


def test_values_agree_with_rows(kg):
    result = kg.query("SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?label LIMIT 5")
    assert result.values("label") == result.values(1) == result.values(-1) == [row.label for row in result]
    assert result.values() == [row.c for row in result.rows]
    with pytest.raises(IndexError):
        result.values(2)
    empty = kg.query("SELECT ?c WHERE { ?c rdfs:label 'no such label' }")
    assert empty.values("c") == []
    with pytest.raises(KeyError):  # a misspelt variable is an error even when nothing matched
        empty.values("nope")


def test_loading_leaves_the_sparql_parser_to_the_first_query():
    """Building rdflib's SPARQL grammar takes about 50 ms, which a load does not need."""
    code = textwrap.dedent("""
        import sys
        import mbc_graph
        kg = mbc_graph.load(store="oxigraph")
        assert "rdflib.plugins.sparql.parser" not in sys.modules, "imported by import or load"
        assert "jaundice" in [c.label for c in kg.symptoms_of("liver")]
        assert "rdflib.plugins.sparql.parser" in sys.modules
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


# -- nothing reaches the network, whatever the text or the values --------------------------------
@pytest.mark.parametrize("template", [
    'VERSION "1.2" SELECT * WHERE {{ {service} }}',  # newer syntax that rdflib rejects but Oxigraph reads
    "SELECT * WHERE {{ {service} LATERAL {{ SELECT ?x WHERE {{ }} }} }}",
    "SELECT * WHERE {{ {service} BIND(TRIPLE(<urn:a>, <urn:b>, <urn:c>) AS ?t) }}",
], ids=["version", "lateral", "triple-term"])
def test_a_rejected_query_is_never_run_to_locate_its_error(kg, listener, template):
    port, hits = listener
    query = template.format(service=f"SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }}")
    with pytest.raises((QuerySyntaxError, ForbiddenQuery)):
        kg.query(query)
    time.sleep(0.3)
    assert hits == []


def test_bound_values_with_line_breaks_and_quotes_stay_values(kg, listener):
    port, hits = listener
    tricky = ['x\n\\"', f'") }} SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} #', '"""', "a\\", "\r\n\t'"]
    query = "SELECT ?a ?b ?l WHERE { VALUES (?a ?b) { (UNDEF UNDEF) } mbc:Liver rdfs:label ?l }"
    for a, b in zip(tricky, tricky[1:] + tricky[:1]):
        (row,) = kg.query(query, {"a": a, "b": b}).rows
        assert (str(row.a), str(row.b), str(row.l)) == (a, b, "liver")
    time.sleep(0.3)
    assert hits == []


def test_values_open_the_where_group_even_after_a_comparison_in_the_projection():
    """``1<(2>0)`` is a comparison, not an IRI: the value must bind ?s in the WHERE group."""
    query = "SELECT ?l (1<(2>0) || EXISTS { ?s ?p ?o } AS ?e) WHERE { ?s rdfs:label ?l }"
    rows = mbc_graph.load(store="oxigraph").query(query, {"s": MBC.Liver}).rows
    assert [(str(r.l), bool(r.e.toPython())) for r in rows] == [("liver", True)]


def test_sparql_rdflib_cannot_evaluate_is_a_library_error():
    with pytest.raises(QueryFailed, match="rdflib's SPARQL engine cannot evaluate this query"):
        mbc_graph.load(store="memory").query("SELECT (EXISTS { ?s ?p ?o } AS ?e) WHERE { }")


def test_codepoint_escapes_are_read_alike_by_check_and_store(kg, listener):
    """SPARQL expands \\u escapes before parsing; Oxigraph reads them only in strings. Both must read one text."""
    port, hits = listener
    (row,) = kg.query('SELECT ?a WHERE { BIND("\\u0022\\u0022" AS ?a) } # """ AS ?a) }').rows
    assert str(row.a) == '" AS ?a) } # '  # the escapes opened a long string, on either store
    with pytest.raises(ForbiddenQuery):
        kg.query(f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
    time.sleep(0.3)
    assert hits == []


def test_the_word_service_is_refused_wherever_oxigraph_might_read_it(kg, listener):
    """Oxigraph splits ``w:d.org\\/x.SERVICE...`` where rdflib reads one name, and then ran the SERVICE."""
    port, hits = listener
    query = (f"PREFIX w: <https://w3i>\nPREFIX x: <http://127.0.0.1:{port}/>\nSELECT ?l WHERE {{ ?s rdfs:label ?l . "
             "?s ?p w:d.org\\/mbc-graph\\/Liver.SERVICESILENTx:leak { ?l ?b ?c } }")
    with pytest.raises(ForbiddenQuery, match="SERVICE"):
        kg.query(query)
    time.sleep(0.3)
    assert hits == []


def test_deeply_nested_text_is_a_syntax_error_not_a_crash():
    """Run in a fresh process: handing such text to Oxigraph's parser overflowed its stack."""
    code = textwrap.dedent("""
        import mbc_graph
        kg = mbc_graph.load()
        bad_escape = '"' + chr(92) + chr(39) + '"'  # rdflib rejects it, so the error position is looked for
        for text in ["SELECT * WHERE { BIND(" + bad_escape + " AS ?x) FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }",
                     "SELECT * WHERE " + "{" * 60]:
            try:
                kg.query(text)
            except mbc_graph.QuerySyntaxError:
                pass
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", (result.returncode, result.stderr[-2000:])


def test_a_lone_carriage_return_is_refused_where_engines_disagree_on_comments(kg, listener):
    port, hits = listener
    with pytest.raises(QuerySyntaxError, match="carriage return"):
        kg.query(f"SELECT * WHERE {{ ?a ?b ?c # x\r SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }}\n }}")
    assert len(kg.query("SELECT ?l WHERE {\r\n  mbc:Liver rdfs:label ?l # Windows line ends\r\n}")) == 1
    time.sleep(0.3)
    assert hits == []


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_an_rdf_list_with_a_hash_iri_does_not_misplace_bound_values(store, listener):
    port, hits = listener
    kg = mbc_graph.load(store=store)
    template = ("CONSTRUCT {{ ?c a (?l <http://www.w3.org/2002/07/owl#Thing>) }} WHERE {{ ?c rdfs:label ?l "
                "FILTER(?l != '''\n}}{{''') {} }}")
    query = template.format("OPTIONAL {\n ?c rdfs:comment ?k }")
    written_in = template.format("VALUES ?c { mbc:Liver }")
    assert len(kg.query(query, {"c": MBC.Liver})) == len(kg.query(written_in)) == 5
    injected = "''') SERVICE <http://127.0.0.1:%d/inj> { ?s ?p ?o } FILTER('''" % port
    assert len(kg.query(query, {"c": injected})) == 0  # a value, matching no class
    time.sleep(0.3)
    assert hits == []


def test_values_that_cannot_be_placed_safely_are_refused(monkeypatch):
    """If the token scan ever picks the wrong group, the parser's confirmation refuses to run the query."""
    from mbc_graph.stores import oxigraph

    kg = mbc_graph.load(store="oxigraph")
    query = "SELECT ?l WHERE { ?c rdfs:label ?l OPTIONAL { ?c rdfs:comment ?k } } # unique to this test"
    inside_optional = query.index("OPTIONAL {") + len("OPTIONAL {")
    monkeypatch.setattr(oxigraph, "where_group", lambda text: inside_optional)
    with pytest.raises(QueryFailed, match="cannot be bound in this query's WHERE group"):
        kg.query(query, {"c": MBC.Liver})


def test_a_one_line_query_may_declare_the_empty_prefix(kg):
    query = "PREFIX : <https://w3id.org/mbc-graph/> SELECT ?l WHERE { :Liver rdfs:label ?l }"
    assert [str(v) for v in kg.query(query).values()] == ["liver"]
    with pytest.raises(QuerySyntaxError, match="unknown prefix ':'"):
        kg.query("SELECT ?l WHERE { :Liver rdfs:label ?l }")
    with pytest.raises(QuerySyntaxError, match="unknown prefix ':'"):  # BASE declares no prefix
        kg.query("BASE <https://w3id.org/mbc-graph/> SELECT ?l WHERE { :Liver rdfs:label ?l }")


def test_an_unknown_prefix_is_located_where_it_is_used(kg):
    with pytest.raises(QuerySyntaxError) as info:
        kg.query("PREFIX ex: <http://example.org/>\nSELECT ?l WHERE {\n  ?c rdfs:label ?l .\n  :Liver rdfs:label ?l }")
    assert (info.value.lineno, info.value.offset) == (4, 3)


def test_the_refused_word_service_is_located(kg):
    with pytest.raises(ForbiddenQuery, match=r"'service' \(line 2, column 11\)"):
        kg.query("SELECT ?l WHERE {\n  # not a service call\n  ?c rdfs:label ?l }")


@pytest.mark.parametrize("query", [
    "SELECT (COUNT(?o) AS ?n) ((<x:a><(1>0)) AS ?z) WHERE { ?c ?p ?o }",  # the scan finds no group
    "SELECT ?l ((<x:a><'>') AS ?z) WHERE { VALUES ?c { UNDEF } ?c rdfs:label ?l FILTER(?l != '''x)) { y''') }",
], ids=["no-group-found", "scan-lands-in-a-string"])
def test_oxigraph_refuses_values_it_cannot_place_rather_than_answer_wrongly(query, listener):
    port, hits = listener
    kg = mbc_graph.load(store="oxigraph")
    for value in (MBC.Liver, "''') SERVICE <http://127.0.0.1:%d/inj> { ?a ?b ?cc } FILTER(?l != '''" % port):
        with pytest.raises(QueryFailed, match="cannot be bound in this query's WHERE group"):
            kg.query(query, {"c": value})
    time.sleep(0.3)
    assert hits == []
