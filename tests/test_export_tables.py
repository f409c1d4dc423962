"""GraphML that Gephi keeps whole and CSV that neo4j-admin imports: every edge, with its evidence."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from mbc_graph.export import export
from mbc_graph.namespaces import MBC

BONE_METASTASIS, BONE_PAIN = str(MBC.BoneMetastasis), str(MBC.BonePain)
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def graphml(kg, tmp_path_factory):
    return export(kg, tmp_path_factory.mktemp("graphml") / "mbc.graphml")


def test_every_graphml_edge_has_an_id_of_its_own(kg, graphml):
    edges = ET.parse(graphml).getroot().iter(f"{GRAPHML}edge")
    ids = [edge.get("id") for edge in edges]
    assert len(ids) == kg.to_networkx().number_of_edges()
    assert len(set(ids)) == len(ids) and all(ids)  # Gephi drops an edge whose id it has seen


def test_graphml_edges_carry_their_evidence_and_nodes_their_definitions(kg, graphml):
    G = nx.read_graphml(graphml, force_multigraph=True)
    [edge] = [e for e in G.get_edge_data(BONE_METASTASIS, BONE_PAIN).values() if e["relation"] == "hasSymptom"]
    expected = kg.evidence("bone metastasis", "has symptom", "bone pain")
    assert edge["sources"].split(";") == sorted({e.source for e in expected})
    assert json.loads(edge["quotes"]) == list(dict.fromkeys(e.quote for e in expected if e.quote))
    node = G.nodes[str(MBC.TripleNegativeBreastCancer)]
    assert node["definition"] == kg.concept("TNBC").definition
    assert set(node["xrefs"].split(";")) == {"DOID:0060081", "MONDO:0005494"}
    assert "TNBC" in node["synonyms"].split(";")
    assert "not medical advice" in G.graph["notice"] and G.graph["license"].endswith("/by/4.0/")


def test_graphml_opens_in_igraph_with_every_edge(kg, graphml):
    igraph = pytest.importorskip("igraph", reason="igraph is in the dev extra")
    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g.vcount() == kg.to_networkx().number_of_nodes()
    assert g.ecount() == kg.to_networkx().number_of_edges()
    assert {"relation", "sources", "quotes"} <= set(g.es.attributes())


# -- neo4j-admin import header format ----------------------------------------------------------------
# https://neo4j.com/docs/operations-manual/current/tools/neo4j-admin/neo4j-admin-import/#import-tool-header-format
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
HEADER_FIELD = re.compile(r"(?P<name>[^:]*)(?::(?P<kind>ID|LABEL|START_ID|END_ID|TYPE|IGNORE|"
                          r"(?P<type>[a-z]+)(?P<array>\[\])?))?(?:\((?P<group>[^)]*)\))?")


def read_neo4j(path, *, relationships: bool):
    """Read a neo4j-admin CSV file as the import tool does: typed fields, arrays split at ';'."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    fields = [HEADER_FIELD.fullmatch(name) for name in header]
    assert all(fields), header
    kinds = {f["kind"] for f in fields if f["kind"] and not f["type"]}
    assert kinds == ({"START_ID", "END_ID", "TYPE"} if relationships else {"ID", "LABEL"})
    for f in fields:
        assert f["type"] is None or f["type"] in NEO4J_TYPES, f.group(0)
    records = []
    for row in body:
        assert len(row) == len(header)
        record = {}
        for f, value in zip(fields, row):
            key = f["kind"] if f["kind"] and not f["type"] else f["name"]
            record[key] = value.split(";") if f["array"] or key == "LABEL" else value
        records.append(record)
    return records


def test_neo4j_csv_follows_the_import_header_format_and_reads_back_whole(kg, tmp_path):
    folder = export(kg, tmp_path / "neo4j", "neo4j")
    nodes = read_neo4j(folder / "nodes.csv", relationships=False)
    edges = read_neo4j(folder / "relationships.csv", relationships=True)
    G = kg.to_networkx()
    ids = {n["ID"] for n in nodes}
    assert ids == set(G.nodes) and len(nodes) == len(ids)
    assert len(edges) == G.number_of_edges()
    assert all(e["START_ID"] in ids and e["END_ID"] in ids for e in edges)
    assert {(e["START_ID"], e["TYPE"], e["END_ID"]) for e in edges} == set((u, k, v) for u, v, k in G.edges(keys=True))
    tnbc = next(n for n in nodes if n["ID"] == str(MBC.TripleNegativeBreastCancer))
    assert tnbc["LABEL"] == ["Concept", "Subtype"] and "TNBC" in tnbc["synonyms"]
    [edge] = [e for e in edges if (e["START_ID"], e["TYPE"], e["END_ID"]) == (BONE_METASTASIS, "hasSymptom", BONE_PAIN)]
    assert json.loads(edge["quotes"]) and edge["sources"][0].endswith(".txt")
    assert "not medical advice" in (folder / "NOTICE.md").read_text(encoding="utf-8")
