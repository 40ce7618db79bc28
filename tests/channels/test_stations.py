"""The workstation complaint procedure: every allowed and refused move, per role; the main path
through the web; the 24-hour clocks; transfer after the exhibition; repeat exhibitors. (The details
each step records are tested in ``test_stations_steps.py``.)"""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.registry import get_channel
from ipcase.channels.stations.states import StationState as S
from ipcase.channels.stations.workflow import WORKFLOW, repeat_exhibitors
from ipcase.channels.workflow import available, take, why_not
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.organisations.models import HostType, Organisation, OrgKind
from tests.factories import org

ALL_STATES = [s.value for s in S]
ACTIONS = [t.action for t in WORKFLOW.transitions]
ON_SITE_ON_NEW = {"request_supplement", "not_accept", "forward", "withdraw", "exhibition_closed"}


@pytest.fixture
def case(app, create_case, users):
    return create_case(Channel.station, organisation="cdexpo", actor=users["station"])


def put(case, state):
    case.state = state
    case.closed_at = case.received_at if state in WORKFLOW.closed else None
    db.session.flush()


def details(action):
    """Valid details for each step that asks for them (none for the others)."""
    office = {"organisation": org("cdip").id}
    return {
        "forward": office,
        "notify_respondent": {"method": "in_person", "received_by": "展位负责人李某"},
        "receive_response": {"position": "admits", "summary": "被投诉人承认展品落入专利保护范围，同意撤展"},
        "record_ruling": {"reference": "（2026）川01知民初123号", "ruled_on": date(2025, 6, 1)},
        "take_measures": {
            "measures": ["withdraw_exhibits", "seal_materials"],
            "items": "5C-208展台折叠椅2把，宣传册30份",
            "respondent_complied": True,
        },
        "record_further_measures": {
            "measures": ["takedown_links"],
            "items": "网店链接1条",
            "respondent_complied": False,
        },
        "refer_to_adjudication": office,
        "refer_to_mediation": {"organisation": org("cdmed").id, "mediation_type": "commercial"},
        "transfer": office,
    }.get(action, {})


def step(case, action, actor, reason="", **kw):
    return take(WORKFLOW, case, action, actor=actor, reason=reason, details=details(action), **kw)


def form_data(action, **extra):
    data = {k: ("y" if v is True else v) for k, v in details(action).items() if v is not False}
    return data | extra


def deadlines(case):
    """{rule id: state} of the case's periods (the latest of each rule)."""
    rows = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id))
    return {d.rule_id: d.state for d in rows}


def snapshot(case):
    entries = db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case.id)
    )
    periods = db.session.execute(
        sa.select(Deadline.id, Deadline.state).where(Deadline.case_id == case.id).order_by(Deadline.id)
    ).all()
    return case.state, case.closed_at, entries, [tuple(p) for p in periods]


def test_registered_with_the_channel():
    assert get_channel(Channel.station).workflow is WORKFLOW
    assert {t for _s, t, _ in WORKFLOW.edges()} | {S.received} == set(ALL_STATES)  # every state reachable


#: steps that open a linked case elsewhere: taken once per test (below), since a case opened and
#: rolled back inside one test's savepoint would linger in the session
REFERRALS = frozenset({"refer_to_adjudication", "refer_to_mediation", "transfer"})


def test_every_move_from_every_state(case, users):
    """Each (state, action) pair: the table's sources decide; a refusal changes nothing."""
    actor = users["director"]  # may take every move; per-role limits are tested below
    checked = 0
    for state in ALL_STATES:
        for action in ACTIONS:
            t = WORKFLOW.by_action[action]
            allowed = state in WORKFLOW.sources_of(t)
            checked += 1
            if allowed and action in REFERRALS:
                continue  # test_every_referral_from_every_state
            savepoint = db.session.begin_nested()
            put(case, state)
            before = snapshot(case)
            if not allowed:
                with pytest.raises(DomainError):
                    step(case, action, actor, reason="理由")
                assert snapshot(case) == before, (state, action)
            else:
                step(case, action, actor, reason="理由")
                assert case.state == (t.target or state), (state, action)
                assert (case.closed_at is not None) == (case.state in WORKFLOW.closed), (state, action)
                assert snapshot(case)[2] > before[2]  # the step is on the timeline
            savepoint.rollback()
    assert checked == len(ALL_STATES) * len(ACTIONS)


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for a in sorted(REFERRALS) for s in sorted(WORKFLOW.sources_of(WORKFLOW.by_action[a]))],
)
def test_every_referral_from_every_state(case, users, state, action):
    put(case, state)
    step(case, action, users["director"], reason="理由")
    assert case.state == WORKFLOW.by_action[action].target and case.closed_at is not None
    assert len(referred(case)) == 1


