"""The relation graph as node and edge records, for GraphML and for the Neo4j/Cytoscape CSV files.

One record per concept (``id``, ``label``, ``category``, ``curie``,
``definition``, ``synonyms``, ``xrefs``) and one per edge, with an id of its
own (``e1``, ``e2``... in a stable order), its ``relation``, ``label``,
``qualifier`` (how often it holds, where the ontology says), and its
evidence: the ``sources`` (document file names or reference records) and
the verbatim ``quotes``.

The CSV files follow the header format of ``neo4j-admin database import``
(``id:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``, typed
properties, arrays split at ``;``) and import as plain tables in Cytoscape.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .evidence_index import evidence_index
from .files import write_text_atomically

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
NOTICE = ("mbc-graph: a knowledge graph of metastatic breast cancer. Educational content, not medical advice. "
          f"Ontology and data under CC BY 4.0 ({LICENSE}); cite mbc-graph.")
#: neo4j-admin's default array delimiter.
ARRAY_DELIMITER = ";"


@dataclass(frozen=True)
class EdgeRecord:
    """One edge of the relation graph with its evidence."""

    id: str
    source: str
    target: str
    relation: str
    label: str
    qualifier: str
    sources: tuple[str, ...]
    quotes: tuple[str, ...]


def node_records(kg: GraphCore) -> list[dict[str, str | tuple[str, ...]]]:
    """Every node of :meth:`~mbc_graph.KnowledgeGraph.to_networkx`, with its definition, synonyms and xrefs."""
    records = []
    for iri in sorted(kg.to_networkx()):
        concept = kg.concepts.get(iri)
        if concept is None:
            continue
        records.append({"id": iri, "label": concept.label, "category": concept.category or "",
                        "curie": concept.curie, "definition": concept.definition or "",
                        "synonyms": concept.synonyms, "xrefs": tuple(sorted(concept.xrefs))})
    return records


def edge_records(kg: GraphCore) -> list[EdgeRecord]:
    """Every edge of :meth:`~mbc_graph.KnowledgeGraph.to_networkx` with an id of its own and its evidence."""
    records = []
    graph = kg.to_networkx()
    evidence = evidence_index(kg)  # every edge's evidence in two queries, as kg.evidence gives it
    for number, (u, v, key, data) in enumerate(sorted(graph.edges(keys=True, data=True)), start=1):
        items = evidence.get(u, key, v)
        qualifiers = sorted({str(q) for q in (getattr(item, "qualifier", None) for item in items) if q})
        records.append(EdgeRecord(
            id=f"e{number}", source=u, target=v, relation=key, label=str(data.get("label", key)),
            qualifier="; ".join(qualifiers),
            sources=tuple(sorted({item.source for item in items})),
            quotes=tuple(dict.fromkeys(item.quote for item in items if item.quote)),
        ))
    return records


# -- Neo4j / Cytoscape CSV ---------------------------------------------------------------------------
NODE_HEADER = ("id:ID", "label", "category", "curie", "definition", "synonyms:string[]", "xrefs:string[]", ":LABEL")
EDGE_HEADER = (":START_ID", ":END_ID", ":TYPE", "id", "relation", "label", "qualifier", "sources:string[]", "quotes")


def _array(values) -> str:
    for value in values:
        if ARRAY_DELIMITER in value:
            raise ValueError(f"A list value holds the array delimiter {ARRAY_DELIMITER!r}: {value!r}")
    return ARRAY_DELIMITER.join(values)


def _csv(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_neo4j_csv(kg: GraphCore, directory: str | Path) -> Path:
    """Write ``nodes.csv``, ``relationships.csv`` and ``NOTICE.md`` into ``directory`` (created if missing).

    Import into Neo4j with::

        neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv neo4j

    ``quotes`` holds a JSON list (quotes may contain any character);
    ``:LABEL`` is ``Concept`` plus the category (``Concept;Symptom``).
    Each file is written atomically.
    """
    folder = Path(directory)
    folder.mkdir(exist_ok=True)
    nodes = [(str(n["id"]), str(n["label"]), str(n["category"]), str(n["curie"]), str(n["definition"]),
              _array(n["synonyms"]), _array(n["xrefs"]),
              _array(["Concept", *([str(n["category"]).title().replace(" ", "")] if n["category"] else [])]))
             for n in node_records(kg)]
    edges = [(e.source, e.target, e.relation, e.id, e.relation, e.label, e.qualifier, _array(e.sources),
              json.dumps(list(e.quotes), ensure_ascii=False)) for e in edge_records(kg)]
    write_text_atomically(folder / "nodes.csv", _csv([NODE_HEADER, *nodes]))
    write_text_atomically(folder / "relationships.csv", _csv([EDGE_HEADER, *edges]))
    write_text_atomically(folder / "NOTICE.md", f"{NOTICE}\n\nImport:\n\n    neo4j-admin database import full "
                                                "--nodes=nodes.csv --relationships=relationships.csv neo4j\n")
    return folder
