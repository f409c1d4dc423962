"""``mbc-graph export``, ``validate``, ``viz``, ``synth`` and ``verify-sources``: commands that write or check files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..export_formats import Format, resolve_format
from ..provenance import verify_sources
from . import arguments  # load_graph is looked up at each call, so tests can replace it
from .arguments import _FORMAT_HELP, _TABLE_FORMATS, _add_text_or_json, _command, _nonnegative_int, _positive_int
from .environment import PROG, Environment, ExitStatus, UsageError
from .output import _output_format, write_records


def _add_export(commands) -> argparse.ArgumentParser:
    sub = _command(
        commands, "export", cmd_export, "write the graph to a file (RDF or GraphML)",
        description="""\
Write the ontology, the relation graph and any --extra files to FILE,
atomically (an existing FILE is replaced only once the new one is complete).
ttl, nt and jsonld merge everything into one graph; trig and nq keep the
named graphs apart; graphml holds the relation graph (concepts and their
edges, with evidence) for Gephi or Cytoscape; neo4j writes a directory of
CSV files for neo4j-admin database import (or Cytoscape).""",
        epilog="examples:\n  mbc-graph export mbc.ttl\n  mbc-graph export graph.xml --format graphml\n"
               "  mbc-graph export mbc-csv --format neo4j",
    )
    sub.add_argument("file", metavar="FILE", help="the file to write")
    sub.add_argument("--format", "-f", choices=[f.value for f in Format],
                     help="file format (default: from the extension: .ttl .nt .jsonld/.json .trig .nq .graphml; "
                          "neo4j: a directory)")
    return sub


def cmd_export(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph export``: write the graph to a file, atomically."""
    from ..export import export, summary  # imports rdflib, which --help and a cached search do without

    fmt = resolve_format(args.file, args.format)  # a bad name fails before the graph loads
    kg = arguments.load_graph(args)
    _report_written(env, export(kg, args.file, fmt), summary(kg, fmt))
    return ExitStatus.SUCCESS


def _report_written(env: Environment, path: Path, what: str) -> None:
    """Say on stderr what a command wrote (stdout stays for data)."""
    env.stderr.write(f"{PROG}: wrote {path}: {what}\n")


def _add_validate(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "validate", cmd_validate,
                   "check the ontology (and --extra files) against the SHACL shapes and QC rules",
                   description="Run SHACL and the ontology QC checks; exit with status 4 when a check fails.")
    _add_text_or_json(sub)
    return sub


def cmd_validate(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph validate``: SHACL and QC; status 4 when the report is not ok."""
    report = arguments.load_graph(args).validate()
    if args.format == "json":
        data = report.to_json()
        env.write(data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False))
    else:
        env.write(report.to_text())
    return ExitStatus.SUCCESS if report.ok else ExitStatus.ERROR_VALIDATION


def _add_viz(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "viz", cmd_viz, "write an interactive HTML view of the graph",
                   description="Write a self-contained HTML view (works offline): the whole graph, the "
                               "neighbourhood of --focus, or the path --from A --to B.",
                   epilog='examples:\n  mbc-graph viz --focus "liver metastasis" --radius 1 -o liver.html\n'
                          '  mbc-graph viz --from "HER2-positive breast cancer" --to trastuzumab -o path.html\n'
                          "  mbc-graph viz --category symptom --category metastasis -o symptoms.html")
    sub.add_argument("--output", "-o", metavar="FILE.html", required=True, help="the HTML file to write")
    sub.add_argument("--focus", metavar="CONCEPT", help="centre the view on this concept")
    sub.add_argument("--radius", type=_nonnegative_int, default=1, metavar="N",
                     help="with --focus: show concepts up to N steps away (default: 1)")
    sub.add_argument("--from", dest="path_from", metavar="A", help="show the shortest path from A (needs --to)")
    sub.add_argument("--to", dest="path_to", metavar="B", help="show the shortest path to B (needs --from)")
    sub.add_argument("--category", "-c", action="append", metavar="C",
                     help="keep only concepts of this category (site, symptom, therapy, ...); repeatable")
    sub.add_argument("--relation", "-r", action="append", metavar="R", help="keep only this relation; repeatable")
    return sub


def cmd_viz(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph viz``: write an interactive HTML view."""
    if (args.path_from is None) != (args.path_to is None):
        raise UsageError("--from and --to go together: give both ends of the path")
    kg = arguments.load_graph(args)
    path = (args.path_from, args.path_to) if args.path_from is not None else None
    view = kg.visualize(focus=args.focus, radius=args.radius, relations=args.relation,
                        categories=args.category, path=path)
    written = view.save(args.output)
    _report_written(env, written, f"{view.title!r}, {len(view.node_ids)} concepts and {len(view.edges)} edges")
    return ExitStatus.SUCCESS


def _add_synth(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "synth", cmd_synth, "write a synthetic patient cohort coded with the ontology",
                   description="Write a reproducible synthetic cohort (no real patients) as Turtle; "
                               "load it back with --extra.",
                   epilog="example:\n  mbc-graph synth --patients 200 --seed 7 -o cohort.ttl\n"
                          "  mbc-graph --extra cohort.ttl query patients.rq")
    sub.add_argument("--patients", "-n", type=_positive_int, default=100, metavar="N",
                     help="number of patients (default: 100)")
    sub.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    sub.add_argument("--output", "-o", metavar="FILE", required=True, help="the Turtle file to write")
    return sub


def cmd_synth(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph synth``: write a synthetic cohort as Turtle."""
    from .. import synth  # imports rdflib, which --help and a cached search do without

    synth.write_cohort(args.output, n_patients=args.patients, seed=args.seed)
    return ExitStatus.SUCCESS


def _add_verify_sources(commands) -> argparse.ArgumentParser:
    sub = _command(commands, "verify-sources", cmd_verify_sources,
                   "check a copy of the source documents against every quote",
                   description="Check the documents in DIR (named as `mbc-graph show` cites them) against the "
                               "SHA-256 and the quote positions the ontology records; report each mismatch.",
                   epilog="example:\n  mbc-graph verify-sources ../shared/seeds")
    sub.add_argument("directory", metavar="DIR", help="the folder holding the source documents")
    sub.add_argument("--format", "-f", choices=_TABLE_FORMATS, help=_FORMAT_HELP)
    return sub


def cmd_verify_sources(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``mbc-graph verify-sources``: every quote checked against the user's copy of its document."""
    checks = verify_sources(arguments.load_graph(args), args.directory)
    rows = [[c.file, c.status, c.quotes, c.verified, c.title] for c in checks]
    write_records(env, _output_format(args, env), ("file", "status", "quotes", "verified", "title"), rows)
    for check in checks:
        for problem in check.problems:
            env.stderr.write(f"{PROG}: {problem}\n")
    return ExitStatus.SUCCESS if all(c.ok for c in checks) else ExitStatus.ERROR_VALIDATION
