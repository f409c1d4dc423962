"""The notebooks in notebooks/ run top to bottom, without error, in a fresh kernel.

Each notebook is executed with nbclient in its own kernel, with a temporary
directory as the working directory (so files a notebook saves land there).
The kernel is this interpreter: a ``python3`` kernel spec written for
``sys.executable`` is put first on ``JUPYTER_PATH``, so a ``python3`` spec in
the user's own Jupyter folders cannot send the notebooks to another Python
that lacks mbc_graph.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from nbclient import NotebookClient

pytestmark = pytest.mark.once  # independent of the store under test: run in the first pass only

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

CELL_TIMEOUT = 120  # seconds per cell
#: Committed notebooks keep their outputs short; an embedded graph view is ~1 MB.
MAX_NOTEBOOK_BYTES = 100_000


@pytest.fixture(scope="session")
def jupyter_path(tmp_path_factory) -> Path:
    """A Jupyter data folder whose ``python3`` kernel runs this interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(root / "kernels" / "python3")
    return root


def test_the_notebooks_are_there():
    names = [p.stem for p in NOTEBOOKS]
    for expected in ("01_quickstart", "02_sparql", "03_paths", "04_visualization"):
        assert expected in names, f"notebooks/{expected}.ipynb is missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_small(path):
    size = path.stat().st_size
    assert size < MAX_NOTEBOOK_BYTES, (
        f"{path.name} is {size // 1024} KB: clear the outputs of the graph-view cells "
        "(tagged 'view') before committing"
    )


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, jupyter_path, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        record_timing=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [out for cell in notebook.cells for out in cell.get("outputs", []) if out.output_type == "error"]
    assert not errors
