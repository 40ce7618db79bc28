"""Fixtures of the account tests (the client helper is shared with the case tests)."""

import pytest

from tests.cases.helpers import make_client_as


@pytest.fixture
def client_as(app):
    """``client_as("examiner")``: a separate logged-in client in English (``None``: anonymous)."""
    return lambda username=None, lang="en": make_client_as(app, username, lang)


@pytest.fixture
def text():
    return lambda response: response.get_data(as_text=True)