def test_closed_complaints_take_no_further_step(case, users):
    for state in WORKFLOW.closed:
        put(case, state)
        assert available(WORKFLOW, case, users["director"]) == [], state


def test_who_may_act_on_a_new_complaint(case, users):
    expected = {
        "station": ON_SITE_ON_NEW,
        "examiner": ON_SITE_ON_NEW,  # the parent office's staff act too
        "director": ON_SITE_ON_NEW,
        "mediator": set(),
        "expert": set(),
        "party": set(),
        "admin": set(),
        "cqexaminer": set(),  # another region's office
    }
    for username, may in expected.items():
        assert {t.action for t in available(WORKFLOW, case, users[username])} == may, username


def test_only_the_office_closes_without_measures(case, users):
    put(case, S.under_review)
    assert why_not(WORKFLOW, case, "close_without_measures", users["station"])
    assert why_not(WORKFLOW, case, "close_without_measures", users["examiner"]) is None
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "close_without_measures", actor=users["station"], reason="产品不落入保护范围")
    assert case.state == S.under_review
    take(WORKFLOW, case, "close_without_measures", actor=users["examiner"], reason="产品不落入保护范围")
    assert case.state == S.dismissed and case.closed_at is not None


def test_reasons_required_where_the_rule_says(case, users):
    needing = {t.action: t for t in WORKFLOW.transitions if t.needs_reason}
    assert {"request_supplement", "not_accept", "take_measures", "withdraw"} <= set(needing)
    for action, t in needing.items():
        put(case, sorted(WORKFLOW.sources_of(t))[0])
        before = snapshot(case)
        with pytest.raises(DomainError):
            take(WORKFLOW, case, action, actor=users["director"], reason="  ")
        assert snapshot(case) == before, action


def test_resolved_only_after_measures():
    """repeat_exhibitors relies on it: a resolved complaint had on-site measures."""
    assert {s for s, d, _t in WORKFLOW.edges() if d == S.resolved} == {S.measures_taken}


def test_forwarding_needs_the_complaint_materials(case, users):
    for right in list(case.rights):
        db.session.delete(right)
    db.session.flush()
    db.session.refresh(case)
    assert why_not(WORKFLOW, case, "forward", users["station"])
    with pytest.raises(DomainError):
        step(case, "forward", users["station"])
    assert case.state == S.received


def test_main_path_through_the_web(client, login_as, case, users):
    assert deadlines(case) == {"sta.forward": DeadlineState.running}  # intake starts the 24 hours
    db.session.commit()
    station = login_as("station")
    page = station.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/{case.id}/actions/forward" in page
    steps = [
        ("forward", ""),
        ("notify_respondent", ""),
        ("receive_response", ""),
        ("take_measures", "主办方协调撤下3B-118展台涉嫌侵权展品，封存宣传册20份"),
        ("resolve", ""),
    ]
    seen = []
    for action, reason in steps:
        r = station.post(f"/cases/{case.id}/actions/{action}", data=form_data(action, reason=reason))
        assert r.status_code == 302, action
        db.session.refresh(case)
        seen.append(case.state)
    assert seen == [S.forwarded, S.awaiting_response, S.under_review, S.measures_taken, S.resolved]
    assert case.closed_at is not None
    assert case.forwarded_to_id == org("cdip").id
    assert sorted(m.kind for m in case.measures) == ["seal_materials", "withdraw_exhibits"]
    assert deadlines(case) == {
        "sta.forward": DeadlineState.met,
        "sta.respondent_response": DeadlineState.met,
    }
    page = station.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "3B-118" in page  # the measures are on the timeline
    assert "/actions/" not in page  # closed: nothing left to do


