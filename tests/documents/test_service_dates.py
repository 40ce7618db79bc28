"""When service takes effect (domain.md §1 P10), and a service on the day of an afternoon receipt.

Time is frozen at Tuesday 2026-11-24 10:00 China time; the case of the second part is received
the same day at 15:00 and the service recorded that evening."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline
from ipcase.deadlines.service_dates import SERVICE_DATE_RULES, is_forbidden, service_day, service_instant
from ipcase.documents import operations as ops
from ipcase.documents.models import ServiceMethod
from tests.documents.conftest import NOW

pytestmark = pytest.mark.frozen_at(NOW)

DAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("method", "served"),
    [
        ("direct", DAY),  # the signature date
        ("post", DAY),  # the actual receipt date
        ("electronic", DAY),  # the day it reaches the system
        ("left_at_address", DAY),
        ("public_notice", date(2027, 1, 23)),  # deemed served 60 days after publication
    ],
)
def test_each_method_sets_the_day_its_rule_gives(method, served):
    assert service_day(method, DAY) == served


@pytest.mark.parametrize(
    ("method", "kind", "forbidden"),
    [
        ("electronic", "adjudication_decision", True),
        ("electronic", "mediation_agreement", True),
        ("electronic", "defence_notice", False),
        ("left_at_address", "mediation_agreement", True),
        ("left_at_address", "adjudication_decision", False),
        ("public_notice", "adjudication_decision", False),
        ("direct", "mediation_agreement", False),
    ],
)
def test_which_documents_a_method_may_not_serve(method, kind, forbidden):
    assert is_forbidden(method, kind) is forbidden


def test_only_electronic_service_needs_consent():
    assert {m for m, r in SERVICE_DATE_RULES.items() if r.needs_consent} == {"electronic"}


# -- a service on the day of an afternoon receipt -----------------------------------------------


@pytest.fixture
def afternoon_case(app, create_case, users, frozen_now):
    """Received at 15:00 China time today, docketed at 16:00; it is now 20:00."""
    received = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    frozen_now(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    c = create_case(Channel.adjudication, actor=users["examiner"], received_at=received)
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    take(WORKFLOW, c, "docket", actor=users["examiner"], at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    db.session.commit()
    return c


def test_a_service_by_post_on_the_day_of_an_afternoon_receipt_is_recorded(afternoon_case, users):
    case = afternoon_case
    notice = ops.issue_document(
        case,
        "defence_notice",
        {"addressee": case.respondents[0].id, "docketed_on": "2026-11-24", "note": ""},
        actor=users["examiner"],
    )
    with force_locale("en"):
        service = ops.record_service(
            notice, recipient=case.respondents[0], method=ServiceMethod.post, served_on=DAY, actor=users["examiner"]
        )
    assert service.event == "request_served"
    [period] = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.defence")
    )
    # recorded at or after the receipt, on the day of service; the period starts the next day (P1)
    assert period.started_at >= case.received_at
    assert clock.local_day(period.started_at) == DAY
    assert period.due_on == date(2026, 12, 9)


def test_service_instant_is_noon_unless_the_receipt_or_the_issue_came_later(app, frozen_now):
    frozen_now(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))  # 20:00 China time
    noon = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    assert service_instant(DAY, not_before=datetime(2026, 11, 24, 1, 0, tzinfo=UTC)) == noon
    late = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert service_instant(DAY, not_before=late) == late
    # never after now
    frozen_now(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    assert service_instant(DAY, not_before=datetime(2026, 11, 24, 1, 0, tzinfo=UTC)) == clock.now()


def test_public_notice_of_a_document_is_served_60_days_after_publication(afternoon_case, users):
    case = afternoon_case
    notice = ops.issue_document(
        case,
        "defence_notice",
        {"addressee": case.respondents[0].id, "docketed_on": "2026-11-24", "note": ""},
        actor=users["examiner"],
    )
    with force_locale("en"), pytest.raises(DomainError) as refused:
        ops.record_service(
            notice,
            recipient=case.respondents[0],
            method=ServiceMethod.public_notice,
            served_on=DAY,
            actor=users["examiner"],
        )
    assert "2027-01-23" in str(refused.value.messages[0])
