"""A user's install: the wheel, in a fresh virtualenv, used from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.once  # independent of the store under test: run in the first pass only

ROOT = Path(__file__).resolve().parent.parent
#: The installed wheel is tested alone: a PYTHONPATH pointing at a checkout would shadow it.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT)],
                   check=True, capture_output=True)
    (found,) = tmp.glob("mbc_graph-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Path:
    """A fresh virtualenv with the wheel (not an editable install) and its dependencies."""
    tmp = tmp_path_factory.mktemp("pkg")
    venv.create(tmp / "env", with_pip=True)
    python = tmp / "env" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return python


def test_wheel_ships_the_ontology_and_works_from_any_directory(installed, tmp_path):
    code = (
        "import mbc_graph, pathlib; kg = mbc_graph.load();"
        "print(kg.concept('bone mets').label);"
        "print(pathlib.Path(mbc_graph.bundled_ontology()).is_relative_to(pathlib.Path(mbc_graph.__file__).parent))"
    )
    out = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env=CLEAN_ENV)
    assert out.stdout.split() == ["bone", "metastasis", "True"]


def test_console_script_is_installed(installed, tmp_path):
    script = installed.parent / "mbc-graph"
    out = subprocess.run([str(script), "search", "yellowing skin", "--limit", "1"], cwd=tmp_path,
                         capture_output=True, text=True, env=CLEAN_ENV)
    assert out.returncode == 0, out.stderr
    assert "jaundice" in out.stdout


def test_optional_extras_are_optional(installed, tmp_path):
    """The default install runs the fast store; a feature of an extra says which extra to install."""
    code = ("import mbc_graph\nkg = mbc_graph.load()\nprint(kg.store.name)\n"
            "try:\n    kg.validate()\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={**CLEAN_ENV, "MBC_GRAPH_STORE": ""})
    store, message = out.stdout.splitlines()
    assert store == "oxigraph"
    assert "pip install 'mbc-graph[validate]'" in message


def test_wheel_metadata_covers_what_ships(wheel):
    """Both licenses, the typing marker, the links, and the one version."""
    import zipfile
    from email.parser import HeaderParser

    import mbc_graph

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
        licenses = {n.split("/licenses/", 1)[1] for n in names if "/licenses/" in n}
        cc_by = archive.read(next(n for n in names if n.endswith("licenses/LICENSES/CC-BY-4.0.txt"))).decode()
    assert metadata["License-Expression"] == "MIT AND CC-BY-4.0"
    assert licenses == {"LICENSE", "LICENSES/CC-BY-4.0.txt"}
    assert cc_by.startswith("Creative Commons Attribution 4.0 International")
    assert {"mbc_graph/py.typed", "mbc_graph/ontology/mbc.ttl"} <= names
    assert metadata["Version"] == mbc_graph.__version__
    assert any(url.startswith("Homepage, https://") for url in metadata.get_all("Project-URL"))


def test_the_demo_runs_on_the_core_install_alone(installed, tmp_path):
    """`make demo` installs the package without extras; the demo must not need them."""
    out = subprocess.run([str(installed), "-m", "mbc_graph.demo", "explorer.html"], cwd=tmp_path,
                         capture_output=True, text=True, env=CLEAN_ENV)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "explorer.html").is_file()


def test_to_dataframe_names_its_own_extra(installed, tmp_path):
    code = "import mbc_graph\ntry:\n    mbc_graph.load().query('ASK {}').to_dataframe()\nexcept ImportError as e:\n    print(e)"
    out = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env=CLEAN_ENV)
    assert "pip install 'mbc-graph[dataframe]'" in out.stdout


def test_citation_file_is_valid_cff():
    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "license"} <= set(citation)
    assert "version" not in citation  # one source for the version: mbc_graph.__version__
