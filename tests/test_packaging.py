"""A user's install: the wheel, in a fresh virtualenv, used from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel (not an editable install) and its dependencies."""
    tmp = tmp_path_factory.mktemp("pkg")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = (tmp / "dist").glob("mbc_graph-*.whl")
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
    out = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["bone", "metastasis", "True"]


def test_console_script_is_installed(installed, tmp_path):
    script = installed.parent / "mbc-graph"
    out = subprocess.run([str(script), "search", "yellowing skin", "--limit", "1"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "jaundice" in out.stdout


def test_optional_extras_are_optional(installed, tmp_path):
    """The default install runs the fast store; a feature of an extra says which extra to install."""
    code = ("import mbc_graph\nkg = mbc_graph.load()\nprint(kg.store.name)\n"
            "try:\n    kg.validate()\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={**os.environ, "MBC_GRAPH_STORE": ""})
    store, message = out.stdout.splitlines()
    assert store == "oxigraph"
    assert "pip install 'mbc-graph[validate]'" in message
