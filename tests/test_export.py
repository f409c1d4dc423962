"""Export: every format reads back, GraphML opens in networkx, and writes are atomic."""

from __future__ import annotations

import os
import stat

import networkx as nx
import pytest
import rdflib

import mbc_graph
from mbc_graph import export as export_module
from mbc_graph.export import Format, export, resolve_format
from mbc_graph.namespaces import MBC

# rdflib's own JSON-LD and TriG parsers use its deprecated ConjunctiveGraph when reading back
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BONE_METASTASIS = str(MBC.BoneMetastasis)


def distinct_triples(kg) -> int:
    return len({(s, p, o) for s, p, o, _ in kg.store.quads()})


def distinct_quads(kg) -> int:
    return len(set(kg.store.quads()))


# -- formats -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extension", "expected"),
    [("ttl", Format.TURTLE), (".nt", Format.NTRIPLES), ("jsonld", Format.JSONLD), ("JSON", Format.JSONLD),
     ("trig", Format.TRIG), ("nq", Format.NQUADS), ("graphml", Format.GRAPHML), ("owl", None), ("", None)],
)
def test_format_from_extension(extension, expected):
    assert Format.from_extension(extension) is expected


@pytest.mark.parametrize(("name", "expected"), [("turtle", Format.TURTLE), ("n-triples", Format.NTRIPLES),
                                                ("json-ld", Format.JSONLD), ("GraphML", Format.GRAPHML)])
def test_format_parse_accepts_common_names(name, expected):
    assert Format.parse(name) is expected


def test_unknown_format_lists_the_valid_ones(kg, tmp_path):
    with pytest.raises(ValueError, match="ttl, nt, jsonld, trig, nq, graphml"):
        export(kg, tmp_path / "graph.ttl", "rdfxml")
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension_without_format_is_refused(kg, tmp_path):
    with pytest.raises(ValueError, match=r"Cannot tell the export format.*graph\.owl"):
        export(kg, tmp_path / "graph.owl")
    assert list(tmp_path.iterdir()) == []


def test_format_argument_wins_over_extension():
    assert resolve_format("graph.txt", "nt") is Format.NTRIPLES
    assert resolve_format("graph.ttl", Format.GRAPHML) is Format.GRAPHML


# -- RDF round trips ------------------------------------------------------------------------------
@pytest.mark.parametrize(("filename", "rdflib_format"),
                         [("mbc.ttl", "turtle"), ("mbc.nt", "nt"), ("mbc.jsonld", "json-ld"), ("mbc.json", "json-ld")])
def test_rdf_export_round_trips_every_triple(kg, tmp_path, filename, rdflib_format):
    written = export(kg, tmp_path / filename)
    assert written == tmp_path / filename
    graph = rdflib.Graph().parse(written, format=rdflib_format)
    assert len(graph) == distinct_triples(kg)
    # the ontology and the materialized relation graph are both there
    assert (MBC.BoneMetastasis, rdflib.RDFS.label, rdflib.Literal("bone metastasis", lang="en")) in graph
    assert (MBC.BoneMetastasis, MBC.locatedIn, MBC.Bone) in graph


@pytest.mark.parametrize(("filename", "rdflib_format"), [("mbc.trig", "trig"), ("mbc.nq", "nquads")])
def test_graph_keeping_formats_keep_the_named_graphs(kg, tmp_path, filename, rdflib_format):
    dataset = rdflib.Dataset().parse(export(kg, tmp_path / filename), format=rdflib_format)
    assert len(list(dataset.quads())) == distinct_quads(kg)
    relations = dataset.graph(rdflib.URIRef("https://w3id.org/mbc-graph/graph/relations"))
    assert (MBC.BoneMetastasis, MBC.locatedIn, MBC.Bone) in relations


