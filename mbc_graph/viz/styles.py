"""How each node category and edge kind looks: the one style table of the views.

Like Hetionet's ``describe/styles.json``, every category has one colour and
one shape, kept here and nowhere else; the legend, the category filters and
the vis-network ``groups`` option are all built from :data:`CATEGORY_STYLES`.

>>> CATEGORY_STYLES["symptom"].shape
'triangleDown'
>>> category_style("no such category").key
'other'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class CategoryStyle:
    """The look of one node category.

    ``shape`` is a vis-network shape drawn with the label below it, so that
    node size can follow degree.
    """

    key: str
    label: str
    color: str
    shape: str

    def as_dict(self) -> dict[str, str]:
        """The style as plain JSON-ready values."""
        return asdict(self)


def _styles(*rows: tuple[str, str, str, str]) -> dict[str, CategoryStyle]:
    return {key: CategoryStyle(key, label, color, shape) for key, label, color, shape in rows}


#: Category key (as in ``Concept.category``) -> style. Order is legend order.
CATEGORY_STYLES: dict[str, CategoryStyle] = _styles(
    ("disease", "disease", "#d62728", "star"),
    ("subtype", "subtype", "#e377c2", "star"),
    ("stage", "stage", "#8c2d04", "hexagon"),
    ("metastasis", "metastasis", "#ff7f0e", "triangle"),
    ("site", "anatomical site", "#8c564b", "square"),
    ("symptom", "symptom or sign", "#b5b000", "triangleDown"),
    ("diagnostic", "diagnostic", "#17becf", "diamond"),
    ("therapy", "therapy", "#2ca02c", "hexagon"),
    ("drug", "drug", "#1f77b4", "dot"),
    ("biomarker", "biomarker", "#9467bd", "diamond"),
    ("risk factor", "risk factor", "#393b79", "triangle"),
    ("prognostic factor", "prognostic factor", "#d6616b", "triangleDown"),
    ("goal", "treatment goal", "#7b4173", "star"),
    ("process", "biological process", "#637939", "dot"),
    ("target", "molecular target", "#31a354", "square"),
    ("claim", "claim", "#e7ba52", "square"),
    ("other", "other", "#8a8a8a", "dot"),
)

#: Edge kinds: a relation stated in the ontology, one inherited from a
#: superclass, a subclass link, and a step of a highlighted path.
EDGE_STYLES: dict[str, dict] = {
    "stated": {"color": "#5f6b7a", "dashes": False, "width": 1.2},
    "inherited": {"color": "#9aa3ad", "dashes": [6, 5], "width": 1.0},
    "is a": {"color": "#b8bec6", "dashes": [2, 4], "width": 1.0},
    "path": {"color": "#c2185b", "dashes": False, "width": 3.5},
    "claim": {"color": "#c9a227", "dashes": [4, 3], "width": 1.0},
}


#: How an edge made from an association is drawn, by its qualifier: always
#: dashed, so it never looks like an axiom ("stated": holds always).
QUALIFIER_STYLES: dict[str, dict] = {
    "often": {"color": "#5f6b7a", "dashes": [12, 3], "width": 1.2},
    "sometimes": {"color": "#7a8796", "dashes": [5, 4], "width": 1.0},
    "rarely": {"color": "#9aa3ad", "dashes": [1, 5], "width": 1.0},
    "in selected cases": {"color": "#7b5ea7", "dashes": [8, 3, 2, 3], "width": 1.2},
    "not stated": {"color": "#9aa3ad", "dashes": [2, 3], "width": 1.0},
}


def edge_style_key(kind: str, qualifier: str | None) -> str:
    """The key of :data:`EDGE_STYLES` or :data:`QUALIFIER_STYLES` an edge is drawn with.

    >>> edge_style_key("stated", "sometimes"), edge_style_key("stated", "always"), edge_style_key("path", "often")
    ('sometimes', 'stated', 'path')
    """
    if kind in ("stated", "inherited") and qualifier in QUALIFIER_STYLES:
        return qualifier
    return kind


def category_style(category: str | None) -> CategoryStyle:
    """The style of a category key; unknown or missing categories get ``other``.

    >>> category_style("drug").color
    '#1f77b4'
    """
    return CATEGORY_STYLES.get(category or "other", CATEGORY_STYLES["other"])


def vis_groups() -> dict[str, dict]:
    """The vis-network ``groups`` option: colours per category, with highlights."""
    return {
        key: {
            "shape": style.shape,
            "color": {
                "background": style.color,
                "border": _darker(style.color),
                "highlight": {"background": style.color, "border": "#111111"},
                "hover": {"background": style.color, "border": "#111111"},
            },
        }
        for key, style in CATEGORY_STYLES.items()
    }


def _darker(color: str, factor: float = 0.7) -> str:
    """A darker shade of a ``#rrggbb`` colour, for node borders.

    >>> _darker("#ffffff", 0.5)
    '#7f7f7f'
    """
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{int(c * factor):02x}" for c in rgb)
