"""The JSON API and the pages, through Starlette's TestClient (no socket needed).

Every answer must be what the library gives a Python user, carry the license
and the notice, match the OpenAPI document, and escape hostile data.
``tests/test_server_http.py`` runs the SPARQL endpoint with real clients.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

import mbc_graph
from mbc_graph.server import Settings
from mbc_graph.server.app import ROUTES, create_app
from mbc_graph.server.openapi import DOCUMENT

from test_viz import HOSTILE, hostile_turtle

ROOT = Path(__file__).resolve().parent.parent
USER_CLASS = "http://example.org/my-lab#TumourBoardNote"


@pytest.fixture(scope="module")
def client(kg):
    # The API and the pages read the graph in this process; no SPARQL query is sent here, so no workers.
    with TestClient(create_app(kg, workers=None)) as c:
        yield c


@pytest.fixture(scope="module")
def user_client(tmp_path_factory):
    """A server over the user's own file: a hostile class, and a class with no CURIE."""
    folder = tmp_path_factory.mktemp("user")
    mine = folder / "mine.ttl"
    mine.write_text(f"""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{USER_CLASS}> a owl:Class ; rdfs:label "tumour board note"@en ;
    rdfs:subClassOf <https://w3id.org/mbc-graph/BoneMetastasis> .
""", encoding="utf-8")
    kg = mbc_graph.load(extra=[hostile_turtle(folder / "hostile.ttl"), mine])
    with TestClient(create_app(kg, workers=None)) as c:
        yield c


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["license"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert body["notice"] == "Educational content, not medical advice."
    assert response.headers["link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    return body


# -- the OpenAPI document ----------------------------------------------------------------------------------
def _documented(path: str) -> str:
    return re.sub(r"\{(\w+):path\}", r"{\1}", path)


def test_openapi_document_lists_exactly_the_api_routes_and_methods(client):
    served = client.get("/openapi.json").json()
    assert served == json.loads(json.dumps(DOCUMENT))
    routes = {_documented(r.path): {m.lower() for m in r.methods} - {"head"}
              for r in ROUTES if isinstance(r, Route) and r.path.startswith(("/api", "/sparql"))}
    documented = {path: set(ops) for path, ops in served["paths"].items()}
    assert documented == routes


def _check(schema: dict, value, document: dict, where: str) -> None:
    """The parts of JSON Schema the document uses: $ref, type, required, properties, items."""
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    python = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float),
              "boolean": bool, "null": type(None)}
    if kinds:
        assert isinstance(value, tuple(python[k] for k in kinds)), f"{where}: {value!r} is not {kinds}"
    if isinstance(value, dict):
        missing = set(schema.get("required", [])) - set(value)
        assert not missing, f"{where}: missing {missing}"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                _check(sub, value[name], document, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, document, f"{where}[{i}]")


