"""One self-contained, offline, escaped HTML page per view, and the view object.

The page embeds vis-network (vendored in ``vendor/vis-network``), its own
script and styles, and the view's data as JSON in a ``<script
type="application/json">`` element. Nothing is fetched: a Content Security
Policy forbids every request and allows only the page's own two scripts (by
hash), so even a string that escaped escaping could not run or load anything.

>>> page = render_html({"title": "<b>x</b>", "nodes": [], "edges": []})
>>> "<title>&lt;b&gt;x&lt;/b&gt;</title>" in page and "https://" not in page.split("<script")[0]
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from ..files import write_text_atomically

#: The vendored vis-network release (see ``vendor/vis-network/README.md``).
VIS_NETWORK_VERSION = "9.1.13"

#: Height of the inline view in Jupyter, in pixels.
NOTEBOOK_HEIGHT = 720

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``<``, ``>``, ``&`` and the JavaScript line separators are written as
    ``\\uXXXX`` escapes, so no string can close the element (``</script>``)
    or open a comment; ``JSON.parse`` reads the same values back.

    >>> script_json({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, allow_nan=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _resource(*parts: str) -> str:
    return resources.files(__package__).joinpath(*parts).read_text(encoding="utf-8")


@cache
def _assets() -> dict[str, str]:
    """The vendored library, the page script and styles, checked to be embeddable."""
    assets = {
        "vis_js": _resource("vendor", "vis-network", "vis-network.min.js"),
        # one script: the DOM helpers it shares with the served explorer, then the page's own code
        "app_js": _resource("templates", "dom.js") + "\n" + _resource("templates", "explorer.js"),
        "css": _resource("templates", "explorer.css"),
    }
    for name, text in assets.items():
        lowered = text.lower()
        if "</script" in lowered or "<!--" in lowered or "</style" in lowered:
            raise ValueError(f"The bundled {name} cannot be embedded in a <script> or <style> element")
    return assets


@cache
def _template():
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      keep_trailing_newline=True)
    return env.from_string(_resource("templates", "explorer.html"))


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """A policy that allows exactly these inline scripts and no request at all.

    >>> content_security_policy("1;").startswith("default-src 'none'; script-src 'sha256-")
    True
    """
    hashes = " ".join(_csp_hash(s) for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
            "frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'")


def render_html(payload: dict) -> str:
    """The page for a view's payload (see :func:`mbc_graph.viz.payload.build_payload`)."""
    assets = _assets()
    return _template().render(
        title=str(payload.get("title", "")),
        csp=content_security_policy(assets["vis_js"], assets["app_js"]),
        data_json=script_json(payload),
        vis_version=VIS_NETWORK_VERSION,
        **assets,
    )


class GraphView:
    """An interactive HTML view of (part of) the knowledge graph.

    Shows itself inline in Jupyter (an ``<iframe srcdoc>``, so its scripts
    run in a sandbox), and saves as one self-contained HTML file that works
    offline. Build one with :func:`mbc_graph.viz.visualize`,
    :meth:`KnowledgeGraph.visualize` or :func:`mbc_graph.viz.from_query`.

    Attributes
    ----------
    payload : dict
        The data the page runs on (nodes, edges, details, options).
    height : int
        Height of the inline Jupyter frame in pixels.

    Examples
    --------
    >>> view = kg.visualize(focus="bone metastasis", radius=1)
    >>> kg.concept("bone pain").label in view.labels
    True
    >>> view.html.startswith("<!DOCTYPE html>")
    True
    """

    def __init__(self, payload: dict, *, height: int = NOTEBOOK_HEIGHT) -> None:
        self.payload = payload
        self.height = height

    @property
    def title(self) -> str:
        """The page heading."""
        return self.payload["title"]

    @property
    def node_ids(self) -> list[str]:
        """The IRIs (or claim IRIs) of the nodes shown, in drawing order."""
        return [node["id"] for node in self.payload["nodes"]]

    @property
    def labels(self) -> list[str]:
        """The full labels of the nodes shown."""
        return [self.payload["info"][node]["label"] for node in self.node_ids]

    @property
    def edges(self) -> list[tuple[str, str, str]]:
        """The edges shown as ``(source, relation name, target)``."""
        return [(e["from"], e["relation"], e["to"]) for e in self.payload["edges"]]

    @cached_property
    def html(self) -> str:
        """The whole page as a string."""
        return render_html(self.payload)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically and return the path.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> out = kg.visualize(path=("HER2-positive breast cancer", "trastuzumab")).save(
        ...     pathlib.Path(tempfile.mkdtemp()) / "path.html")
        >>> out.read_text(encoding="utf-8").count("<script") >= 3
        True
        """
        return write_text_atomically(path, self.html)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'title="{html.escape(self.title, quote=True)}" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd;"></iframe>')

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<GraphView {self.title!r}: {len(self.payload['nodes'])} nodes, {len(self.payload['edges'])} edges>"
