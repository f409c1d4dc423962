"""``mbc-graph serve`` over a real socket, with the clients people use.

SPARQLWrapper (every result format), rdflib's SPARQLStore and raw HTTP
(httpx) for the protocol's corners; the read-only check; the deadline, the
queue and concurrent clients; and a clean stop on SIGTERM and Ctrl-C. Each
server is ``python -m mbc_graph serve --port 0`` on 127.0.0.1, started by a
fixture and stopped (SIGTERM, then kill) when the tests end, pass or fail.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from mbc_graph.cli import main

from serving import running

pytestmark = pytest.mark.once

LABELS = "SELECT ?label WHERE { mbc:BoneMetastasis mbc:hasSymptom ?s . ?s rdfs:label ?label } ORDER BY ?label"
#: A query that would run for days: every triple times every triple times every triple.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 3  # seconds: the server's --timeout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running("--timeout", str(TIMEOUT), log=tmp_path_factory.mktemp("serve") / "serve.log") as s:
        yield s


@pytest.fixture(scope="module")
def expected(kg):
    return sorted(str(v) for v in kg.query(LABELS).values())


def post(server, query: str, accept: str = "application/sparql-results+json", **kwargs) -> httpx.Response:
    return httpx.post(server.sparql, data={"query": query}, headers={"Accept": accept}, timeout=120, **kwargs)


# -- real clients -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_reads_select_results_in_every_format(server, expected, fmt):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.sparql)
    client.setQuery("PREFIX mbc: <https://w3id.org/mbc-graph/>\n" + LABELS)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == "json":
        labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    elif fmt == "xml":
        labels = [node.firstChild.data for node in result.getElementsByTagName("literal")]
    elif fmt == "csv":
        labels = [row[0] for row in list(csv.reader(io.StringIO(result.decode("utf-8"))))[1:]]
    else:  # TSV: terms in N-Triples syntax, "bone pain"@en
        labels = [line[1:line.rindex('"')] for line in result.decode("utf-8").splitlines()[1:]]
    assert sorted(labels) == expected


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "n3"])
def test_sparqlwrapper_reads_construct_results_in_every_format(server, kg, fmt):
    from SPARQLWrapper import SPARQLWrapper

    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { mbc:BoneMetastasis mbc:hasSymptom ?s . ?s rdfs:label ?l }"
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(
        data=result if isinstance(result, (str, bytes)) else json.dumps(result),
        format={"json-ld": "json-ld", "n3": "turtle", "turtle": "turtle"}[fmt])
    assert set(graph) == set(kg.query(query).graph)


def test_sparqlwrapper_reads_ask(server):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    for fmt in (JSON, XML):
        client = SPARQLWrapper(server.sparql)
        client.setQuery("ASK { mbc:BoneMetastasis rdfs:label ?l }")
        client.setReturnFormat(fmt)
        result = client.query().convert()
        answer = result["boolean"] if fmt == JSON else result.getElementsByTagName("boolean")[0].firstChild.data
        assert answer in (True, "true")


def test_rdflib_sparqlstore_queries_the_server(server, expected, kg):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(server.sparql, returnFormat="xml"))
    rows = remote.query("PREFIX mbc: <https://w3id.org/mbc-graph/>\nPREFIX rdfs: <" + str(RDFS) + ">\n" + LABELS)
    assert sorted(str(row.label) for row in rows) == expected
    bone = URIRef("https://w3id.org/mbc-graph/BoneMetastasis")
    assert set(remote.objects(bone, RDFS.label)) == {Literal("bone metastasis", lang="en")}


# -- the protocol -------------------------------------------------------------------------------------------
def test_get_post_form_and_post_query_give_the_same_answer(server, expected):
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        httpx.get(server.sparql, params={"query": LABELS}, headers=accept, timeout=60),
        httpx.post(server.sparql, data={"query": LABELS}, headers=accept, timeout=60),
        httpx.post(server.sparql, content=LABELS.encode(), timeout=60,
                   headers={**accept, "Content-Type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert response.headers["link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        assert response.headers["x-notice"] == "Educational content, not medical advice."
        assert sorted(b["label"]["value"] for b in response.json()["results"]["bindings"]) == expected


def test_plain_get_is_the_service_description_with_license_and_notice(server):
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for accept, fmt in (("text/turtle", "turtle"), ("application/rdf+xml", "xml")):
        response = httpx.get(server.sparql, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        g = Graph().parse(data=response.text, format=fmt)
        endpoint = URIRef(server.sparql)
        assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
        assert (endpoint, URIRef("http://purl.org/dc/terms/license"),
                URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
        assert "not medical advice" in str(g.value(endpoint, URIRef("http://purl.org/dc/terms/rights")))


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(server) -> int:
    return int(post(server, COUNT).json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("how", ["form update", "sparql-update body", "GET update", "update as query"])
def test_updates_are_refused_and_change_nothing(server, how):
    update = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    before = _count(server)
    if how == "form update":
        response = httpx.post(server.sparql, data={"update": update}, timeout=30)
    elif how == "sparql-update body":
        response = httpx.post(server.sparql, content=update.encode(), timeout=30,
                              headers={"Content-Type": "application/sparql-update"})
    elif how == "GET update":
        response = httpx.get(server.sparql, params={"update": update}, timeout=30)
    else:
        response = post(server, update)
    assert response.status_code == 403 and "read-only" in response.text
    assert post(server, "ASK { <urn:x> <urn:y> <urn:z> }").json()["boolean"] is False
    assert _count(server) == before


def test_service_is_refused(server):
    response = post(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403 and "SERVICE is not allowed" in response.text


def test_syntax_error_is_400_naming_line_and_column(server):
    response = post(server, "SELECT ?x WHERE {\n  ?x rdfs:label ?y .\n  FILTER(?y = }\n")
    assert response.status_code == 400
    assert "line 3, column" in response.text


def test_predeclared_prefixes_work_as_in_kg_query(server, kg):
    query = "SELECT ?d WHERE { mbc:Liver skos:definition ?d }"
    body = post(server, query).json()
    assert [b["d"]["value"] for b in body["results"]["bindings"]] == [str(v) for v in kg.query(query).values()]


@pytest.mark.parametrize("request_args, status, words", [
    ({"headers": {"Accept": "image/png"}, "params": {"query": LABELS}}, 406, "available"),
    ({"params": {"query": LABELS, "default-graph-uri": "http://example.org/g"}}, 400, "not supported"),
])
def test_protocol_corners_get(server, request_args, status, words):
    response = httpx.get(server.sparql, timeout=30, **request_args)
    assert response.status_code == status and words in response.text


def test_post_with_another_content_type_is_415(server):
    response = httpx.post(server.sparql, content=b"{}", headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 415 and "application/sparql-query" in response.text


def test_query_length_and_request_size_are_capped(server):
    padding = "# " + "x" * (100 << 10) + "\n"
    long_query = httpx.post(server.sparql, content=(padding + LABELS).encode(), timeout=30,
                            headers={"Content-Type": "application/sparql-query"})
    assert long_query.status_code == 413 and "characters" in long_query.text
    huge = httpx.post(server.sparql, content=b"#" * ((1 << 20) + 1), timeout=30,
                      headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 413 and "bytes" in huge.text


def test_a_long_query_still_fits_in_a_get_url(server, expected):
    # 48 KiB: three times uvicorn's default limit on a request head, under httpx's own cap on a URL's query
    padded = "# " + "x" * (48 << 10) + "\n" + LABELS
    response = httpx.get(server.sparql, params={"query": padded}, timeout=60,
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text[:300]
    assert sorted(b["label"]["value"] for b in response.json()["results"]["bindings"]) == expected


def test_no_cors_headers_unless_asked(server):
    response = httpx.get(server.sparql, params={"query": LABELS}, headers={"Origin": "https://example.org"},
                         timeout=30)
    assert "access-control-allow-origin" not in response.headers


# -- limits: deadline, queue, concurrency ----------------------------------------------------------------------
def test_a_runaway_query_times_out_while_others_are_answered(server, expected):
    with ThreadPoolExecutor(1) as pool:
        runaway = pool.submit(post, server, RUNAWAY)
        answered = []
        while not runaway.done():  # other clients keep being answered while it runs
            response = post(server, LABELS)
            assert response.status_code == 200, response.text
            answered.append(response)
        response = runaway.result()
    assert response.status_code == 504 and f"{TIMEOUT:g}" in response.text
    assert answered
    assert sorted(b["label"]["value"] for b in post(server, LABELS).json()["results"]["bindings"]) == expected


def test_eight_clients_at_once_all_get_right_answers(server, expected, kg):
    questions = [(LABELS, expected),
                 ("SELECT ?l WHERE { mbc:Liver rdfs:label ?l }", ["liver"]),
                 ("SELECT ?label WHERE { ?s mbc:suggests mbc:BrainMetastasis . ?s rdfs:label ?label }",
                  sorted(str(v) for v in kg.query("SELECT ?label WHERE { ?s mbc:suggests mbc:BrainMetastasis . "
                                                  "?s rdfs:label ?label }").values()))]
    best_match = kg.search_matches("short of breth", 1)[0].iri
    failures = []

    def client(n: int) -> int:
        done = 0
        with httpx.Client(timeout=120) as http:
            for i in range(12):
                query, want = questions[(n + i) % len(questions)]
                response = http.post(server.sparql, data={"query": query},
                                     headers={"Accept": "application/sparql-results+json"})
                got = sorted(next(iter(b.values()))["value"] for b in response.json()["results"]["bindings"]) \
                    if response.status_code == 200 else response.text
                if got != sorted(want):
                    failures.append((query, got))
                api = http.get(server.url + "api/search", params={"q": "short of breth"})
                if api.status_code != 200 or api.json()["results"][0]["iri"] != best_match:
                    failures.append(("search", api.text[:200]))
                done += 1
        return done

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(client, range(8)))
    assert failures == [] and done == [12] * 8


def test_a_full_server_answers_503_with_retry_after(tmp_path):
    with running("--workers", "1", "--queue", "0", "--timeout", str(TIMEOUT), log=tmp_path / "serve.log") as busy:
        for _attempt in range(5):  # a probe may take the one worker first; the runaway is then the one refused
            with ThreadPoolExecutor(1) as pool:
                runaway = pool.submit(post, busy, RUNAWAY)
                refused = None
                while not runaway.done() and refused is None:
                    response = post(busy, LABELS)
                    if response.status_code == 503:
                        refused = response
                first = runaway.result()
            if first.status_code != 503:
                break
        assert first.status_code == 504  # the runaway held the worker until its deadline
        assert refused is not None, "the one worker was busy, yet no request was refused"
        assert int(refused.headers["retry-after"]) > 0 and "busy" in refused.text.lower()
        assert post(busy, LABELS).status_code == 200  # free again


def test_serves_an_on_disk_store_that_every_process_opens_read_only(tmp_path, expected):
    db = tmp_path / "db"
    with running("--db", str(db), log=tmp_path / "serve.log") as s:
        response = post(s, LABELS)
        assert response.status_code == 200
        assert sorted(b["label"]["value"] for b in response.json()["results"]["bindings"]) == expected
    assert (db / "lock").exists()  # built once, by the command itself, before serving


# -- starting and stopping -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_ctrl_c(tmp_path, sig):
    with running(log=tmp_path / "serve.log") as s:
        assert post(s, LABELS).status_code == 200
        children = _children(s.process.pid)
        assert children  # the zygote that forks the query workers
        assert s.stop(sig) == 0
        with pytest.raises(httpx.ConnectError):
            httpx.get(s.sparql, timeout=5)
        assert [pid for pid in children if _alive(pid)] == []  # no worker left behind


def _children(pid: int) -> list[int]:
    from pathlib import Path

    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_other_addresses_need_public():
    err = StringIO()
    assert main(["serve", "--host", "0.0.0.0"], stdout=StringIO(), stderr=err) == 1
    assert "--public" in err.getvalue() and "readable" in err.getvalue()


def test_a_taken_port_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        err = StringIO()
        assert main(["serve", "--port", str(taken.getsockname()[1])], stdout=StringIO(), stderr=err) == 1
    assert "Cannot listen on 127.0.0.1 port" in err.getvalue()


def test_serve_prints_its_url_and_warns_on_public_addresses(tmp_path):
    from mbc_graph.server.run import PUBLIC_WARNING

    # Only 127.0.0.1 in tests: the warning's text, and that loopback needs no --public.
    assert "readable by anyone" in PUBLIC_WARNING and "reverse proxy" in PUBLIC_WARNING
    with running(log=tmp_path / "serve.log") as s:
        assert s.url.startswith("http://127.0.0.1:") and s.url.endswith("/")
        assert "WARNING" not in s.log.read_text()




def _serve_it_section() -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = text.index("## Serve it")
    return text[start:text.index("\n## ", start + 1)]


def test_the_readme_examples_work_against_a_running_server(server, expected, capsys):
    import re
    import subprocess

    section = _serve_it_section()
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(snippet.replace("http://127.0.0.1:8000/", server.url), "README.md", "exec"), {})
    assert sorted(capsys.readouterr().out.split("\n")[:-1]) == expected
    curl = re.search(r"^curl .*$", section, re.M).group(0).replace("http://127.0.0.1:8000/", server.url)
    out = subprocess.run(curl, shell=True, capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.splitlines() == ["l", "liver"]
