"""The HTML views in a real headless Chromium: offline, interactive, and safe.

Each view is saved to a file and opened from ``file://``; the page must make
no request but the file itself, log no error, draw the nodes and edges the
view holds, filter by search and category, and show a node's details with
the evidence quote and its document. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import json

import pytest

import mbc_graph
from mbc_graph.viz import visualize

from browser import ARTIFACTS, CHROMIUM, chromium, open_view
from test_viz import HOSTILE, hostile_turtle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

METRICS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b
    if METRICS:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "viz-metrics.json").write_text(json.dumps(METRICS, indent=2))


@pytest.fixture(scope="module")
def views(kg, tmp_path_factory):
    """The full map, a neighbourhood and a path, saved as files."""
    folder = tmp_path_factory.mktemp("views")
    made = {
        "full": kg.visualize(),
        "focus": kg.visualize(focus="bone metastasis", radius=1),
        "path": kg.visualize_path("bone", "bone metastasis"),
    }
    return {name: (view, view.save(folder / f"{name}.html")) for name, view in made.items()}


@pytest.fixture(scope="module")
def opened(browser, views):
    pages = {}
    for name, (view, path) in views.items():
        page = open_view(browser, path)
        METRICS[name] = {"bytes": path.stat().st_size, "load_seconds": round(page.load_seconds, 2),
                         "nodes": len(view.node_ids), "edges": len(view.edges)}
        pages[name] = page
    return pages


def iri(kg, name):
    return str(kg.concept(name).iri)


def details_text(page) -> str:
    return page.page.inner_text("#mbc-details")


# -- loading -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["full", "focus", "path"])
def test_view_loads_offline_without_errors(opened, name):
    page = opened[name]
    assert page.requests == [page.url]
    assert page.errors == []
    css = page.js("() => [...document.styleSheets].flatMap(s => [...s.cssRules].map(r => r.selectorText || ''))")
    assert ".vis-overlay" in css and "div.vis-color-picker" in css  # vis-network CSS, injected by its bundle
    page.screenshot(f"{name}.png")


@pytest.mark.parametrize("name", ["full", "focus", "path"])
def test_network_holds_the_nodes_and_edges_of_the_view(opened, views, name):
    view, _ = views[name]
    page = opened[name]
    assert sorted(page.js("() => window.mbcView.nodes.getIds()")) == sorted(view.node_ids)
    edges = page.js("() => window.mbcView.edges.get().map(e => [e.from, e.relation, e.to])")
    assert sorted(map(tuple, edges)) == sorted(view.edges)
    assert sorted(page.js("() => window.mbcView.visibleNodeIds()")) == sorted(view.node_ids)
    assert page.js("() => window.mbcView.network.physics.options.enabled") is False  # the layout stays still


def test_layout_spreads_the_full_map_over_the_canvas(opened):
    page = opened["full"]
    box = page.js("""() => {
        const positions = Object.values(window.mbcView.network.getPositions());
        const xs = positions.map(p => p.x), ys = positions.map(p => p.y);
        return {w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys),
                scale: window.mbcView.network.getScale()};
    }""")
    assert box["w"] > 1500 and box["h"] > 1000  # not collapsed into a ball
    assert box["scale"] > 0.2  # and fitted at a scale where hub labels are legible


# -- search and filters --------------------------------------------------------------------------
def test_search_box_shows_matches_and_their_neighbours(opened, views, kg):
    page = opened["full"]
    view, _ = views["full"]
    page.page.fill("#mbc-search", "bone mets")
    visible = set(page.js("() => window.mbcView.visibleNodeIds()"))
    bone_mets = iri(kg, "bone metastasis")
    neighbours = {o if s == bone_mets else s for s, _, o in view.edges if bone_mets in (s, o)}
    assert bone_mets in visible and neighbours <= visible and len(visible) < len(view.node_ids)
    assert "bone metastasis" in page.page.inner_text("#mbc-matches")
    page.page.press("#mbc-search", "Enter")  # opens the first match
    assert details_text(page).startswith("bone metastasis")
    page.page.fill("#mbc-search", "")
    assert len(page.js("() => window.mbcView.visibleNodeIds()")) == len(view.node_ids)


def test_search_matches_synonyms_and_says_when_nothing_matches(opened, kg):
    page = opened["full"]
    assert iri(kg, "metastatic breast cancer") in page.js("() => window.mbcView.search('stage IV breast cancer')")
    assert page.js("() => window.mbcView.search('zzzz no such thing')") == []
    assert page.page.inner_text("#mbc-search-status") == "0 matches"
    assert page.js("() => window.mbcView.visibleNodeIds().length") == 0
    page.js("() => window.mbcView.search('')")


def test_category_checkbox_hides_and_shows_a_category(opened, views):
    page = opened["full"]
    view, _ = views["full"]
    drugs = {n["id"] for n in view.payload["nodes"] if n["group"] == "drug"}
    page.page.uncheck('input[data-category="drug"]')
    visible = set(page.js("() => window.mbcView.visibleNodeIds()"))
    assert drugs and not visible & drugs and len(visible) == len(view.node_ids) - len(drugs)
    visible_edges = page.js("() => window.mbcView.edges.get().filter(e => !e.hidden).map(e => [e.from, e.to])")
    assert not any(set(e) & drugs for e in visible_edges)
    assert "of" in page.page.inner_text("#mbc-counts")
    page.page.check('input[data-category="drug"]')
    assert len(page.js("() => window.mbcView.visibleNodeIds()")) == len(view.node_ids)
    page.page.click("#mbc-none")
    assert page.js("() => window.mbcView.visibleNodeIds().length") == 0
    page.page.click("#mbc-all")
    assert len(page.js("() => window.mbcView.visibleNodeIds()")) == len(view.node_ids)


def test_legend_lists_each_category_with_its_shape(opened, views):
    page = opened["full"]
    view, _ = views["full"]
    rows = page.js("""() => [...document.querySelectorAll('#mbc-categories label')].map(l =>
        [l.querySelector('input').dataset.category, l.querySelector('svg polygon, svg circle').getAttribute('fill')])""")
    assert rows == [[c["key"], c["color"]] for c in view.payload["categories"]]


# -- details and evidence ----------------------------------------------------------------------------
def click_node(page, node_id):
    """Click on a node where the canvas draws it."""
    x, y = page.js("""(id) => {
        const net = window.mbcView.network, p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('mbc-network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", node_id)
    page.page.mouse.click(x, y)


def test_clicking_a_node_shows_its_details_and_evidence(opened, kg):
    page = opened["focus"]
    bone = iri(kg, "bone")
    click_node(page, bone)
    text = details_text(page)
    assert text.startswith("bone\n") and kg.concept("bone").definition in text
    assert "skeleton" in text  # a synonym
    assert "UBERON:0001474" in text  # a cross-reference
    evidence = kg.evidence("bone metastasis", "located in", "bone")
    assert "located in" in text
    assert evidence[0].source in text and evidence[0].quote in text


def test_clicking_a_node_in_the_full_map(opened, kg):
    page = opened["full"]
    liver_mets = iri(kg, "liver metastasis")
    page.js("(id) => window.mbcView.select(id)", liver_mets)  # zooms to it
    page.js("() => window.mbcView.network.unselectAll()")
    page.page.click("#mbc-fit")
    page.js("(id) => window.mbcView.network.focus(id, {scale: 1.2, animation: false})", liver_mets)
    click_node(page, liver_mets)
    assert page.js("() => window.mbcView.network.getSelectedNodes()") == [liver_mets]
    text = details_text(page)
    assert text.startswith("liver metastasis")
    item = kg.evidence("liver metastasis", "located in", "liver")[0]
    assert item.source in text and (item.quote or item.note) in text
    page.screenshot("full-selected.png")
    page.page.click("#mbc-fit")


def test_clicking_an_edge_shows_its_evidence(opened, views, kg):
    page = opened["focus"]
    view, _ = views["focus"]
    edge_id = next(k for k, e in view.payload["edgeInfo"].items() if e["relation"] == "locatedIn")
    assert page.js("(id) => window.mbcView.selectEdge(id)", edge_id) is True
    text = details_text(page)
    item = kg.evidence("bone metastasis", "located in", "bone")[0]
    assert "located in" in text and item.source in text and item.quote in text


def test_an_association_edge_says_how_often_and_the_legend_tells_the_styles_apart(opened, views, kg):
    page = opened["focus"]
    view, _ = views["focus"]
    located = next(k for k, e in view.payload["edgeInfo"].items() if e["relation"] == "locatedIn")
    page.js("(id) => window.mbcView.selectEdge(id)", located)
    assert "always (axiom)" in details_text(page)
    edge_id, info = next((k, e) for k, e in view.payload["edgeInfo"].items()
                         if e["relation"] == "hasSymptom" and e["qualifier"] not in (None, "always"))
    assert page.js("(id) => window.mbcView.selectEdge(id)", edge_id) is True
    assert f"how often: {info['qualifier']}" in details_text(page)
    legend = page.page.inner_text("#mbc-edge-kinds")
    assert "always (axiom)" in legend and f"{info['qualifier']}" in legend


def test_focus_view_opens_on_the_focus(browser, views, kg):
    page = open_view(browser, views["focus"][1])
    assert details_text(page).startswith("bone metastasis")


def test_path_view_lays_the_steps_out_in_order_with_evidence(opened, views, kg):
    page = opened["path"]
    view, _ = views["path"]
    xs = page.js("(ids) => ids.map(id => window.mbcView.network.getPosition(id).x)", view.payload["path"])
    assert xs == sorted(xs)
    text = details_text(page)
    for s, r, o in kg.path("bone", "bone metastasis").steps:
        item = kg.evidence(s, r, o)[0]
        assert item.source in text and (item.quote or item.note) in text


# -- hostile data ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    kg = mbc_graph.load(extra=[hostile_turtle(folder / "hostile.ttl")])
    node = str(kg.concept(HOSTILE["label"]).iri)
    view = visualize(kg, focus="bone metastasis", radius=1, title=HOSTILE["label"])
    page = open_view(browser, view.save(folder / "hostile.html"))
    return kg, node, view, page


def pwned(page):
    return page.js("() => typeof window.__pwned")


def test_hostile_labels_do_not_run_and_show_literally(hostile):
    kg, node, view, page = hostile
    assert page.errors == [] and page.requests == [page.url]
    assert pwned(page) == "undefined"
    assert page.page.title() == HOSTILE["label"]
    assert page.page.inner_text("#mbc-title") == HOSTILE["label"]
    assert page.js("(id) => window.mbcView.select(id)", node) is True
    panel = page.page.locator("#mbc-details")
    assert panel.locator("h2").inner_text() == HOSTILE["label"]
    text = panel.inner_text()
    assert HOSTILE["definition"].replace("\u2028", "\n").split("\n")[0] in text
    assert HOSTILE["synonym"] in text and HOSTILE["comment"] in text
    page.js("() => window.mbcView.selectEdge(Object.keys(window.mbcView.data.edgeInfo).find("
            "k => window.mbcView.data.edgeInfo[k].evidence.some(e => e.source.startsWith('evil'))))")
    text = page.page.inner_text("#mbc-details")
    assert HOSTILE["source"] in text and HOSTILE["quote"] in text
    assert page.js("() => document.querySelectorAll('img, a[href], [onerror], [onmouseover]').length") == 0
    assert pwned(page) == "undefined"
    page.screenshot("hostile.png")


def test_hostile_labels_are_safe_in_search_results_and_tooltips(hostile):
    kg, node, view, page = hostile
    page.page.fill("#mbc-search", "hostile")
    assert HOSTILE["label"] in page.page.inner_text("#mbc-matches")
    tooltip = page.js("(id) => { const t = window.mbcView.nodes.get(id).title;"
                      " return [t instanceof HTMLElement, t.textContent, t.querySelectorAll('*').length]; }", node)
    assert tooltip[0] is True and HOSTILE["label"] in tooltip[1] and tooltip[2] == 2  # <strong> and <div>
    box = page.js("""(id) => { const net = window.mbcView.network, p = net.canvasToDOM(net.getPosition(id));
        const r = document.getElementById('mbc-network').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
                  node)
    page.page.mouse.move(*box)
    page.page.wait_for_timeout(400)
    assert pwned(page) == "undefined"
    page.page.fill("#mbc-search", "")


def test_notebook_frame_runs_the_view_sandboxed(browser, hostile):
    kg, node, view, _ = hostile
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(f"<html><body>{view._repr_html_()}</body></html>")
    frame = page.frames[1]
    frame.wait_for_function("() => window.mbcView && window.mbcView.ready === true", timeout=60_000)
    assert sorted(frame.evaluate("() => window.mbcView.nodes.getIds()")) == sorted(view.node_ids)
    assert frame.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert frame.evaluate("() => document.getElementById('mbc-title').textContent") == HOSTILE["label"]
    assert errors == []
    page.close()
