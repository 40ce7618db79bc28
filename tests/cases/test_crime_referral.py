"""Referral of suspected crime: report → the head decides within 3 days → hand-over within 24 hours."""

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.channels import referrals
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState


def periods(case):
    rows = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id.like("ref.%")))
    return {d.rule_id: d.state for d in rows}


@pytest.fixture
def case(app, create_case, users):
    return create_case(Channel.station, organisation="cdexpo", actor=users["station"])


def test_report_approve_hand_over(case, users):
    referrals.report_suspected_crime(case, actor=users["station"], facts="销售假冒注册商标的商品，货值逾五万元")
    assert periods(case) == {"ref.crime_decision": DeadlineState.running}
    with pytest.raises(DomainError):  # only the head decides
        referrals.decide_crime_referral(case, approve=True, actor=users["examiner"], reasons="")
    referrals.decide_crime_referral(case, approve=True, actor=users["director"], reasons="")
    assert periods(case) == {"ref.crime_decision": DeadlineState.met, "ref.crime_transfer": DeadlineState.running}
    transfer = db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "ref.crime_transfer")).one()
    assert (transfer.due_at - transfer.started_at).total_seconds() == 24 * 3600
    referrals.hand_over_to_police(case, actor=users["station"], authority="成都市公安局经济犯罪侦查支队")
    assert periods(case)["ref.crime_transfer"] == DeadlineState.met
    assert referrals.stage(case) == "none"
    events = [e.event for e in case.timeline if e.event.startswith("crime.")]
    assert events == ["crime.reported", "crime.approved", "crime.handed_over"]
    assert not any(e.is_public for e in case.timeline if e.event.startswith("crime."))


def test_declining_needs_reasons_and_ends_the_referral(case, users):
    referrals.report_suspected_crime(case, actor=users["station"], facts="涉嫌假冒专利")
    with pytest.raises(DomainError):
        referrals.decide_crime_referral(case, approve=False, actor=users["director"], reasons=" ")
    referrals.decide_crime_referral(case, approve=False, actor=users["director"], reasons="未达到立案追诉标准")
    assert periods(case) == {"ref.crime_decision": DeadlineState.met}
    assert referrals.stage(case) == "none"


def test_steps_out_of_order_are_refused(case, users):
    with pytest.raises(DomainError):
        referrals.hand_over_to_police(case, actor=users["station"], authority="公安局")
    with pytest.raises(DomainError):
        referrals.decide_crime_referral(case, approve=True, actor=users["director"], reasons="")
    referrals.report_suspected_crime(case, actor=users["station"], facts="x")
    with pytest.raises(DomainError):
        referrals.report_suspected_crime(case, actor=users["station"], facts="again")
    with pytest.raises(DomainError):  # another region's examiner
        referrals.hand_over_to_police(case, actor=users["cqexaminer"], authority="公安局")


def test_referral_through_the_web(client, login_as, case):
    db.session.commit()
    station = login_as("station")
    assert station.post(f"/cases/{case.id}/crime/report", data={"facts": ""}).status_code == 302
    assert referrals.stage(case) == "none"  # empty facts refused, nothing changed
    assert station.post(f"/cases/{case.id}/crime/report", data={"facts": "涉嫌假冒"}).status_code == 302
    assert referrals.stage(case) == "awaiting_decision"
    page = station.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="crime"' in page
    assert station.post(f"/cases/{case.id}/crime/nonsense", data={}).status_code == 404
