"""The HTML views: what they show, the evidence they carry, escaping and saving.

Browser behaviour (loading offline, search, filters, clicks) is tested in
``test_viz_browser.py``; these tests check the data and the page text.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mbc_graph
from mbc_graph import ConceptNotFound, NoPath, UnknownRelation
from mbc_graph.viz import CATEGORY_STYLES, VIS_NETWORK_VERSION, GraphView, from_query, script_json, visualize
from mbc_graph.viz.select import Context

VIZ = Path(mbc_graph.__file__).parent / "viz"
HOSTILE = {
    "label": 'hostile </script><script>window.__pwned=1</script> label',
    "definition": '<img src=x onerror="window.__pwned=1"> defined & "quoted" \u2028 here',
    "synonym": '" href="javascript:window.__pwned=1" x="',
    "comment": "<!--<script>window.__pwned=1</script>-->",
    "quote": '<img src=x onerror="window.__pwned=1"> a quote </script>',
    "source": "evil</script><script>window.__pwned=1</script>.txt",
}


def hostile_turtle(path: Path) -> Path:
    """A user file whose class, synonyms, definition and evidence are all hostile."""
    lit = lambda s: json.dumps(s, ensure_ascii=True)  # a valid Turtle string literal  # noqa: E731
    path.write_text(f"""
@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

mbc:HostileThing a owl:Class ;
    rdfs:label {lit(HOSTILE["label"])}@en ;
    skos:definition {lit(HOSTILE["definition"])}@en ;
    skos:altLabel {lit(HOSTILE["synonym"])}@en, {lit(HOSTILE["comment"])}@en ;
    rdfs:subClassOf mbc:Symptom .

mbc:BoneMetastasis rdfs:subClassOf _:r .
_:r a owl:Restriction ; owl:onProperty mbc:hasSymptom ; owl:someValuesFrom mbc:HostileThing .
[] a owl:Axiom ; owl:annotatedSource mbc:BoneMetastasis ; owl:annotatedProperty rdfs:subClassOf ;
   owl:annotatedTarget _:r ; mbc:hasEvidence mbc:ev_hostile .
mbc:ev_hostile a owl:NamedIndividual, mbc:DocumentEvidence ;
    mbc:quote {lit(HOSTILE["quote"])} ; mbc:source mbc:doc_hostile .
mbc:doc_hostile a owl:NamedIndividual, mbc:SourceDocument ;
    dcterms:identifier {lit(HOSTILE["source"])} ; dcterms:title "<b>bold</b> title" .
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full(kg):
    return kg.visualize()


@pytest.fixture(scope="module")
def hostile_kg(tmp_path_factory):
    return mbc_graph.load(extra=[hostile_turtle(tmp_path_factory.mktemp("hostile") / "hostile.ttl")])


def iri(kg, name: str) -> str:
    return str(kg.concept(name).iri)


