"""Where the data shipped with the package lives (no heavy imports: the CLI's fast paths use it)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_ontology() -> Path:
    """The path of the ontology shipped with the package.

    An installed wheel carries it as ``mbc_graph/ontology/mbc.ttl``; a source
    checkout reads ``ontology/mbc.ttl`` beside the package.
    """
    packaged = resources.files("mbc_graph").joinpath("ontology", "mbc.ttl")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "ontology" / "mbc.ttl"


def bundled_reference() -> Path:
    """The reference extracts shipped with the package (``ontology/reference/``, see its README.md).

    The ones whose license is unverified hold ids and labels only; the
    cross-reference checks need no more.
    """
    packaged = resources.files("mbc_graph").joinpath("ontology", "reference")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "ontology" / "reference"
