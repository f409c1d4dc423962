"""``mbc-graph search`` answers from a cache of concept names; the cache is used only when it is safe."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from mbc_graph.cli import arguments as cli_arguments  # where the commands look up load_graph
from mbc_graph.cli import main


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("MBC_GRAPH_CACHE_DIR", str(directory))
    return directory


def search(*argv: str) -> tuple[int, list[dict]]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["search", *argv, "-f", "json"], stdout=out, stderr=err)
    return status, json.loads(out.getvalue()) if out.getvalue() else []


def forbid_loading(monkeypatch):
    def refuse(args):
        raise AssertionError("the graph was loaded")

    monkeypatch.setattr(cli_arguments, "load_graph", refuse)


def names_file(cache: Path) -> Path:
    [path] = cache.glob("names-*.json")
    return path


def test_the_second_search_does_not_load_the_graph(cache, monkeypatch):
    status, first = search("jaundise")
    assert status == 0 and first[0]["label"] == "jaundice"
    assert names_file(cache).stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o077 == 0
    forbid_loading(monkeypatch)
    assert search("jaundise") == (0, first)
    assert search("HP:0000952")[1][0]["curie"] == "mbc:Jaundice"


def test_the_fast_path_imports_no_rdflib(cache):
    import subprocess

    search("jaundice")  # fill the cache
    code = "import sys; from mbc_graph.cli import main; main(['search', 'jaundice']); print('rdflib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1])))
    assert "mbc:Jaundice" in out.stdout and out.stdout.strip().endswith("False")


def test_user_files_bypass_the_cache(cache, tmp_path):
    search("jaundice")
    extra = tmp_path / "mine.ttl"
    extra.write_text('@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
                     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                     '<https://w3id.org/mbc-graph/Jaundice> rdfs:label "zzyellowzz"@en .\n', encoding="utf-8")
    status, hits = search("zzyellowzz", "--extra", str(extra))
    assert status == 0 and hits[0]["curie"] == "mbc:Jaundice"


def test_a_damaged_cache_is_recomputed(cache):
    search("jaundice")
    names_file(cache).write_text('{"concepts": [1, 2', encoding="utf-8")
    assert search("jaundice")[1][0]["label"] == "jaundice"
    assert json.loads(names_file(cache).read_text(encoding="utf-8"))["concepts"]


def plant(cache: Path) -> Path:
    """Fill the cache, then plant a false label in it."""
    search("jaundice")
    path = names_file(cache)
    data = json.loads(path.read_text(encoding="utf-8"))
    for iri, entry in data["concepts"].items():
        if entry[2] == "mbc:Jaundice":
            entry[0] = "PLANTED"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_cache_dir_others_can_write_is_not_used(cache):
    plant(cache)
    assert search("jaundice")[1][0]["label"] == "PLANTED"  # the user's own file is trusted
    cache.chmod(0o777)
    assert search("jaundice")[1][0]["label"] == "jaundice"


def test_a_cache_file_others_can_write_is_not_used(cache):
    plant(cache).chmod(0o666)
    assert search("jaundice")[1][0]["label"] == "jaundice"


def test_a_cache_of_another_user_is_not_used(cache, monkeypatch):
    plant(cache)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    assert search("jaundice")[1][0]["label"] == "jaundice"


def test_a_symlinked_cache_file_is_not_used(cache, tmp_path):
    path = plant(cache)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert search("jaundice")[1][0]["label"] == "jaundice"


def test_caching_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("MBC_GRAPH_CACHE_DIR", "")
    assert search("jaundice")[1][0]["label"] == "jaundice"
    assert not cache.exists()
