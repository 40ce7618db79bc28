"""The satisfaction survey: only once the case is closed, once per party, counted in the
statistics."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.portal.models import SatisfactionSurvey
from ipcase.portal.operations import record_survey
from ipcase.portal.queries import survey_statistics
from tests import factories
from tests.cases.helpers import commit
from tests.portal.helpers import enter


def _close(case):
    case.state = "closed_decided"
    case.closed_at = clock.now()
    commit()


def _client(client_as, case, code):
    client = client_as()
    enter(client, case.number, code)
    return client


def surveys():
    return db.session.scalars(sa.select(SatisfactionSurvey)).all()


def test_no_survey_while_the_case_is_open(client_as, text, case_with_codes):
    case, codes = case_with_codes
    client = _client(client_as, case, codes["requester"])
    assert "/portal/status/survey" not in text(client.get("/portal/status"))
    assert client.get("/portal/status/survey").status_code == 302
    response = client.post("/portal/status/survey", data={"score": "5"})
    assert response.status_code == 302
    assert "The survey opens when the case is closed" in text(client.get("/portal/status"))
    assert surveys() == []


def test_each_party_rates_a_closed_case_once(client_as, text, case_with_codes):
    case, codes = case_with_codes
    _close(case)
    client = _client(client_as, case, codes["requester"])
    assert "/portal/status/survey" in text(client.get("/portal/status"))
    response = client.post("/portal/status/survey", data={"score": "4", "comment": "办理及时"})
    assert response.status_code == 302
    assert [(s.party_id, s.score, s.comment) for s in surveys()] == [(case.requesters[0].id, 4, "办理及时")]
    # a second rating is refused and changes nothing
    again = client.post("/portal/status/survey", data={"score": "1", "comment": "改评"})
    assert again.status_code == 302
    assert "already rated" in text(client.get("/portal/status"))
    assert [s.score for s in surveys()] == [4]
    # the other side rates for itself
    respondent = _client(client_as, case, codes["respondent"])
    assert respondent.post("/portal/status/survey", data={"score": "2"}).status_code == 302
    assert sorted(s.score for s in surveys()) == [2, 4]


@pytest.mark.parametrize("score", ["0", "6", "-1", "five", "", "4.5", "9" * 40])
def test_a_score_outside_1_to_5_is_refused(client_as, text, case_with_codes, score):
    case, codes = case_with_codes
    _close(case)
    response = _client(client_as, case, codes["requester"]).post("/portal/status/survey", data={"score": score})
    assert response.status_code == 422
    assert surveys() == []


def test_the_operation_refuses_too(case_with_codes):
    case, _codes = case_with_codes
    party = case.requesters[0]
    with pytest.raises(DomainError):
        record_survey(case, party, score=5)  # open case
    _close(case)
    with pytest.raises(DomainError):
        record_survey(case, party, score=0)
    record_survey(case, party, score=5)
    with pytest.raises(DomainError):
        record_survey(case, party, score=3)


def test_the_database_keeps_one_rating_per_party(case_with_codes):
    case, _codes = case_with_codes
    _close(case)
    party = case.requesters[0]
    db.session.add(SatisfactionSurvey(case_id=case.id, party_id=party.id, score=3))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(SatisfactionSurvey(case_id=case.id, party_id=party.id, score=4))
        db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(SatisfactionSurvey(case_id=case.id, party_id=case.respondents[0].id, score=6))
        db.session.flush()


def test_statistics_count_and_average(app, create_case, users):
    cases = [create_case(), create_case(organisation="cqip", actor=users["cqexaminer"])]
    for case in cases:
        _close(case)
    record_survey(cases[0], cases[0].requesters[0], score=5)
    record_survey(cases[0], cases[0].respondents[0], score=2)
    record_survey(cases[1], cases[1].requesters[0], score=4)
    stats = survey_statistics()
    assert (stats.count, stats.average) == (3, 3.67)
    assert stats.by_score == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    cdip = survey_statistics(organisation_ids=[factories.org("cdip").id])
    assert (cdip.count, cdip.average) == (2, 3.5)
    later = survey_statistics(since=clock.now() + timedelta(days=1))
    assert (later.count, later.average) == (0, None)
    assert survey_statistics(until=datetime(2000, 1, 1, tzinfo=UTC)).count == 0
