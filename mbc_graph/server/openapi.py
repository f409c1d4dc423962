"""The OpenAPI 3.1 document of the JSON API and ``/sparql`` (served at ``/openapi.json``).

Written out rather than generated: it is the contract, and
``tests/test_server_api.py`` checks it against the routes and the answers.
"""

from __future__ import annotations

from .notices import LICENSE, LICENSE_NAME
from .settings import NOTICE


def _query(name: str, description: str, *, required: bool = False, kind: str = "string",
           array: bool = False) -> dict:
    schema: dict = {"type": kind}
    if array:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_REF = {"$ref": "#/components/schemas/ConceptRef"}
_EVIDENCE = {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _object(required: list[str], properties: dict) -> dict:
    return {"type": "object", "required": [*required, "license", "notice"],
            "properties": {**properties, "license": {"type": "object"}, "notice": {"type": "string"}}}


_ERRORS = {"400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}

_CONCEPT = _object(["iri", "curie", "label", "category", "definition", "synonyms", "xrefs", "parents", "edges",
                    "claims"], {
    "iri": {"type": "string"}, "curie": {"type": "string"}, "label": {"type": "string"},
    "category": {"type": ["string", "null"]}, "definition": {"type": ["string", "null"]},
    "synonyms": {"type": "array", "items": {"type": "string"}},
    "xrefs": {"type": "array", "items": {"type": "object", "required": ["id", "match"]}},
    "parents": {"type": "array", "items": _REF},
    "edges": {"type": "array", "items": {"type": "object", "required": ["relation", "relation_label", "target",
                                                                          "evidence"],
                                         "properties": {"target": _REF, "evidence": _EVIDENCE}}},
    "claims": {"type": "array", "items": {"type": "object", "required": ["statement", "status", "evidence"]}},
})

DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "mbc-graph",
        "version": "1",
        "description": f"The metastatic breast cancer knowledge graph. {NOTICE} Data: {LICENSE_NAME}.",
        "license": {"name": LICENSE_NAME, "url": LICENSE},
    },
    "paths": {
        "/api/concept/{curie}": {"get": {
            "summary": "A concept: fields, parents, every edge with its evidence, and claims with their status",
            "parameters": [{"name": "curie", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "a CURIE (mbc:BoneMetastasis), label, synonym or xref"}],
            "responses": {"200": _json(_CONCEPT), **_ERRORS}}},
        "/api/concept": {"get": {
            "summary": "A concept named by its IRI (for classes with no CURIE)",
            "parameters": [_query("iri", "the class IRI", required=True)],
            "responses": {"200": _json(_CONCEPT), **_ERRORS}}},
        "/api/search": {"get": {
            "summary": "Concepts ranked by label and synonym; typos and word order forgiven",
            "parameters": [_query("q", "the text to look for", required=True),
                           _query("limit", "at most this many results (1-50, default 10)", kind="integer")],
            "responses": {"200": _json(_object(["query", "results"], {
                "results": {"type": "array", "items": {"type": "object",
                                                       "required": ["iri", "curie", "label", "matched", "score"]}},
            })), "400": {"$ref": "#/components/responses/Error"}}}},
        "/api/evidence": {"get": {
            "summary": "The sources and quotes behind one edge",
            "parameters": [_query("subject", "a concept", required=True),
                           _query("relation", "a relation name or label (has symptom, is a)", required=True),
                           _query("object", "a concept", required=True)],
            "responses": {"200": _json(_object(["subject", "relation", "object", "evidence"],
                                               {"subject": _REF, "object": _REF, "evidence": _EVIDENCE})),
                          **_ERRORS}}},
        "/api/paths": {"get": {
            "summary": "The shortest path between two concepts, or with max_length every simple path",
            "parameters": [_query("from", "a concept", required=True), _query("to", "a concept", required=True),
                           _query("relation", "walk only these relations (repeatable)", array=True),
                           _query("max_length", "list every simple path up to this many steps (1-6)",
                                  kind="integer"),
                           _query("limit", "with max_length: at most this many paths (1-20, default 10)",
                                  kind="integer")],
            "responses": {"200": _json(_object(["source", "target", "paths"], {
                "source": _REF, "target": _REF,
                "paths": {"type": "array", "items": {"type": "object", "required": ["length", "text", "steps"]}},
            })), **_ERRORS}}},
        "/sparql": {
            "get": {"summary": "SPARQL 1.1 Protocol query (query=); without query, the service description",
                    "parameters": [_query("query", "a read-only SPARQL query")],
                    "responses": {"200": {"description": "results, by content negotiation"},
                                  "400": {"description": "malformed query (line and column)"},
                                  "403": {"description": "an update, SERVICE or FROM"},
                                  "503": {"description": "every worker busy and the queue full (Retry-After)"},
                                  "504": {"description": "the query ran past the deadline"}}},
            "post": {"summary": "SPARQL 1.1 Protocol query, form-encoded or application/sparql-query",
                     "responses": {"200": {"description": "results, by content negotiation"}}},
        },
    },
    "components": {
        "schemas": {
            "ConceptRef": {"type": "object", "required": ["iri", "curie", "label", "category"]},
            "Evidence": {"type": "object", "required": ["source", "title", "quote", "note", "curated"]},
        },
        "responses": {"Error": _json({"type": "object", "required": ["error", "type", "license", "notice"]},
                                     "the error, with suggestions for an unknown concept")},
    },
}
