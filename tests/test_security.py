"""Findings of the security review (../shared/reviews/security-review.md), one section each.

Each test fails on the code the review was made on. Deep or crashing inputs
run in a child process, so that a crash fails the test instead of ending the run.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from io import StringIO

import networkx as nx
import pytest

import mbc_graph
from mbc_graph import cli
from mbc_graph.namespaces import MBC

HEADER = """@prefix mbc: <https://w3id.org/mbc-graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def user_file(tmp_path, body: str, name: str = "user.ttl"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# -- F12: GraphML with control characters -------------------------------------------------------
def test_graphml_export_of_a_label_with_a_control_character_is_well_formed(tmp_path):
    data = user_file(tmp_path, 'mbc:X a owl:Class ; rdfs:label "a\\u0001b" ; rdfs:subClassOf mbc:BonePain .\n')
    kg = mbc_graph.load(extra=[data])
    G = nx.read_graphml(kg.export(tmp_path / "graph.graphml"))
    assert G.nodes[str(MBC.X)]["label"] == "a\\u0001b"


# -- F15: terminal escapes from data --------------------------------------------------------------
ESCAPES = ('mbc:Esc a owl:Class ; rdfs:label "bone pain \\u001b]0;pwned\\u0007\\u001b[2J\\u009b31mFAKE\\r" ; '
           'skos:definition "x\\u001b[8mhidden" ; rdfs:subClassOf mbc:BonePain .\n')


@pytest.mark.parametrize("command", [["show", "mbc:Esc"], ["search", "bone pain"],
                                     ["query", "SELECT ?l WHERE { mbc:Esc rdfs:label ?l }"]])
def test_cli_output_escapes_control_characters_from_data(tmp_path, command):
    data = user_file(tmp_path, ESCAPES)
    out, err = StringIO(), StringIO()
    assert cli.main(["--extra", str(data), *command], stdout=out, stderr=err) == 0, err.getvalue()
    text = out.getvalue()
    assert "\\u001b" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b\r")


def test_cli_json_output_still_carries_the_exact_label(tmp_path):
    data = user_file(tmp_path, ESCAPES)
    out = StringIO()
    assert cli.main(["--extra", str(data), "show", "mbc:Esc", "--format", "json"], stdout=out) == 0
    assert "\x9b" not in out.getvalue()
    assert json.loads(out.getvalue())["label"] == "bone pain \x1b]0;pwned\x07\x1b[2J\x9b31mFAKE\r"



# -- F4: the reasoner and owl:imports -----------------------------------------------------------------
@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    connections: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                connections.append(conn.recv(300))
                conn.sendall(b"HTTP/1.0 404 Not Found\r\n\r\n")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], connections
    finally:
        stop.set()
        thread.join()
        server.close()


def test_the_reasoner_never_follows_owl_imports(tmp_path, monkeypatch, listener):
    pytest.importorskip("owlready2")
    port, connections = listener
    data = user_file(tmp_path, f"mbc:mbc.ttl owl:imports <http://127.0.0.1:{port}/x.owl> .\n"
                               f"mbc:Other owl:imports <file://{tmp_path}/secret.owl> .\n")
    java = tmp_path / "java"  # the request came before Java started: a stub that fails stands in for it
    java.write_text("#!/bin/sh\nexit 1\n")
    java.chmod(0o700)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    kg = mbc_graph.load(extra=[data])
    with pytest.raises(mbc_graph.MBCGraphError, match="reasoner"):
        kg.validate(reasoner=True, shacl=False)
    assert connections == []
