"""The served explorer in headless Chromium: offline, silent, interactive and safe.

A real ``mbc-graph serve`` (started and stopped by the fixtures) serves the
pages; each page must load with no console error and no request to anything
but the server, search as the user types, expand the graph on click, run a
query from the editor, and show hostile labels as text without running them.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from browser import ARTIFACTS, CHROMIUM, chromium
from serving import running
from test_viz import HOSTILE, hostile_turtle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.once,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(log=tmp_path_factory.mktemp("serve") / "serve.log") as s:
        yield s


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    with running(extra=[hostile_turtle(folder / "hostile.ttl")], log=folder / "serve.log") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class Visit:
    """A page of the server, with every request it made and every error it logged."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def check_clean(self, server) -> None:
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith(server.url)] == []


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(url: str) -> Visit:
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_page
    for v in opened:
        v.context.close()


def test_search_as_you_type_lists_concepts_and_opens_one(server, visit):
    v = visit(server.url)
    v.page.fill("#search", "short of breth")
    v.page.wait_for_function("() => document.querySelectorAll('#results a').length > 0")
    assert v.page.inner_text("#results li:first-child a") == "dyspnea"
    v.page.press("#search", "Enter")
    v.page.wait_for_url("**/concept/mbc:Dyspnea")
    assert v.page.inner_text("#label") == "dyspnea"
    v.check_clean(server)


def test_search_says_when_nothing_matches(server, visit):
    v = visit(server.url)
    v.page.fill("#search", "zzzqqqxxx")
    v.page.wait_for_function("() => document.getElementById('search-status').textContent.includes('No concept')")
    assert v.js("() => document.querySelectorAll('#results li').length") == 0
    v.check_clean(server)


def test_concept_page_shows_edges_with_evidence_and_their_documents(server, visit, kg):
    v = visit(server.url + "concept/mbc:BrainMetastasis")
    seizure = v.page.locator(f'li.edge[data-relation=hasSymptom][data-target="{kg.concept("seizure").iri}"]')
    item = kg.evidence("brain metastasis", "has symptom", "seizure")[0]
    assert item.quote in seizure.inner_text() and item.source in seizure.inner_text()
    v.page.screenshot(path=str(_artifact("served-concept.png")), full_page=False)
    v.check_clean(server)


def test_graph_view_expands_a_node_neighbourhood_on_click(server, visit, kg):
    focus = str(kg.concept("liver metastasis").iri)
    v = visit(server.url + "graph?focus=" + quote(focus, safe=""))
    v.page.wait_for_function("() => window.mbcGraph && window.mbcGraph.ready && window.mbcGraph.settled")
    before = set(v.js("() => window.mbcGraph.nodes.getIds()"))
    assert focus in before and str(kg.concept("jaundice").iri) in before

    def neighbours(iri):
        return {target for _, target in kg.neighborhood(iri, 1).out_edges(iri)}

    node = max(sorted(before - {focus}), key=lambda iri: len(neighbours(iri) - before))  # one that adds nodes
    position = v.js(f"() => window.mbcGraph.network.canvasToDOM(window.mbcGraph.network.getPositions([{node!r}])[{node!r}])")
    box = v.page.locator("#graph").bounding_box()
    v.page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    v.page.wait_for_function(f"() => window.mbcGraph.expanded.has({node!r}) && window.mbcGraph.pending === 0")
    after = set(v.js("() => window.mbcGraph.nodes.getIds()"))
    assert neighbours(node) <= after and after > before
    assert v.page.inner_text("#graph-details h2") == kg.concepts.get(node).label
    v.page.screenshot(path=str(_artifact("served-graph.png")))
    v.check_clean(server)


def test_path_view_lists_the_steps(server, visit, kg):
    v = visit(server.url + "path?from=HER2-positive&to=trastuzumab")
    steps = v.page.inner_text("#path")
    for _, relation, target in kg.path("HER2-positive", "trastuzumab").steps:
        assert kg.relation_label(relation) in steps and kg.concepts.get(target).label in steps
    v.check_clean(server)


def test_query_runs_from_the_editor_and_fills_the_table(server, visit):
    v = visit(server.url + "query")
    v.page.select_option("#examples", index=1)  # the first competency question
    assert "mbc:BoneMetastasis mbc:hasSymptom" in v.page.input_value("#editor")
    v.page.click("#run")
    v.page.wait_for_function("() => !window.mbcQuery.running && window.mbcQuery.result")
    cells = v.js("() => [...document.querySelectorAll('#query-results td')].map(td => td.textContent)")
    assert "bone pain" in cells and "pathologic fracture" in cells
    assert v.page.get_attribute("#downloads a[data-format=csv]", "href").startswith("/sparql?query=SELECT")
    v.page.screenshot(path=str(_artifact("served-query.png")))
    v.check_clean(server)


def test_editor_shows_the_line_and_column_of_a_syntax_error(server, visit):
    v = visit(server.url + "query")
    v.page.fill("#editor", "SELECT ?x WHERE {\n  ?x rdfs:label ?y\n")
    v.page.press("#editor", "Control+Enter")
    v.page.wait_for_function("() => !window.mbcQuery.running && document.getElementById('query-status').className === 'error'")
    assert "line 3" in v.page.inner_text("#query-status")
    assert [e for e in v.errors if "400" not in e] == []  # the browser logs the 400 itself; nothing else
    assert [url for url in v.requests if not url.startswith(server.url)] == []


def pwned(v: Visit) -> str:
    return v.js("() => typeof window.__pwned")


def test_hostile_labels_show_as_text_on_every_page(hostile_server, visit):
    base = hostile_server.url
    concept = visit(base + "concept/mbc:HostileThing")
    assert concept.page.inner_text("#label") == HOSTILE["label"]
    assert HOSTILE["definition"].replace("\u2028", "") in concept.page.inner_text("#definition").replace("\u2028", "")
    bone = visit(base + "concept/mbc:BoneMetastasis")
    assert HOSTILE["quote"] in bone.page.inner_text("#edges") and HOSTILE["source"] in bone.page.inner_text("#edges")
    search = visit(base)
    search.page.fill("#search", "hostile")
    search.page.wait_for_function("() => document.querySelectorAll('#results a').length > 0")
    assert HOSTILE["label"] in search.page.inner_text("#results")
    graph = visit(base + "graph?focus=mbc:HostileThing")
    graph.page.wait_for_function("() => window.mbcGraph && window.mbcGraph.ready")
    path = visit(base + "path?from=bone+metastasis&to=mbc:HostileThing")
    assert HOSTILE["label"] in path.page.inner_text("#path")
    query = visit(base + "query")
    query.page.fill("#editor", "SELECT ?l ?d WHERE { mbc:HostileThing rdfs:label ?l ; skos:definition ?d }")
    query.page.click("#run")
    query.page.wait_for_function("() => !window.mbcQuery.running && window.mbcQuery.result")
    assert HOSTILE["label"] in query.page.inner_text("#query-results")
    for v in (concept, bone, search, graph, path, query):
        assert pwned(v) == "undefined"
        v.check_clean(hostile_server)


def _artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
