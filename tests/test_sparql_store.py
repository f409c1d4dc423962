"""A SPARQL 1.1 server as the store: publish to Oxigraph's own server, then the same answers through it."""

from __future__ import annotations

import socket
from io import StringIO

import httpx
import pytest
import rdflib
from parity import CASES, answers, assert_same_answers
from servers import fake_server, oxigraph_server

import mbc_graph
from mbc_graph import publish as publish_module
from mbc_graph.cli import main
from mbc_graph.errors import ForbiddenQuery, MBCGraphError, QueryFailed, RemoteStoreError
from mbc_graph.namespaces import MBC
from mbc_graph.stores.sparql import PUBLISHED_GRAPH, SKOLEM_PREFIX, SparqlStore

pytestmark = pytest.mark.once

RAW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as base:
        yield base


@pytest.fixture(scope="module")
def published(server, parity_reference):
    """The parity graph published through SPARQL Update, and what publish said."""
    lines: list[str] = []
    kg, _, _ = parity_reference
    written = kg.publish(update_endpoint=server + "/update", batch_size=1000, say=lines.append)
    return written, lines


@pytest.fixture(scope="module")
def remote(server, published):
    return mbc_graph.load(store="sparql", endpoint=server + "/query", update_endpoint=server + "/update")


def raw(server: str, query: str) -> dict:
    """Ask the server directly, with its own default graph (empty on Oxigraph) and no help from the library."""
    response = httpx.post(server + "/query", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return response.json()


def server_triples(server: str) -> int:
    return int(raw(server, RAW_COUNT)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("case", CASES)
def test_parity(remote, parity_reference, case):
    assert_same_answers(remote, parity_reference, case)


def test_publish_says_what_it_wrote_and_warns_about_user_files(published, parity_reference, parity_cohort):
    written, lines = published
    kg = parity_reference[0]
    assert [w.graph for w in written] == [str(MBC) + "graph/ontology", str(MBC) + "graph/relations",
                                          parity_cohort.resolve().as_uri()]
    assert sum(w.triples for w in written) == len(kg.store)
    assert lines[0].startswith("warning:") and str(parity_cohort) in lines[0] and "patient data" in lines[0]
    assert [line.split()[1] for line in lines[1:]] == [str(w.triples) for w in written]


def test_the_store_reads_the_published_list(remote, parity_reference, parity_cohort):
    assert remote.store.name == "sparql"
    assert remote.sources == [mbc_graph.bundled_ontology(), parity_cohort]
    assert len(remote.store) == len(parity_reference[0].store)
    assert PUBLISHED_GRAPH not in {rdflib.URIRef(g) for g in remote.store.graphs}


def test_blank_nodes_are_skolemized_on_the_server_and_blank_again_in_results(server, remote):
    assert not raw(server, "ASK { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }")["boolean"]
    assert raw(server, f'ASK {{ GRAPH ?g {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{SKOLEM_PREFIX}")) }} }}')["boolean"]
    restriction = remote.query("SELECT ?r WHERE { ?r a owl:Restriction } LIMIT 1").values()[0]
    assert isinstance(restriction, rdflib.BNode)
    assert remote.query("ASK { ?r a owl:Restriction FILTER(isBlank(?r) && !isIRI(?r)) }")


def test_publishing_again_replaces_each_graph(server, published, parity_reference, monkeypatch):
    before = server_triples(server)
    parity_reference[0].publish(update_endpoint=server + "/update", say=lambda line: None)
    assert server_triples(server) == before
    monkeypatch.setattr(publish_module, "_GRAPH_STORE_BATCH", 1000)  # a PUT, then POSTs
    written = parity_reference[0].publish(graph_store=server + "/store", say=lambda line: None)
    assert max(w.triples for w in written) > 1000
    assert server_triples(server) == before


def test_graphs_the_library_did_not_publish_are_not_seen(server, remote):
    update = "INSERT DATA { GRAPH <urn:example:other> { <urn:example:x> <urn:example:p> <urn:example:y> } }"
    httpx.post(server + "/update", data={"update": update}).raise_for_status()
    assert not remote.query("ASK { <urn:example:x> ?p ?o }")
    assert not remote.query("ASK { GRAPH ?g { <urn:example:x> ?p ?o } }")
    assert raw(server, "ASK { GRAPH ?g { <urn:example:x> ?p ?o } }")["boolean"]


def test_the_read_only_check_applies_to_what_is_sent(server, remote):
    before = server_triples(server)
    for update in ("INSERT DATA { <urn:example:a> <urn:example:b> <urn:example:c> }",
                   "SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }"):
        with pytest.raises(ForbiddenQuery):
            remote.query(update)
    assert server_triples(server) == before


def test_a_query_the_server_rejects_is_query_failed(remote, server):
    with pytest.raises(QueryFailed, match=server):
        remote.query("SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o }")  # ?x is not grouped


def test_cli_queries_and_publishes_through_the_server(server, published, tmp_path):
    out = StringIO()
    assert main(["--store", "sparql", "--endpoint", server + "/query", "query",
                 "ASK { mbc:BoneMetastasis mbc:hasSymptom mbc:BonePain }"], stdout=out) == 0
    assert out.getvalue().strip() == "true"
    mine = tmp_path / "mine.ttl"
    mine.write_text("<urn:example:me> <urn:example:p> _:b .\n_:b <urn:example:q> 'x' .\n")
    err = StringIO()
    assert main(["--store", "sparql", "--endpoint", server + "/query", "--update-endpoint", server + "/update",
                 "--extra", str(mine), "publish"],
                stdout=StringIO(), stderr=err) == 0
    assert "warning" in err.getvalue() and "wrote 2 triples" in err.getvalue()
    out = StringIO()
    assert main(["--endpoint", server + "/query", "query", "--format", "tsv",  # --store sparql implied
                 "SELECT ?v WHERE { <urn:example:me> <urn:example:p> ?b . ?b <urn:example:q> ?v }"], stdout=out) == 0
    assert out.getvalue().splitlines()[1:] == ['"x"']
    err = StringIO()
    assert main(["publish"], stdout=StringIO(), stderr=err) == 2
    assert "--update-endpoint" in err.getvalue()


# -- failures, each naming the server --------------------------------------------------------------
def test_nothing_published(tmp_path):
    with oxigraph_server(tmp_path) as base:
        with pytest.raises(RemoteStoreError, match="Nothing was published"):
            mbc_graph.load(store="sparql", endpoint=base + "/query")


def test_a_server_that_is_not_there():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"  # bound, not listening: refused
        with pytest.raises(RemoteStoreError, match=f"Cannot reach the SPARQL server {url}"):
            mbc_graph.load(store="sparql", endpoint=url)


def test_a_server_that_does_not_answer():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()  # accepts the connection, never answers
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
        with pytest.raises(RemoteStoreError, match=f"{url} did not answer within 0.5 s"):
            SparqlStore(url, timeout=0.5)


def test_refused_credentials():
    with fake_server(401, {}, {"WWW-Authenticate": 'Basic realm="sparql"'}) as url:
        with pytest.raises(RemoteStoreError, match=f"{url} refused the credentials"):
            mbc_graph.load(store="sparql", endpoint=url, auth=("someone", "wrong"))


def test_a_silent_row_cap_fails_loudly():
    capped = {"head": {"vars": ["g", "source"]}, "results": {"bindings": [
        {"g": {"type": "uri", "value": "urn:example:g"}}]}}
    with fake_server(200, capped, {"X-SPARQL-MaxRows": "1"}) as url:
        with pytest.raises(RemoteStoreError, match=f"{url} cut the result at 1 rows"):
            mbc_graph.load(store="sparql", endpoint=url)


def test_an_answer_that_is_not_sparql_results():
    for body in (b"<html>Service Unavailable</html>", {"head": {}}):
        with fake_server(200, body) as url:
            with pytest.raises(RemoteStoreError, match=f"{url} answered results that do not read as SPARQL JSON"):
                mbc_graph.load(store="sparql", endpoint=url)


def test_sparql_needs_an_endpoint():
    with pytest.raises(MBCGraphError, match="endpoint"):
        mbc_graph.load(store="sparql")


def test_a_query_deadline_is_the_request_timeout():
    """With a remote store the server evaluates the query: ``timeout=`` bounds the HTTP request, no worker."""
    from mbc_graph.stores.sparql import SparqlStore, client, request_timeout

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()  # accepts the connection, never answers
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
        store = SparqlStore.__new__(SparqlStore)  # as if published and opened, without the first request
        store.endpoint, store.graphs = url, []
        store.http = client(None, 60.0)  # the store's own timeout is a minute
        with request_timeout(0.3), pytest.raises(RemoteStoreError, match=f"{url} did not answer within 0.3 s"):
            store.execute("ASK { ?s ?p ?o }", {}, {})
