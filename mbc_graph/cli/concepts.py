"""``mbc-graph show``, ``relations``, ``path`` and ``evidence``: concepts, relations, paths and their sources."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from ..errors import NoPath
from ..evidence import ALWAYS, only_low_rated
from ..namespaces import PREFIXES, curie
from . import arguments  # load_graph is looked up at each call, so tests can replace it
from .arguments import _FORMAT_HELP, _TABLE_FORMATS, _add_text_or_json, _command, _positive_int
from .environment import Environment, ExitStatus, NoEvidence
from .output import _output_format, write_records

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph


def _add_show(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "show", cmd_show,
                   "show a concept: definition, synonyms, cross-references, parents and edges",
                   epilog='example:\n  mbc-graph show "bone mets"')
    sub.add_argument("concept", metavar="CONCEPT", help="a label, synonym, CURIE, cross-reference or IRI")
    _add_text_or_json(sub)
    return sub


def describe_concept(kg: KnowledgeGraph, text: str) -> dict[str, Any]:
    """Everything ``show`` prints about a concept, as plain data."""
    # both import rdflib, which --help and a cached search do without
    from ..namespaces import RELATION_GRAPH
    from ..qualifiers import qualifiers_of_edges

    concept = kg.concept(text)
    labels = _relation_labels(kg)
    rows = kg.query("SELECT ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": concept.iri, "g": RELATION_GRAPH}).rows
    qualified = qualifiers_of_edges(kg, concept.iri)
    edges: list[dict[str, Any]] = []
    for row in rows:
        target = kg.concepts.get(str(row.o))
        if target is None:
            continue
        name = str(row.p).rsplit("/", 1)[-1]
        edge = (str(concept.iri), str(row.p), str(row.o))
        qualifier, condition = qualified.get(edge, (ALWAYS, None))
        edges.append({"relation": name, "relation_label": labels.get(name, name),
                      "target": target.curie, "target_label": target.label,
                      "qualifier": qualifier, "condition": condition,
                      "low_rated_only": only_low_rated(kg.evidence(concept.iri, name, target.iri))})
    edges.sort(key=lambda e: (e["relation_label"], e["target_label"].casefold()))
    return {
        "label": concept.label,
        "curie": concept.curie,
        "iri": str(concept.iri),
        "category": concept.category,
        "definition": concept.definition,
        "synonyms": list(concept.synonyms),
        "xrefs": dict(sorted(concept.xrefs.items())),
        "parents": [_concept_ref(kg, _expand(p)) for p in concept.parents],
        "edges": edges,
    }


def _expand(curie_or_iri: str) -> str:
    prefix, colon, local = curie_or_iri.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else curie_or_iri


def format_concept(info: dict[str, Any]) -> str:
    """The text ``show`` prints for :func:`describe_concept`'s data."""
    fields = [
        ("category", info["category"] or ""),
        ("definition", info["definition"] or ""),
        ("synonyms", "; ".join(info["synonyms"])),
        ("xrefs", "; ".join(f"{x} ({kind})" for x, kind in info["xrefs"].items())),
        ("parents", "; ".join(f"{p['label']} ({p['curie']})" for p in info["parents"])),
        ("iri", info["iri"]),
    ]
    lines = [f"{info['label']} ({info['curie']})"]
    lines += [f"  {name + ':':<12}{value}" for name, value in fields if value]
    current = None
    for edge in info["edges"]:
        if edge["relation_label"] != current:
            current = edge["relation_label"]
            lines += ["", f"{current}:"]
        how = ", ".join(part for part in (edge["qualifier"], edge["condition"]) if part)
        how += "; only low-rated sources" if edge["low_rated_only"] else ""
        lines.append(f"  {edge['target_label']} ({edge['target']})  [{how}]")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph show``: a concept and its outgoing edges."""
    info = describe_concept(arguments.load_graph(args), args.concept)
    env.write(json.dumps(info, indent=2, ensure_ascii=False) if args.format == "json" else format_concept(info))
    return ExitStatus.SUCCESS


def _add_relations(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "relations", cmd_relations,
                   "list the relations (edge types) with their inverses, domains and ranges")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


RELATION_COLUMNS = ("name", "label", "inverse", "domain", "range", "definition")


def cmd_relations(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph relations``: the relation table read from the ontology."""
    kg = arguments.load_graph(args)
    fmt = _output_format(args, env)
    joined = (lambda values: list(values)) if fmt == "json" else (lambda values: " ".join(values))
    rows = [[r.name, r.label, r.inverse, joined(r.domain), joined(r.range), r.definition]
            for r in kg.relations.values()]
    write_records(env, fmt, RELATION_COLUMNS, rows)
    return ExitStatus.SUCCESS


