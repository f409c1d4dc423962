"""The helpers' shared options: one definition, every keyword still in each signature, misspellings refused."""

import inspect

import pytest

from mbc_graph.core import GraphCore
from mbc_graph.options import HelperOptions

HELPERS = ("symptoms_of", "sites_suggested_by", "diagnostics_for", "therapies_for", "targets_of", "risk_factors")


@pytest.mark.parametrize("name", HELPERS)
def test_each_helper_shows_every_option_as_a_keyword(name):
    parameters = inspect.signature(getattr(GraphCore, name)).parameters
    options = [p for p in parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert [p.name for p in options] == list(HelperOptions.__annotations__)
    assert all(p.default is None for p in options)


@pytest.mark.parametrize("name", HELPERS)
def test_a_misspelt_option_is_a_type_error(kg, name):
    with pytest.raises(TypeError, match="'qualifier'"):
        getattr(kg, name)("liver", qualifier={"often"})