def data_json(page: str):
    match = re.search(r'<script type="application/json" id="mbc-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


class Tags(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


# -- escaping ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", list(HOSTILE.values()) + ["a\u2028b\u2029c", "<!-- x -->", "&amp; &lt;"])
def test_script_json_cannot_break_out_and_reads_back(text):
    encoded = script_json({"label": text})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"label": text}


def test_page_text_escapes_the_heading_and_embeds_data_as_json(full):
    view = GraphView(dict(full.payload, title=HOSTILE["label"]))
    page = view.html
    assert HOSTILE["label"] not in page
    assert f"<title>{html.escape(HOSTILE['label'])}</title>" in page
    assert data_json(page)["title"] == HOSTILE["label"]
    assert page.count("</script>") == 3  # data, vis-network, explorer: nothing else closes a script


def test_page_loads_nothing_from_anywhere(full):
    parser = Tags()
    parser.feed(full.html)
    assert [tag for tag, _ in parser.tags if tag in ("link", "img", "iframe", "object", "embed")] == []
    assert all("src" not in attrs and "href" not in attrs for _, attrs in parser.tags)
    csp = next(a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'") and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", full.html)
    assert "@import" not in full.html


def test_hostile_user_file_is_escaped_everywhere(hostile_kg):
    view = visualize(hostile_kg, focus="bone metastasis", radius=1, title=HOSTILE["label"])
    page = view.html
    for text in HOSTILE.values():
        assert text not in page
    parser = Tags()
    parser.feed(page)
    assert "img" not in {tag for tag, _ in parser.tags}
    assert not [name for _, attrs in parser.tags for name in attrs if name.startswith("on")]
    data = data_json(page)
    node = iri(hostile_kg, "bone metastasis").replace("BoneMetastasis", "HostileThing")
    assert data["info"][node]["label"] == HOSTILE["label"]
    assert data["info"][node]["definition"] == HOSTILE["definition"]
    assert HOSTILE["synonym"] in data["info"][node]["synonyms"]
    evidence = [e for info in data["edgeInfo"].values() if info["to"] == node for e in info["evidence"]]
    assert evidence == [{"source": HOSTILE["source"], "title": "<b>bold</b> title", "quote": HOSTILE["quote"],
                         "note": None, "curated": False, "assertedOn": None, "rating": None}]


def test_associations_are_drawn_apart_from_axioms_with_a_legend(kg):
    """A 'can'/'in selected cases' edge is dashed in its own style; an axiom is a solid line."""
    from mbc_graph.viz.styles import EDGE_STYLES, QUALIFIER_STYLES

    data = visualize(kg, focus="triple-negative breast cancer", radius=1).payload
    by_target = {(info["relation"], info["to"]): (edge_id, info) for edge_id, info in data["edgeInfo"].items()}
    edge_id, info = by_target[("treatedBy", iri(kg, "immune checkpoint inhibitor therapy"))]
    assert (info["qualifier"], info["condition"]) == ("in selected cases", "with specific biomarkers")
    drawn = next(e for e in data["edges"] if e["id"] == edge_id)
    assert drawn["dashes"] == QUALIFIER_STYLES["in selected cases"]["dashes"]
    assert data["edgeKinds"]["in selected cases"] == QUALIFIER_STYLES["in selected cases"]
    located = visualize(kg, focus="bone metastasis", radius=1).payload
    edge_id, info = next((i, x) for i, x in located["edgeInfo"].items() if x["relation"] == "locatedIn")
    assert info["qualifier"] == "always"
    assert next(e for e in located["edges"] if e["id"] == edge_id)["dashes"] is EDGE_STYLES["stated"]["dashes"]
    page = visualize(kg, focus="triple-negative breast cancer", radius=1).html
    assert "in selected cases (association)" in page and "qualifierLine" in page


def test_notebook_frame_escapes_the_whole_page(full):
    frame = full._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts"' in frame
    srcdoc = re.match(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and ">" not in srcdoc
    assert html.unescape(srcdoc) == full.html
    assert str(full) == full.html


# -- what the views show ----------------------------------------------------------------
BACKBONE = ["breast cancer", "metastatic breast cancer", "bone metastasis", "HER2-positive breast cancer", "HER2",
            "brain", "liver metastasis", "bone"]


def test_full_view_shows_the_domain_concepts_not_the_vocabulary(kg, full):
    shown = set(full.node_ids)
    assert {iri(kg, name) for name in BACKBONE} <= shown
    roots = {str(c.iri) for c in kg.concepts if c.category and not c.parents}
    assert not shown & roots  # category roots (mbc:Symptom...) are classes of things, not things
    assert str(mbc_graph.namespaces.MBC.Evidence) not in shown
    categories = {node["group"] for node in full.payload["nodes"]}
    assert categories <= set(CATEGORY_STYLES) and "other" not in categories


def test_full_view_draws_each_relation_once_in_its_stated_direction(kg, full):
    relations = {r for _, r, _ in full.edges}
    assert "subClassOf" in relations and "locatedIn" in relations
    assert not relations & {"hasSubclass", "suggests", "siteOf", "detects"}
    assert len(set(full.edges)) == len(full.edges)
    labels = {e["relation"]: e["label"] for e in full.payload["edges"]}
    assert labels["locatedIn"] == kg.relations["locatedIn"].label and labels["subClassOf"] == "is a"
    assert (iri(kg, "bone metastasis"), "locatedIn", iri(kg, "bone")) in full.edges


def test_full_view_leaves_out_inherited_edges_that_is_a_already_says(full):
    assert {e["kind"] for e in full.payload["edges"]} <= {"stated", "is a"}


def test_nodes_grow_with_their_degree(kg, full):
    value = {n["id"]: n["value"] for n in full.payload["nodes"]}
    assert value[iri(kg, "metastatic breast cancer")] > value[iri(kg, "bone")]


def test_details_carry_definition_synonyms_xrefs_and_evidence(kg, full):
    bone_mets = kg.concept("bone metastasis")
    info = full.payload["info"][str(bone_mets.iri)]
    assert info["label"] == "bone metastasis" and info["category"] == "metastasis"
    assert info["definition"] == bone_mets.definition
    assert set(info["synonyms"]) == set(bone_mets.synonyms) and "bone mets" in info["synonyms"]
    assert info["xrefs"] == sorted([k, v] for k, v in bone_mets.xrefs.items())
    edge = next(e for e in full.payload["edgeInfo"].values()
                if (e["from"], e["relation"], e["to"]) == (str(bone_mets.iri), "locatedIn", iri(kg, "bone")))
    expected = kg.evidence("bone metastasis", "located in", "bone")
    assert expected and [(e["source"], e["quote"]) for e in edge["evidence"]] == [(e.source, e.quote) for e in expected]


def _evidence_sample(ctx, per_kind: int, seed: int = 7):
    """Edges of every kind: stated, inherited, inverse, subclass and superclass links."""
    kinds = {}
    for u, v, key in sorted(ctx.G.edges(keys=True)):
        forward = ctx.evidence.forward(u, key, v)
        kind = key if key in ("subClassOf", "hasSubclass") else (
            "inverse" if forward[1] != key else "stated" if forward in ctx.evidence.stated_edges else "inherited")
        kinds.setdefault(kind, []).append((u, key, v))
    assert set(kinds) == {"subClassOf", "hasSubclass", "inverse", "stated", "inherited"}
    rng = random.Random(seed)
    return [edge for edges in kinds.values() for edge in rng.sample(edges, min(per_kind, len(edges)))]


@pytest.mark.parametrize("store,per_kind", [("memory", 2), ("oxigraph", 15)])
def test_batched_evidence_matches_kg_evidence_edge_by_edge(store, per_kind):
    graph = mbc_graph.load(store=store)
    ctx = Context(graph)
    for u, key, v in _evidence_sample(ctx, per_kind):
        expected = graph.evidence(v, "subClassOf", u) if key == "hasSubclass" else graph.evidence(u, key, v)
        assert ctx.evidence.get(u, key, v) == expected, (u, key, v)


def test_focus_view_is_the_neighbourhood(kg):
    view = kg.visualize(focus="bone metastasis", radius=1)
    center = iri(kg, "bone metastasis")
    assert view.payload["focus"] == center and view.payload["mode"] == "focus"
    assert {iri(kg, "bone"), iri(kg, "breast cancer metastasis")} <= set(view.node_ids)
    assert all(center in (s, o) or {s, o} <= set(view.node_ids) for s, _, o in view.edges)
    neighbours = {o if s == center else s for s, _, o in view.edges if center in (s, o)}
    assert set(view.node_ids) == neighbours | {center}
    assert kg.visualize(focus="bone metastasis", radius=0).node_ids == [center]


def test_focus_view_draws_inherited_edges_of_the_focus_dashed(kg):
    view = kg.visualize(focus="bone metastasis", radius=1)
    inherited = [e for e in view.payload["edges"] if e["kind"] == "inherited"]
    assert all(e["dashes"] for e in inherited)
    assert all(iri(kg, "bone metastasis") in (e["from"], e["to"]) for e in inherited)
    none = visualize(kg, focus="bone metastasis", radius=1, inherited=False)
    assert {e["kind"] for e in none.payload["edges"]} <= {"stated", "is a"}


def test_filters_by_category_and_relation(kg):
    view = kg.visualize(categories=["metastasis", "anatomical site"])
    assert {n["group"] for n in view.payload["nodes"]} == {"metastasis", "site"}
    assert kg.visualize(categories="site").node_ids == kg.visualize(categories=["site"]).node_ids
    located = kg.visualize(relations=["located in"])
    assert {r for _, r, _ in located.edges} == {"locatedIn"}
    assert kg.visualize(relations=["site of"]).edges == located.edges  # an inverse means the same edges
    focus = kg.visualize(focus="bone metastasis", radius=2, categories=["site"])
    assert {n["group"] for n in focus.payload["nodes"]} == {"metastasis", "site"}  # the focus is kept


def test_bad_options_say_what_is_wrong(kg):
    with pytest.raises(ValueError, match="Unknown category 'planet'. Known categories: disease, subtype"):
        kg.visualize(categories=["planet"])
    with pytest.raises(UnknownRelation, match="orbits"):
        kg.visualize(relations=["orbits"])
    with pytest.raises(ConceptNotFound, match="Did you mean"):
        kg.visualize(focus="bone metastasys")
    with pytest.raises(ValueError, match="radius"):
        kg.visualize(focus="bone", radius=-1)
    with pytest.raises(NoPath):
        kg.visualize(path=("bone", "HER2"), relations=["located in"])


def test_path_view_follows_kg_path_with_evidence_for_each_step(kg):
    expected = kg.path("bone", "bone metastasis")
    view = kg.visualize_path("bone", "bone metastasis")
    assert view.edges == [tuple(step) for step in expected.steps]
    assert view.payload["path"] == [expected.steps[0][0]] + [v for _, _, v in expected.steps]
    assert view.labels[0] == "bone" and view.labels[-1] == "bone metastasis"
    for (s, r, o), info in zip(expected.steps, view.payload["edgeInfo"].values()):
        items = kg.evidence(s, r, o)
        assert [(e["source"], e["quote"]) for e in info["evidence"]] == [(e.source, e.quote) for e in items]
    assert all(e["kind"] == "path" for e in view.payload["edges"])
    assert view.payload["options"]["physics"] == {"enabled": False}
    assert visualize(kg, path=expected).edges == view.edges


def test_claims_can_be_drawn_with_their_sources(kg):
    claims = kg.claims(about="metastatic breast cancer")
    view = visualize(kg, focus="metastatic breast cancer", radius=0, claims=True)
    shown = {n["id"]: n for n in view.payload["nodes"] if n["group"] == "claim"}
    assert set(shown) == {c.iri for c in claims}
    claim = claims[0]
    info = view.payload["info"][claim.iri]
    assert info["statement"] == claim.statement and info["status"] == claim.status
    assert [e["source"] for e in info["evidence"]] == [e.source for e in claim.evidence]
    assert (claim.iri, "about", iri(kg, "metastatic breast cancer")) in view.edges


# -- query results -------------------------------------------------------------------------
def test_from_query_draws_construct_and_select_triples(kg):
    construct = kg.query("CONSTRUCT { ?m mbc:locatedIn ?site } WHERE { ?m rdfs:subClassOf ?r . "
                         "?r owl:onProperty mbc:locatedIn ; owl:someValuesFrom ?site }")
    view = from_query(kg, construct)
    assert (iri(kg, "bone metastasis"), "locatedIn", iri(kg, "bone")) in view.edges
    assert {r for _, r, _ in view.edges} == {"locatedIn"}
    edge = next(e for e in view.payload["edgeInfo"].values() if e["from"] == iri(kg, "bone metastasis"))
    assert edge["evidence"] and edge["label"] == "located in"
    select = kg.query("SELECT ?s ?p ?o WHERE { ?s rdfs:subClassOf ?o . BIND(rdfs:subClassOf AS ?p) }",
                      {"s": kg.concept("bone metastasis").iri})
    sub = from_query(kg, select, title="parents")
    assert sub.title == "parents" and (iri(kg, "bone metastasis"), "subClassOf", iri(kg, "breast cancer metastasis")) in sub.edges


def test_from_query_lists_literals_in_details(kg):
    result = kg.query("CONSTRUCT { ?c rdfs:label ?l ; skos:exactMatch ?x } WHERE { ?c rdfs:label ?l ; "
                      "skos:exactMatch ?x }", {"c": kg.concept("bone").iri})
    view = from_query(kg, result)
    bone = iri(kg, "bone")
    assert ["rdfs:label", "bone"] in view.payload["info"][bone]["values"]
    assert any(node.startswith("http://purl.obolibrary.org/obo/UBERON_") for node in view.node_ids)


def test_from_query_refuses_what_it_cannot_draw(kg):
    with pytest.raises(ValueError, match=r"SELECT with the variables \?s \?p \?o; this SELECT has \?x"):
        from_query(kg, kg.query("SELECT ?x WHERE { ?x a owl:Class } LIMIT 1"))
    with pytest.raises(ValueError, match="ASK"):
        from_query(kg, kg.query("ASK { ?x a owl:Class }"))
    with pytest.raises(TypeError, match="query result or an rdflib Graph"):
        from_query(kg, [("a", "b", "c")])


# -- saving ----------------------------------------------------------------------------------
def test_save_writes_one_whole_file(full, tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")
    assert full.save(target) == target
    assert target.read_text(encoding="utf-8") == full.html
    assert os.listdir(tmp_path) == ["map.html"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_failed_save_leaves_the_old_file_and_no_temp_file(full, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        full.save(target)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["map.html"]


def test_save_into_a_missing_directory_fails_cleanly(full, tmp_path):
    with pytest.raises(FileNotFoundError):
        full.save(tmp_path / "nope" / "map.html")
    assert not (tmp_path / "nope").exists()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- styles and vendored files ------------------------------------------------------------------
def test_every_category_has_its_own_colour_and_shape_pair(kg):
    colours = [s.color for s in CATEGORY_STYLES.values()]
    assert len(set(colours)) == len(colours)
    pairs = [(s.color, s.shape) for s in CATEGORY_STYLES.values()]
    assert len(set(pairs)) == len(pairs)
    used = {c.category for c in kg.concepts if c.category}
    assert used <= set(CATEGORY_STYLES), used - set(CATEGORY_STYLES)


def test_vendored_vis_network_is_the_recorded_release_with_its_licences():
    vendor = VIZ / "vendor" / "vis-network"
    header = (vendor / "vis-network.min.js").read_text(encoding="utf-8")[:600]
    assert f"@version {VIS_NETWORK_VERSION}" in header
    assert "MIT License" in (vendor / "LICENSE-MIT").read_text()
    assert "Apache License" in (vendor / "LICENSE-APACHE-2.0").read_text()
    assert VIS_NETWORK_VERSION in (vendor / "README.md").read_text()


def test_pyvis_is_imported_only_when_a_view_is_built():
    import subprocess
    import sys

    code = "import sys, mbc_graph, mbc_graph.viz; print('pyvis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