def _add_path(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "path", cmd_path, "explain how two concepts are connected",
                   description="Print the shortest directed path from A to B, one relation per step, "
                               "or with --all every simple path up to --max-length steps, shortest first.",
                   epilog='examples:\n  mbc-graph path "HER2-positive breast cancer" trastuzumab\n'
                          '  mbc-graph path "bone pain" "bone scan" --all --max-length 3')
    sub.add_argument("source", metavar="A", help="where the path starts")
    sub.add_argument("target", metavar="B", help="where the path ends")
    sub.add_argument("--all", action="store_true", help="list all simple paths, not just the shortest")
    sub.add_argument("--max-length", type=_positive_int, default=4, metavar="N",
                     help="with --all: at most N steps (default: 4, capped at 8)")
    sub.add_argument("--relation", "-r", action="append", metavar="R",
                     help="walk only this relation (name or label, e.g. treatedBy or 'treated by'; "
                          "'is a' for subclass links); repeatable")
    _add_text_or_json(sub)
    return sub


def _path_data(kg: KnowledgeGraph, path, labels: dict[str, str]) -> dict[str, Any]:
    steps = []
    for source, relation, target in path.steps:
        s, t = _concept_ref(kg, source), _concept_ref(kg, target)
        steps.append({"source": s["curie"], "source_label": s["label"], "relation": relation,
                      "relation_label": labels.get(relation, relation),
                      "target": t["curie"], "target_label": t["label"]})
    return {"length": len(path.steps), "text": path.text, "steps": steps}


def cmd_path(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph path``: the shortest path, or all simple paths, explained."""
    kg = arguments.load_graph(args)
    if args.all:
        found = kg.paths(args.source, args.target, args.max_length, relations=args.relation)
        if not found:
            raise NoPath(kg.concept(args.source).label, kg.concept(args.target).label, args.relation)
    else:
        found = [kg.path(args.source, args.target, relations=args.relation)]
    if args.format == "json":
        labels = _relation_labels(kg)
        data = {"source": _concept_ref(kg, kg.concept(args.source).iri),
                "target": _concept_ref(kg, kg.concept(args.target).iri),
                "paths": [_path_data(kg, p, labels) for p in found]}
        env.write(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write("\n".join(p.text for p in found))
    return ExitStatus.SUCCESS


def _add_evidence(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "evidence", cmd_evidence, "show the sources and quotes behind an edge",
                   description="Show the evidence for the edge SUBJECT --RELATION--> OBJECT: each source "
                               "document and the sentence it says it in. Inverse and inherited edges are "
                               "followed to the axiom that states them.",
                   epilog='example:\n  mbc-graph evidence "brain metastasis" "has symptom" seizure\n\n'
                          "RELATION is a relation name or label (hasSymptom, 'has symptom') or 'is a';\n"
                          "`mbc-graph relations` lists them, `mbc-graph show CONCEPT` lists a concept's edges.")
    sub.add_argument("subject", metavar="SUBJECT", help="the concept the edge starts from")
    sub.add_argument("relation", metavar="RELATION", help="the relation (see `mbc-graph relations`)")
    sub.add_argument("object", metavar="OBJECT", help="the concept the edge points to")
    _add_text_or_json(sub)
    return sub


def cmd_evidence(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph evidence``: the sources and quotes behind one edge."""
    kg = arguments.load_graph(args)
    items = kg.evidence(args.subject, args.relation, args.object)
    if not items:
        s, o = kg.concept(args.subject).label, kg.concept(args.object).label
        raise NoEvidence(f"No evidence for {s!r} {args.relation} {o!r}: the graph has no such edge "
                          f"(see `mbc-graph show {json.dumps(s)}`).")
    if args.format == "json":
        data = {"subject": _concept_ref(kg, kg.concept(args.subject).iri),
                "relation": _relation_ref(kg, args.relation),
                "object": _concept_ref(kg, kg.concept(args.object).iri),
                "evidence": [asdict(item) for item in items]}
        env.write(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write(kg.explain(args.subject, args.relation, args.object))
    return ExitStatus.SUCCESS


def _concept_ref(kg: KnowledgeGraph, iri) -> dict[str, str]:
    concept = kg.concepts.get(str(iri))
    return {"curie": curie(str(iri)), "label": concept.label if concept else curie(str(iri))}


def _relation_ref(kg: KnowledgeGraph, name: str) -> dict[str, str]:
    return {"name": kg.relation_name(name), "label": kg.relation_label(name)}


def _relation_labels(kg: KnowledgeGraph) -> dict[str, str]:
    return kg.to_networkx().graph["relation_labels"]