def test_export_includes_the_users_extra_files(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text('@prefix ex: <http://example.org/> .\nex:alice ex:hasCondition ex:bones .\n', encoding="utf-8")
    kg = mbc_graph.load(extra=[extra])
    graph = rdflib.Graph().parse(kg.export(tmp_path / "all.nt"), format="nt")
    ex = rdflib.Namespace("http://example.org/")
    assert (ex.alice, ex.hasCondition, ex.bones) in graph
    assert len(graph) == distinct_triples(kg)


def test_both_stores_export_the_same_triples(tmp_path):
    from_memory = rdflib.Graph().parse(export(mbc_graph.load(store="memory"), tmp_path / "memory.nt"), format="nt")
    from_oxigraph = rdflib.Graph().parse(export(mbc_graph.load(store="oxigraph"), tmp_path / "oxigraph.nt"),
                                         format="nt")
    assert len(from_oxigraph) == len(from_memory)

    def ground(graph):
        return {t for t in graph if not any(isinstance(term, rdflib.BNode) for term in t)}

    assert ground(from_oxigraph) == ground(from_memory)


# -- GraphML -----------------------------------------------------------------------------------
def test_graphml_opens_in_networkx_with_labels(kg, tmp_path):
    G = nx.read_graphml(export(kg, tmp_path / "mbc.graphml"), force_multigraph=True)
    source = kg.to_networkx()
    assert G.number_of_nodes() == source.number_of_nodes()
    assert G.number_of_edges() == source.number_of_edges()
    node = G.nodes[BONE_METASTASIS]
    assert node["label"] == "bone metastasis"
    assert node["curie"] == "mbc:BoneMetastasis"
    assert node["category"] == "metastasis"
    edges = G.get_edge_data(BONE_METASTASIS, str(MBC.Bone))
    assert {"relation": "locatedIn", "label": "located in", "qualifier": "always", "condition": ""} in edges.values()


def test_graphml_attributes_are_strings_and_never_missing(kg, tmp_path):
    G = nx.read_graphml(export(kg, tmp_path / "mbc.graphml"), force_multigraph=True)
    node_keys = {key for _, data in G.nodes(data=True) for key in data}
    assert {"label", "category", "curie", "iri"} <= node_keys
    for _, data in G.nodes(data=True):
        assert set(data) == node_keys  # every node has every attribute
        assert all(isinstance(v, str) and v != "None" for v in data.values())
    for _, _, data in G.edges(data=True):
        assert set(data) == {"relation", "label", "qualifier", "condition"}
        assert all(isinstance(v, str) for v in data.values())
        assert data["relation"] and data["label"] and data["qualifier"]  # condition: empty when the source names none
    written = {k: v for k, v in G.graph.items() if k not in ("node_default", "edge_default")}  # added by the reader
    assert written and all(isinstance(v, str) for v in written.values())


# -- atomic writes -----------------------------------------------------------------------------
def _fail_halfway(self_or_graph, destination, *args, **kwargs):
    destination.write(b"<partial output>")
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize(("filename", "target", "attribute"), [
    ("mbc.ttl", rdflib.Graph, "serialize"),
    ("mbc.trig", rdflib.Dataset, "serialize"),
    ("mbc.graphml", nx, "write_graphml"),
])
def test_failure_mid_write_leaves_the_old_file_and_no_temp_file(kg, tmp_path, monkeypatch, filename, target, attribute):
    existing = tmp_path / filename
    existing.write_bytes(b"# the previous export\n")
    before = existing.read_bytes()
    monkeypatch.setattr(target, attribute, _fail_halfway)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export(kg, existing)
    assert existing.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [filename]


def test_interrupted_write_leaves_no_temp_file(kg, tmp_path, monkeypatch):
    def interrupt(kg, stream, fmt):
        stream.write(b"@prefix")
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "_write_rdf", interrupt)
    with pytest.raises(KeyboardInterrupt):
        export(kg, tmp_path / "mbc.ttl")
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_is_an_os_error_naming_it(kg, tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-dir"):
        export(kg, tmp_path / "no-such-dir" / "mbc.ttl")


def test_replacing_a_file_keeps_its_permissions(kg, tmp_path):
    existing = tmp_path / "mbc.nt"
    existing.write_text("old\n")
    existing.chmod(0o640)
    export(kg, existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    assert existing.read_text(encoding="utf-8") != "old\n"


def test_new_file_gets_the_usual_permissions(kg, tmp_path):
    mask = os.umask(0o022)
    try:
        written = export(kg, tmp_path / "mbc.nt")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