EXAMPLES = {
    "/api/concept/{curie}": "/api/concept/mbc:BoneMetastasis",
    "/api/concept": "/api/concept?iri=https://w3id.org/mbc-graph/LiverMetastasis",
    "/api/search": "/api/search?q=short+of+breth",
    "/api/evidence": "/api/evidence?subject=brain+metastasis&relation=has+symptom&object=seizure",
    "/api/paths": "/api/paths?from=HER2-positive&to=trastuzumab&max_length=3",
}


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_each_api_answer_has_the_fields_the_document_promises(client, path):
    body = get_json(client, EXAMPLES[path])
    schema = DOCUMENT["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    _check(schema, body, DOCUMENT, path)


def test_errors_answer_with_the_documented_error_shape(client):
    body = get_json(client, "/api/concept/bone%20metastatis%20xyz", 404)
    _check(DOCUMENT["components"]["responses"]["Error"]["content"]["application/json"]["schema"], body, DOCUMENT,
           "error")


# -- the same answers as the library ------------------------------------------------------------------------
def test_search_forgives_typos_and_ranks_as_the_library_does(client, kg):
    body = get_json(client, "/api/search?q=short+of+breth&limit=5")
    assert body["results"][0]["label"] == "dyspnea"
    expected = [(str(m.iri), m.name, m.score) for m in kg.search_matches("short of breth", 5)]
    assert [(r["iri"], r["matched"], r["score"]) for r in body["results"]] == expected
    assert get_json(client, "/api/search?q=")["results"] == []


def test_concept_holds_fields_every_edge_with_evidence_and_claims_with_status(client, kg):
    body = get_json(client, "/api/concept/mbc:BrainMetastasis")
    concept = kg.concept("mbc:BrainMetastasis")
    assert (body["label"], body["definition"], body["synonyms"]) == (concept.label, concept.definition,
                                                                     list(concept.synonyms))
    assert {x["id"]: x["match"] for x in body["xrefs"]} == concept.xrefs
    assert [p["curie"] for p in body["parents"]] == list(concept.parents)
    hood = kg.neighborhood(concept, 1)
    expected = {(k, v) for u, v, k in hood.out_edges(str(concept.iri), keys=True)}
    assert {(e["relation"], e["target"]["iri"]) for e in body["edges"]} == expected
    seizure = next(e for e in body["edges"] if e["relation"] == "hasSymptom" and e["target"]["label"] == "seizure")
    assert seizure["evidence"] == [asdict(e) for e in kg.evidence("brain metastasis", "has symptom", "seizure")]
    assert seizure["evidence"] and all(e["source"] for e in seizure["evidence"])


def test_claims_come_with_their_status(client, kg):
    about = kg.claims()[0].about[0]
    body = get_json(client, "/api/concept/" + kg.concept(about).curie)
    assert body["claims"]
    assert {c["status"] for c in body["claims"]} <= {"supported", "conflicting", "contradicted"}
    assert sorted(c["statement"] for c in body["claims"]) == sorted(c.statement for c in kg.claims(about=about))


def test_evidence_and_paths_are_the_library_answers(client, kg):
    body = get_json(client, EXAMPLES["/api/evidence"])
    assert body["evidence"] == [asdict(e) for e in kg.evidence("brain metastasis", "has symptom", "seizure")]
    assert body["relation"] == {"name": "hasSymptom", "label": "has symptom"}
    shortest = get_json(client, "/api/paths?from=triple-negative&to=PD-L1")
    assert [p["text"] for p in shortest["paths"]] == [kg.path("triple-negative", "PD-L1").text]
    every = get_json(client, EXAMPLES["/api/paths"])
    assert [p["text"] for p in every["paths"]] == [p.text for p in kg.paths("HER2-positive", "trastuzumab", 3,
                                                                            limit=10)]
    step = shortest["paths"][0]["steps"][0]
    assert step["source"]["label"] == "triple-negative breast cancer" and step["relation_label"]


@pytest.mark.parametrize("url, status, words", [
    ("/api/concept/no+such+thing+at+all", 404, "No concept matches"),
    ("/api/evidence?subject=liver&relation=frobnicates&object=bone", 404, "Unknown relation"),
    ("/api/evidence?subject=liver&relation=has+symptom", 400, "'object' is required"),
    ("/api/search?q=bone&limit=500", 400, "limit must be between 1 and 50"),
    ("/api/search?q=bone&limit=many", 400, "whole number"),
    ("/api/paths?from=bone+pain&to=trastuzumab&relation=has+symptom", 404, "No path"),
    ("/api/concept?iri=https://w3id.org/mbc-graph/BoneMetastasi", 404, "No concept matches"),
])
def test_library_errors_map_to_http_statuses_with_a_message(client, url, status, words):
    body = get_json(client, url, status)
    assert words in body["error"]


def test_unknown_concept_suggests_near_matches(client):
    body = get_json(client, "/api/concept/bone%20metastasys", 404)
    assert "bone metastasis" in body["suggestions"]


def test_a_concept_is_reachable_by_its_iri(client):
    from urllib.parse import quote

    iri = "https://w3id.org/mbc-graph/LiverMetastasis"
    assert get_json(client, "/api/concept?iri=" + quote(iri, safe=""))["label"] == "liver metastasis"
    page = client.get("/concept?iri=" + quote(iri, safe=""))
    assert page.status_code == 200 and "<h1 id=\"label\">liver metastasis</h1>" in page.text


def test_a_users_class_with_no_curie_is_reachable_by_its_iri(user_client):
    from urllib.parse import quote

    body = get_json(user_client, "/api/concept?iri=" + quote(USER_CLASS, safe=""))
    assert body["label"] == "tumour board note" and body["iri"] == USER_CLASS
    page = user_client.get("/concept?iri=" + quote(USER_CLASS, safe=""))
    assert page.status_code == 200 and "tumour board note" in page.text
    missing = get_json(user_client, "/api/concept?iri=" + quote(USER_CLASS + "X", safe=""), 404)
    assert missing["error"] == f"No concept matches {USER_CLASS + 'X'!r}." and missing["suggestions"] == []


# -- pages ------------------------------------------------------------------------------------------------------
def test_concept_page_shows_fields_edges_evidence_and_documents(client, kg):
    page = client.get("/concept/mbc:BrainMetastasis")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    concept = kg.concept("mbc:BrainMetastasis")
    for value in [concept.label, concept.definition, *concept.synonyms, *concept.xrefs]:
        assert _escaped(value) in text
    item = kg.evidence("brain metastasis", "has symptom", "seizure")[0]
    assert _escaped(item.quote) in text and _escaped(item.source) in text
    assert "Educational content, not medical advice." in text and "CC BY 4.0" in text


def _escaped(value: str) -> str:
    """``value`` as the pages' templates write it (Jinja2's escaping)."""
    from markupsafe import escape

    return str(escape(value))


def test_pages_forbid_every_outside_request(client):
    for url in ["/", "/concept/mbc:BoneMetastasis", "/graph?focus=liver", "/path", "/query"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
        assert not re.search(r"""src=["']?(https?:)?//""", response.text), url  # nothing loaded from elsewhere
        links = re.findall(r"<link [^>]*>", response.text)
        # a same-origin or inline resource; the license is a link to follow, not a load
        assert all(re.search(r'href="(/|data:)', tag) or 'rel="license"' in tag for tag in links), links


def test_unknown_concept_page_is_a_404_page_with_suggestions(client):
    page = client.get("/concept/bone%20metastasys")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "bone metastasis" in page.text


def test_hostile_data_is_escaped_on_every_page(user_client):
    urls = ["/concept/mbc:HostileThing", "/concept/mbc:BoneMetastasis", "/graph?focus=mbc:HostileThing",
            "/path?from=bone+metastasis&to=mbc:HostileThing"]
    for url in urls:
        response = user_client.get(url)
        assert response.status_code == 200, url
        text = response.text
        assert "<script>window.__pwned" not in text and "<img src=x" not in text, url
        assert 'href="javascript:' not in text, url
    concept_page = user_client.get("/concept/mbc:HostileThing").text
    assert _escaped(HOSTILE["label"]) in concept_page and _escaped(HOSTILE["definition"]) in concept_page
    bone_page = user_client.get("/concept/mbc:BoneMetastasis").text
    assert _escaped(HOSTILE["quote"]) in bone_page and _escaped(HOSTILE["source"]) in bone_page
    # The API gives the data as it is, as JSON that no browser may read as a page.
    api = user_client.get("/api/concept/mbc:HostileThing")
    assert api.json()["label"] == HOSTILE["label"]
    assert api.headers["content-type"] == "application/json" and api.headers["x-content-type-options"] == "nosniff"


# -- limits and options -------------------------------------------------------------------------------------------
def test_request_body_over_the_limit_is_413_before_any_work(kg):
    with TestClient(create_app(kg, workers=None, settings=Settings(max_request_bytes=1000))) as small:
        response = small.post("/sparql", content=b"x" * 1001, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413 and "1000 bytes" in response.text


def test_cors_only_when_asked(kg, client):
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/search?q=bone", headers=origin).headers
    with TestClient(create_app(kg, workers=None, settings=Settings(cors=True))) as open_client:
        assert open_client.get("/api/search?q=bone", headers=origin).headers["access-control-allow-origin"] == "*"


def test_examples_are_the_current_competency_questions():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_server_examples
    finally:
        sys.path.pop(0)
    shipped = (ROOT / "mbc_graph" / "server" / "examples.json").read_text(encoding="utf-8")
    assert shipped == build_server_examples.text(), "run tools/build_server_examples.py"


def test_concept_page_shows_the_qualifier_and_condition_of_evidence_that_has_them():
    # Evidence gains .qualifier and .condition with the association model; the page shows them when present.
    from mbc_graph.server.pages import render

    ref = {"iri": "https://w3id.org/mbc-graph/X", "curie": "mbc:X", "label": "x", "category": None}
    item = {"source": "001.txt", "title": "T", "quote": "It can happen.", "note": None, "curated": False,
            "asserted_on": None, "qualifier": "sometimes", "condition": "after <radiation>"}
    concept = {**ref, "definition": None, "synonyms": [], "xrefs": [], "parents": [], "claims": [],
               "edges": [{"relation": "hasSymptom", "relation_label": "has symptom", "target": ref,
                          "evidence": [item, {**item, "qualifier": None, "condition": None}]}]}
    page = render("concept.html", page="concept", c=concept).body.decode()
    assert page.count('<span class="qualifier">sometimes</span>') == 1
    assert '<span class="condition">when after &lt;radiation&gt;</span>' in page
