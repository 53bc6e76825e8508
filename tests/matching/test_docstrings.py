"""The examples in the matching modules' docstrings are what a reader tries first: they must hold."""

import doctest

import pytest

import matching.taxonomy
import matching.terms
import matching.tokens
import matching.words


@pytest.mark.parametrize("module", [matching.taxonomy, matching.terms, matching.tokens, matching.words], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
