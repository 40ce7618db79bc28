"""Fixtures of the portal tests."""

from typing import Any

import pytest

from ipcase.cases.enums import Channel
from ipcase.portal.operations import issue_access_code
from tests.cases.helpers import commit, make_client_as


@pytest.fixture
def client_as(app):
    """``client_as()``: a fresh anonymous client in English; ``client_as("examiner")`` logged in."""
    return lambda username=None, lang="en": make_client_as(app, username, lang)


@pytest.fixture
def text():
    return lambda response: response.get_data(as_text=True)


@pytest.fixture
def case_with_codes(app, users, create_case) -> Any:
    """An adjudication case with an access code for the requester and one for the respondent:
    returns (case, {"requester": code, "respondent": code})."""
    case = create_case(Channel.adjudication, actor=users["examiner"])
    codes = {
        "requester": issue_access_code(case, case.requesters[0], actor=users["examiner"]),
        "respondent": issue_access_code(case, case.respondents[0], actor=users["examiner"]),
    }
    commit()
    return case, codes
