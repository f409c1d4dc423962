"""The explorer's HTML pages, rendered with Jinja2 (every value from data escaped).

The concept and path pages are complete in their HTML; the search, graph
and SPARQL pages fill themselves from the JSON API with ``static/explorer.js``,
which writes data only through ``textContent``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..errors import MBCGraphError
from ..namespaces import PREFIXES
from ..viz.render import script_json
from ..viz.styles import vis_groups
from . import api
from .notices import LICENSE, LICENSE_NAME, notice_headers
from .settings import NOTICE


def concept_url(ref: dict) -> str:
    """The page of a concept: ``/concept/{curie}``, or ``/concept?iri=`` when it has no CURIE.

    >>> concept_url({"iri": "https://w3id.org/mbc-graph/Liver", "curie": "mbc:Liver"})
    '/concept/mbc:Liver'
    >>> concept_url({"iri": "http://example.org/x#A", "curie": "http://example.org/x#A"})
    '/concept?iri=http%3A%2F%2Fexample.org%2Fx%23A'
    """
    if ref["curie"] != ref["iri"]:
        return "/concept/" + quote(ref["curie"], safe=":")
    return "/concept?" + urlencode({"iri": ref["iri"]})


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("mbc_graph.server", "templates"), autoescape=select_autoescape(default=True))
    env.globals.update(concept_url=concept_url, notice=NOTICE, license_url=LICENSE, license_name=LICENSE_NAME)
    env.filters["script_json"] = script_json
    return env


def render(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(_environment().get_template(name).render(**context), status_code=status,
                        headers=notice_headers())


def index(request: Request) -> HTMLResponse:
    return render("index.html", page="search", concepts=len(request.app.state.kg.concepts))


def concept(request: Request) -> HTMLResponse:
    return render("concept.html", page="concept", c=api.describe(request.app.state.kg, api.resolve(request)))


def graph(request: Request) -> HTMLResponse:
    kg = request.app.state.kg
    focus = kg.concept(request.query_params.get("focus") or "metastatic breast cancer")
    return render("graph.html", page="graph", focus=api.concept_ref(kg, focus.iri), groups=vis_groups())


def path(request: Request) -> HTMLResponse:
    params = request.query_params
    found, error = None, None
    if params.get("from") and params.get("to"):
        try:
            found = api.find_paths(request)
        except MBCGraphError as exc:
            error = str(exc)
    return render("path.html", page="path", source=params.get("from", ""), target=params.get("to", ""),
                  found=found, error=error)


def error_page(exc: BaseException, status: int) -> HTMLResponse:
    """A library error as a page: the message, and links to the suggested concepts."""
    return render("error.html", status=status, error=str(exc), suggestions=getattr(exc, "suggestions", []))


@cache
def examples() -> list[dict]:
    """The competency questions, as example queries (``examples.json``, built from tests/competency)."""
    return json.loads(resources.files("mbc_graph.server").joinpath("examples.json").read_text(encoding="utf-8"))


def query(request: Request) -> HTMLResponse:
    settings = request.app.state.settings
    return render("query.html", page="query", examples=examples(), prefixes=PREFIXES,
                  initial=request.query_params.get("query", ""), timeout=settings.timeout)
