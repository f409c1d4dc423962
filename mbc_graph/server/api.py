"""The JSON API: concepts, search, evidence and paths, as a Python user gets them.

Each handler calls the :class:`~mbc_graph.KnowledgeGraph` methods a user
would (``kg.concept``, ``kg.neighborhood``, ``kg.evidence``, ``kg.claims``,
``kg.search_matches``, ``kg.path``/``kg.paths``) and turns the objects into
plain JSON; errors go to the app's one handler. Handlers are plain
functions: Starlette runs them in its thread pool.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..concepts import Concept
from ..errors import ConceptNotFound
from ..namespaces import PREFIXES, curie
from .errors import RequestRejected
from .notices import notice_headers, with_notice

#: The most search hits and paths one request may ask for.
MAX_SEARCH_LIMIT = 50
MAX_PATHS = 20
MAX_PATH_LENGTH = 6


def answer(body: dict) -> JSONResponse:
    """A JSON answer carrying the license and the notice."""
    return JSONResponse(with_notice(body), headers=notice_headers())


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter in ``[low, high]``; anything else is a 400."""
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise RequestRejected(400, f"{name} must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise RequestRejected(400, f"{name} must be between {low} and {high}")
    return value


def required(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise RequestRejected(400, f"the query parameter {name!r} is required")
    return value


def concept_ref(kg, iri) -> dict[str, Any]:
    """A concept named by IRI, as the API shows it wherever one is mentioned."""
    concept = kg.concepts.get(str(iri))
    return {"iri": str(iri), "curie": curie(str(iri)), "label": concept.label if concept else curie(str(iri)),
            "category": concept.category if concept else None}


def _expand(name: str) -> str:
    prefix, colon, local = name.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else name


def describe(kg, concept: Concept) -> dict[str, Any]:
    """Everything the concept page shows: the fields, every edge with its evidence, and the claims."""
    graph = kg.neighborhood(concept, 1)
    iri = str(concept.iri)
    edges = []
    for _, target, relation in sorted(graph.out_edges(iri, keys=True),
                                      key=lambda e: (kg.relation_label(e[2]), graph.nodes[e[1]]["label"].casefold())):
        edges.append({"relation": relation, "relation_label": kg.relation_label(relation),
                      "target": concept_ref(kg, target),
                      "evidence": [asdict(item) for item in kg.evidence(concept.iri, relation, target)]})
    claims = [{"statement": c.statement, "status": c.status, "status_note": c.status_note, "topic": c.topic,
               "evidence": [asdict(item) for item in c.evidence]} for c in kg.claims(about=concept)]
    return {
        **concept_ref(kg, iri),
        "definition": concept.definition,
        "synonyms": list(concept.synonyms),
        "xrefs": [{"id": xref, "match": match} for xref, match in sorted(concept.xrefs.items())],
        "parents": [concept_ref(kg, _expand(p)) for p in concept.parents],
        "edges": edges,
        "claims": claims,
    }


def resolve(request: Request) -> Concept:
    """The concept a request names: ``{curie}`` in the path, or ``?iri=``."""
    kg = request.app.state.kg
    name = request.path_params.get("curie") or required(request, "iri")
    if "iri" in request.query_params and kg.concepts.get(name) is None:
        raise ConceptNotFound(name)  # an IRI names one class exactly: no fuzzy match
    return kg.concept(name)


def concept(request: Request) -> JSONResponse:
    """``/api/concept/{curie}`` and ``/api/concept?iri=``."""
    return answer(describe(request.app.state.kg, resolve(request)))


def search(request: Request) -> JSONResponse:
    """``/api/search?q=&limit=``: concepts ranked by label and synonym, typos forgiven."""
    kg = request.app.state.kg
    text = request.query_params.get("q", "")
    limit = int_param(request, "limit", 10, 1, MAX_SEARCH_LIMIT)
    hits = [{**concept_ref(kg, m.iri), "matched": m.name, "score": m.score}
            for m in kg.search_matches(text, limit)]
    return answer({"query": text, "results": hits})


def evidence(request: Request) -> JSONResponse:
    """``/api/evidence?subject=&relation=&object=``: the evidence behind one edge."""
    kg = request.app.state.kg
    subject, relation, obj = (required(request, name) for name in ("subject", "relation", "object"))
    s, o = kg.concept(subject), kg.concept(obj)
    items = kg.evidence(s, relation, o)
    return answer({"subject": concept_ref(kg, s.iri), "object": concept_ref(kg, o.iri),
                   "relation": {"name": kg.relation_name(relation), "label": kg.relation_label(relation)},
                   "evidence": [asdict(item) for item in items]})


def paths(request: Request) -> JSONResponse:
    """``/api/paths?from=&to=``: the shortest path, or (``max_length=``) every simple path, explained."""
    return answer(find_paths(request))


def find_paths(request: Request) -> dict[str, Any]:
    """The paths a request asks for, as the API and the path page show them."""
    kg = request.app.state.kg
    source, target = kg.concept(required(request, "from")), kg.concept(required(request, "to"))
    relations = request.query_params.getlist("relation") or None
    if "max_length" in request.query_params:
        found = kg.paths(source, target, int_param(request, "max_length", 4, 1, MAX_PATH_LENGTH),
                         relations=relations, limit=int_param(request, "limit", 10, 1, MAX_PATHS))
    else:
        found = [kg.path(source, target, relations=relations)]
    return {"source": concept_ref(kg, source.iri), "target": concept_ref(kg, target.iri),
            "paths": [{"length": len(p), "text": p.text,
                       "steps": [{"source": concept_ref(kg, s), "relation": r, "relation_label": kg.relation_label(r),
                                  "target": concept_ref(kg, t)} for s, r, t in p.steps]} for p in found]}
