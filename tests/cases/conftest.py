"""Fixtures of the case-file tests (helpers live in ``tests/cases/helpers.py``)."""

import pytest

from tests.cases.helpers import make_client_as


@pytest.fixture
def client_as(app):
    """``client_as("party")``: a separate logged-in client (``None``: anonymous); several may be
    used in one test, each with its own session."""
    return lambda username=None, lang="en": make_client_as(app, username, lang)


@pytest.fixture
def text():
    """``text(response)``: the page body as text."""
    return lambda response: response.get_data(as_text=True)
