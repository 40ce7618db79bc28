"""Service (送达): methods and their limits, and the periods that run from service."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline
from ipcase.documents import operations as ops
from ipcase.documents.models import ServiceMethod, ServiceRecord
from tests.documents.conftest import NOW

#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(NOW)


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in English (the default locale outside a request is Chinese)."""
    with force_locale("en"):
        yield


@pytest.fixture
def defence_notice(case, users, frozen_now):
    return ops.issue_document(
        case,
        "defence_notice",
        {"addressee": case.respondents[0].id, "docketed_on": "2026-11-23", "note": ""},
        actor=users["examiner"],
    )


def deadlines(case, rule_id):
    return list(db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)))


def services():
    return db.session.scalar(sa.select(sa.func.count()).select_from(ServiceRecord))


def test_serving_the_defence_notice_starts_the_defence_period(app, case, users, defence_notice):
    service = ops.record_service(
        defence_notice,
        recipient=case.respondents[0],
        method=ServiceMethod.direct,
        served_on=date(2026, 11, 24),
        signed_by="王五",
        actor=users["examiner"],
    )
    assert service.event == "request_served"
    [period] = deadlines(case, "adj.defence")
    assert period.length == 15
    # the period starts the day after service (P1): 15 days from 2026-11-24 end on 2026-12-09
    assert period.due_on == date(2026, 12, 9)


def test_a_respondent_abroad_gets_thirty_days(app, case, users, defence_notice):
    case.respondents[0].has_domestic_domicile = False
    ops.record_service(
        defence_notice,
        recipient=case.respondents[0],
        method=ServiceMethod.post,
        served_on=date(2026, 11, 24),
        actor=users["examiner"],
    )
    assert deadlines(case, "adj.defence") == []
    assert [d.length for d in deadlines(case, "adj.defence_abroad")] == [30]


def test_the_event_is_not_fired_twice_when_the_step_already_did(app, case, users, defence_notice, frozen_now):
    case.state = "docketed"
    take(WORKFLOW, case, "serve", actor=users["examiner"], at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert len(deadlines(case, "adj.defence")) == 1
    service = ops.record_service(
        defence_notice,
        recipient=case.respondents[0],
        method=ServiceMethod.direct,
        served_on=date(2026, 11, 24),
        actor=users["examiner"],
    )
    assert service.event == ""
    assert len(deadlines(case, "adj.defence")) == 1


def test_serving_the_requester_starts_nothing(app, case, users, defence_notice):
    service = ops.record_service(
        defence_notice,
        recipient=case.requesters[0],
        method=ServiceMethod.direct,
        served_on=date(2026, 11, 24),
        actor=users["examiner"],
    )
    assert service.event == ""
    assert deadlines(case, "adj.defence") == []


def test_a_second_service_does_not_start_the_period_again(app, case, users, defence_notice):
    for _ in range(2):
        ops.record_service(
            defence_notice,
            recipient=case.respondents[0],
            method=ServiceMethod.direct,
            served_on=date(2026, 11, 24),
            actor=users["examiner"],
        )
    assert len(deadlines(case, "adj.defence")) == 1


@pytest.mark.parametrize(
    ("method", "served_on", "consent", "message"),
    [
        (ServiceMethod.electronic, date(2026, 11, 24), False, "consent"),
        (ServiceMethod.direct, date(2026, 11, 25), False, "future"),
        (ServiceMethod.direct, date(2026, 11, 1), False, "before it was issued"),
        # public notice: deemed served 60 days after publication, which is still ahead
        (ServiceMethod.public_notice, date(2026, 11, 24), False, "2027-01-23"),
    ],
)
def test_refused_services_change_nothing(app, case, users, defence_notice, method, served_on, consent, message):
    before = services()
    with pytest.raises(DomainError, match=message):
        ops.record_service(
            defence_notice,
            recipient=case.respondents[0],
            method=method,
            served_on=served_on,
            has_consent=consent,
            actor=users["examiner"],
        )
    assert services() == before
    assert deadlines(case, "adj.defence") == []


def test_public_notice_is_deemed_served_sixty_days_after_publication(app, case, users, defence_notice, frozen_now):
    frozen_now(datetime(2027, 2, 1, 2, 0, tzinfo=UTC))
    service = ops.record_service(
        defence_notice,
        recipient=case.respondents[0],
        method=ServiceMethod.public_notice,
        served_on=date(2026, 11, 25),
        actor=users["examiner"],
    )
    assert (service.published_on, service.served_on) == (date(2026, 11, 25), date(2027, 1, 24))
    assert deadlines(case, "adj.defence")[0].started_at.date() == date(2027, 1, 24)


def test_decisions_are_not_served_electronically(app, case, users, frozen_now):
    decision = ops.issue_document(
        case,
        "adjudication_decision",
        {"requester_claims": "请求停止侵权", "findings": "查明", "reasoning": "认为", "order": "停止制造"},
        actor=users["director"],
    )
    with pytest.raises(DomainError, match="may not be served this way"):
        ops.record_service(
            decision,
            recipient=case.respondents[0],
            method=ServiceMethod.electronic,
            served_on=date(2026, 11, 24),
            has_consent=True,
            actor=users["examiner"],
        )
    service = ops.record_service(
        decision,
        recipient=case.respondents[0],
        method=ServiceMethod.post,
        served_on=date(2026, 11, 24),
        actor=users["examiner"],
    )
    assert service.event == "decision_served"
    assert len(deadlines(case, "adj.lawsuit_window")) == 1


def test_recipient_must_be_a_party_of_the_case(app, case, users, create_case, defence_notice):
    other = create_case(requester="别案请求人", respondent="别案被请求人")
    with pytest.raises(DomainError, match="party of this case"):
        ops.record_service(
            defence_notice,
            recipient=other.respondents[0],
            method=ServiceMethod.direct,
            served_on=date(2026, 11, 24),
            actor=users["examiner"],
        )


def test_internal_forms_are_not_served(app, case, users, frozen_now):
    form = ops.issue_document(
        case,
        "closing_approval_form",
        {"summary": "案情", "panel_opinion": "意见", "proposed": "decision"},
        actor=users["examiner"],
    )
    with pytest.raises(DomainError, match="internal"):
        ops.record_service(
            form,
            recipient=case.respondents[0],
            method=ServiceMethod.direct,
            served_on=date(2026, 11, 24),
            actor=users["examiner"],
        )
