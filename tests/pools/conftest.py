"""Fixtures of the pool tests: separate logged-in clients, as in the case-file tests."""

import pytest

from tests.cases.helpers import make_client_as


@pytest.fixture
def client_as(app):
    return lambda username=None, lang="en": make_client_as(app, username, lang)


@pytest.fixture
def text():
    return lambda response: response.get_data(as_text=True)