def test_refused_web_moves_change_nothing(client, login_as, case):
    db.session.commit()
    c = login_as("station")
    assert c.post(f"/cases/{case.id}/actions/notify_respondent", data={}).status_code == 302
    assert c.post(f"/cases/{case.id}/actions/not_accept", data={"reason": ""}).status_code == 302
    db.session.refresh(case)
    assert case.state == S.received and case.closed_at is None
    assert c.post(f"/cases/{case.id}/actions/no_such_step", data={}).status_code == 404
    for action in ("forward", "notify_respondent", "receive_response"):
        c.post(f"/cases/{case.id}/actions/{action}", data=form_data(action))
    db.session.refresh(case)
    assert case.state == S.under_review
    # deciding not to uphold the complaint is the office's call
    assert c.post(f"/cases/{case.id}/actions/close_without_measures", data={"reason": "x"}).status_code == 403
    c.post("/logout")
    m = login_as("mediator")  # another organisation's staff do not even see the complaint
    assert (
        m.post(f"/cases/{case.id}/actions/take_measures", data=form_data("take_measures", reason="撤展")).status_code
        == 404
    )
    db.session.refresh(case)
    assert case.state == S.under_review


def test_the_parent_office_acts_through_the_web(client, login_as, case):
    db.session.commit()
    director = login_as("director")
    assert director.post(f"/cases/{case.id}/actions/forward", data=form_data("forward")).status_code == 302
    db.session.refresh(case)
    assert case.state == S.forwarded


def test_supplement_restarts_the_forwarding_clock(case, users):
    first = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id)).one()
    take(WORKFLOW, case, "request_supplement", actor=users["station"], reason="缺少专利权评价报告")
    assert case.state == S.incomplete and first.state == DeadlineState.cancelled
    take(WORKFLOW, case, "supplement", actor=users["station"])
    assert case.state == S.received
    running = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state == DeadlineState.running)
    ).one()
    assert running.rule_id == "sta.forward" and running.id != first.id


def test_not_supplemented_is_not_accepted_and_stops_the_clock(case, users):
    take(WORKFLOW, case, "request_supplement", actor=users["station"], reason="缺少权利人身份证明")
    take(WORKFLOW, case, "not_accept", actor=users["station"], reason="逾期未补正")
    assert case.state == S.not_accepted and case.closed_at is not None
    assert DeadlineState.running not in deadlines(case).values()


def test_the_response_clock_starts_on_notification(app, create_case, users, frozen_now):
    received = frozen_now(datetime(2026, 5, 12, 1, 0, tzinfo=UTC))  # 09:00 in Chengdu
    case = create_case(Channel.station, organisation="cdexpo", actor=users["station"], received_at=received)
    frozen_now(received + timedelta(hours=3))
    step(case, "forward", users["station"])
    assert "sta.respondent_response" not in deadlines(case)
    notified = frozen_now(received + timedelta(hours=5))
    step(case, "notify_respondent", users["station"])
    period = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "sta.respondent_response")
    ).one()
    assert period.state == DeadlineState.running
    assert period.started_at == notified
    assert period.due_at == notified + timedelta(hours=24)
    # while the 24 hours run, "no response" cannot be recorded
    frozen_now(notified + timedelta(hours=23))
    assert why_not(WORKFLOW, case, "response_lapsed", users["station"])
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "response_lapsed", actor=users["station"])
    assert case.state == S.awaiting_response
    # the sweep finds the period over; the complaint moves on to measures ([EXPO-G]14)
    frozen_now(notified + timedelta(hours=24, minutes=5))
    sweep()
    db.session.refresh(period)
    assert period.state == DeadlineState.breached
    assert why_not(WORKFLOW, case, "response_lapsed", users["station"]) is None
    take(WORKFLOW, case, "response_lapsed", actor=users["station"])
    step(case, "take_measures", users["station"], reason="遮盖展品，断开网店链接")
    assert case.state == S.measures_taken


def referred(case):
    return db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).all()


def test_exhibition_closes_and_the_case_is_transferred(case, users):
    step(case, "forward", users["station"])
    step(case, "notify_respondent", users["station"])
    take(WORKFLOW, case, "exhibition_closed", actor=users["station"])
    assert case.state == S.awaiting_transfer and case.closed_at is None
    assert deadlines(case)["sta.transfer_after_exhibition"] == DeadlineState.running
    step(case, "transfer", users["examiner"])
    assert case.state == S.transferred and case.closed_at is not None
    assert deadlines(case) == {
        "sta.forward": DeadlineState.met,
        "sta.respondent_response": DeadlineState.cancelled,  # moot once the case has left
        "sta.transfer_after_exhibition": DeadlineState.met,
    }
    [new] = referred(case)
    assert (new.channel, new.organisation_id, new.state) == (Channel.adjudication, org("cdip").id, "received")
    assert {p.name for p in new.parties} == {p.name for p in case.parties}


def test_the_exhibition_closes_on_its_last_day(case, users, frozen_now):
    """The station's exhibition dates say when the unfinished complaints are transferred."""
    expo = org("cdexpo")
    expo.exhibition_starts_on, expo.exhibition_ends_on = datetime(2026, 11, 20).date(), datetime(2026, 11, 26).date()
    db.session.flush()
    frozen_now(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # 18:00 in Chengdu, the day before the last
    case.received_at = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert "2026-11-26" in str(why_not(WORKFLOW, case, "exhibition_closed", users["station"]))
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "exhibition_closed", actor=users["station"])
    assert case.state == S.received
    frozen_now(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # 17:00 on the last day
    assert why_not(WORKFLOW, case, "exhibition_closed", users["station"]) is None
    savepoint = db.session.begin_nested()
    with pytest.raises(DomainError):  # recorded as of the day before: still running then
        take(WORKFLOW, case, "exhibition_closed", actor=users["station"], at=datetime(2026, 11, 25, 9, tzinfo=UTC))
    savepoint.rollback()
    take(WORKFLOW, case, "exhibition_closed", actor=users["station"])
    assert case.state == S.awaiting_transfer


def test_no_exhibition_closing_at_a_market(app, create_case, users):
    parent = db.session.scalars(sa.select(Organisation).where(Organisation.code == "cdip")).one()
    market = Organisation(
        code="cdmarket",
        name="荷花池市场维权工作站",
        name_en="cdmarket",
        abbr="成知",
        kind=OrgKind.workstation,
        host_type=HostType.market,
        region_code="510100",
        region_name="成都市",
        parent=parent,
    )
    db.session.add(market)
    db.session.flush()
    case = create_case(Channel.station, organisation="cdmarket", actor=users["director"])
    assert "exhibition_closed" not in {t.action for t in available(WORKFLOW, case, users["director"])}
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "exhibition_closed", actor=users["director"])
    assert case.state == S.received


@pytest.mark.parametrize(
    ("action", "channel", "organisation"),
    [("refer_to_adjudication", Channel.adjudication, "cdip"), ("refer_to_mediation", Channel.mediation, "cdmed")],
)
def test_referral_closes_the_complaint_and_opens_the_linked_case(case, users, action, channel, organisation):
    step(case, "forward", users["station"])
    step(case, "notify_respondent", users["station"])
    step(case, action, users["examiner"], reason="被投诉人提交不侵权抗辩")
    assert case.state == S.referred and case.closed_at is not None
    assert DeadlineState.running not in deadlines(case).values()
    [new] = referred(case)
    assert (new.channel, new.organisation.code) == (channel, organisation)
    if channel == Channel.mediation:
        assert new.mediation_type == "commercial"


def test_repeat_exhibitors(app, create_case, users):
    def complaint(respondent, state, channel=Channel.station, organisation="cdexpo", actor="station"):
        c = create_case(channel, organisation=organisation, respondent=respondent, actor=users[actor])
        put(c, state)

    for _ in range(3):
        complaint("顺发展具有限公司", S.resolved)
    complaint("巴渝食品有限公司", S.resolved)
    complaint("巴渝食品有限公司", S.measures_taken)  # not finished yet
    complaint("巴渝食品有限公司", S.referred)  # no measures on site
    complaint("巴渝食品有限公司", "resolved", Channel.mediation, "cdmed", "mediator")  # not a station
    assert repeat_exhibitors() == [("顺发展具有限公司", 3)]
    assert repeat_exhibitors(min_count=1) == [("顺发展具有限公司", 3), ("巴渝食品有限公司", 1)]
    assert repeat_exhibitors(min_count=4) == []
    # one more resolved complaint makes the second exhibitor a repeat one
    c = create_case(Channel.station, organisation="cdexpo", respondent="巴渝食品有限公司", actor=users["station"])
    for action in ("forward", "notify_respondent", "receive_response", "take_measures", "resolve"):
        step(c, action, users["station"], reason="撤下展品")
    assert repeat_exhibitors() == [("顺发展具有限公司", 3), ("巴渝食品有限公司", 2)]
