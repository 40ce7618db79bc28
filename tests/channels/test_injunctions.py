"""The injunction procedure: every allowed and refused move, per role; the main path and its
branches through the web; the decision and review clocks; the link to the main case. (The
details each step records are tested in ``test_injunctions_steps.py``.)"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import Channel, PartyRole
from ipcase.cases.models import TimelineEntry
from ipcase.cases.registry import get_channel
from ipcase.channels.injunctions.states import InjunctionState as S
from ipcase.channels.injunctions.workflow import WORKFLOW, link_main_case
from ipcase.channels.workflow import available, take, why_not
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.operations import start_deadline

ALL_STATES = [s.value for s in S]
ACTIONS = [t.action for t in WORKFLOW.transitions]
APPLICATION = {"urgency_facts": "展会明日闭幕", "requested_measures": "撤下展品", "bond_amount": Decimal("10000")}


def english(message):
    """The refusal in English (the default locale outside a request is Chinese)."""
    with force_locale("en"):
        return str(message)


@pytest.fixture
def case(app, create_case, users):
    return create_case(Channel.injunction, actor=users["examiner"], channel_data=dict(APPLICATION))


def put(case, state):
    """Force a state; an injunction forced into force expired yesterday (so it may expire now)."""
    case.state = state
    case.closed_at = case.received_at if state in WORKFLOW.closed else None
    case.expires_on = clock.today() - timedelta(days=1)


def details(action, case=None):
    """Valid details for each step that asks for them (none for the others)."""
    respondent = next((p.id for p in case.parties if p.role == PartyRole.respondent), None) if case else None
    return {
        "grant": {"measures": "责令撤下展台上的涉案产品", "duration_days": 30},
        "check_compliance": {
            "checked_on": clock.today(),
            "checked_by": "王五、赵六",
            "complied": "complied",
            "findings": "展位已撤下展品",
            "record_credit": False,
        },
        "apply_review": {"party": respondent, "grounds": "涉案专利稳定性存疑"},
        "lift": {"ground": "main_case_decided"},
    }.get(action, {})


def step(case, action, actor, reason="理由", **kw):
    return take(WORKFLOW, case, action, actor=actor, reason=reason, details=details(action, case), **kw)


def form_data(action, case, **extra):
    """A step's details as its form posts them."""
    data = {}
    for key, value in details(action, case).items():
        if value is True:
            data[key] = "y"
        elif value not in (False, None):
            data[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data | extra


def timeline_count(case):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case.id)
    )


def deadline(case, rule_id):
    return db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)).one()


def deadline_states(case):
    return {d.rule_id: d.state for d in db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id))}


def test_registered_with_the_channel():
    assert get_channel(Channel.injunction).workflow is WORKFLOW


#: the periods a step answers, started before it is taken (issue 12: it waits for them)
ANSWERED = {"record_follow_on_filing": ("inj.follow_on_filing",), "request_renewal": ("inj.renewal",)}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_move_from_every_state(case, users, action):
    """Each state is tried inside a savepoint that is rolled back: one case serves them all."""
    t = WORKFLOW.by_action[action]
    initial = (case.state, timeline_count(case), deadline_states(case))
    for state in ALL_STATES:
        savepoint = db.session.begin_nested()
        put(case, state)
        db.session.flush()
        entries, clocks = timeline_count(case), deadline_states(case)
        closed_at = case.closed_at
        if state not in WORKFLOW.sources_of(t):
            with pytest.raises(DomainError):
                step(case, action, users["director"])
            # refused: nothing changed
            assert (case.state, case.closed_at) == (state, closed_at), state
            assert timeline_count(case) == entries and deadline_states(case) == clocks, state
        else:
            for rule_id in ANSWERED.get(action, ()):
                start_deadline(case, rule_id, started_at=case.received_at, actor=users["director"])
            step(case, action, users["director"])
            assert case.state == (t.target or state), state
            assert (case.closed_at is not None) == (t.closes or state in WORKFLOW.closed), state
            assert timeline_count(case) > entries, state
        savepoint.rollback()
    assert (case.state, timeline_count(case), deadline_states(case)) == initial


def test_the_table_covers_every_state():
    """Every state is reached by some move, and every open state has a way out."""
    targets = {t.target for t in WORKFLOW.transitions if t.target} | {S.received.value}
    assert targets == set(ALL_STATES)
    for state in set(ALL_STATES) - WORKFLOW.closed:
        assert any(state in WORKFLOW.sources_of(t) and t.target for t in WORKFLOW.transitions), state


@pytest.mark.parametrize(
    ("state", "username", "may"),
    [
        (S.received, "examiner", {"start_review"}),
        (S.received, "director", {"start_review"}),
        (S.under_review, "examiner", set()),  # an examiner cannot grant or refuse
        (S.under_review, "director", {"grant", "refuse"}),
        (S.served, "examiner", {"check_compliance", "apply_review", "expire"}),
        (S.served, "director", {"check_compliance", "apply_review", "lift", "expire"}),
        (S.review_pending, "examiner", {"check_compliance"}),
        (S.review_pending, "director", {"check_compliance", "uphold_on_review", "revoke_on_review"}),
        (S.received, "mediator", set()),
        (S.received, "station", set()),
        (S.received, "expert", set()),
        (S.received, "party", set()),
        (S.received, "cqexaminer", set()),
        (S.under_review, "cqexaminer", set()),
    ],
)
def test_who_may_act(case, users, state, username, may):
    put(case, state)
    assert {t.action for t in available(WORKFLOW, case, users[username])} == may


def test_an_examiner_cannot_grant(case, users):
    take(WORKFLOW, case, "start_review", actor=users["examiner"])
    assert why_not(WORKFLOW, case, "grant", users["examiner"])
    with pytest.raises(DomainError):
        step(case, "grant", users["examiner"])
    assert case.state == S.under_review
    assert deadline(case, "inj.decision").state == DeadlineState.running


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("bond_amount", None, "bond"),
        ("bond_amount", Decimal("0"), "bond"),
        ("requested_measures", "  ", "measures"),
        ("urgency_facts", "", "urgent"),
    ],
)
def test_grant_needs_bond_measures_and_urgency(case, users, field, value, word):
    take(WORKFLOW, case, "start_review", actor=users["examiner"])
    setattr(case, field, value)
    assert word in english(why_not(WORKFLOW, case, "grant", users["director"])).lower()
    with pytest.raises(DomainError):
        step(case, "grant", users["director"])
    assert case.state == S.under_review
    # a refusal needs no bond: "no bond → rejected"
    take(WORKFLOW, case, "refuse", actor=users["director"], reason="未提供担保")
    assert case.state == S.refused and case.closed_at is not None


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.under_review, "refuse"),
        (S.served, "lift"),
        (S.review_pending, "uphold_on_review"),
        (S.review_pending, "revoke_on_review"),
    ],
)
def test_reasons_required(case, users, state, action):
    put(case, state)
    entries = timeline_count(case)
    with pytest.raises(DomainError):
        step(case, action, users["director"], reason="  ")
    assert case.state == state and case.closed_at is None and timeline_count(case) == entries


def test_one_review_only(case, users):
    put(case, S.served)
    step(case, "apply_review", users["examiner"])
    step(case, "uphold_on_review", users["director"], reason="申请人已提供充分担保")
    assert case.state == S.served
    assert "review" in english(why_not(WORKFLOW, case, "apply_review", users["examiner"])).lower()
    with pytest.raises(DomainError):
        step(case, "apply_review", users["examiner"])
    assert case.state == S.served


def test_decision_and_review_clocks(app, create_case, users, frozen_now):
    now = frozen_now(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    received = now - timedelta(hours=30)
    c = create_case(Channel.injunction, actor=users["examiner"], received_at=received, channel_data=dict(APPLICATION))
    decision = deadline(c, "inj.decision")
    assert decision.state == DeadlineState.running and decision.due_at == received + timedelta(hours=48)
    take(WORKFLOW, c, "start_review", actor=users["examiner"], at=received + timedelta(hours=1))
    granted_at = received + timedelta(hours=20)
    step(c, "grant", users["director"], at=granted_at)
    assert decision.state == DeadlineState.met and decision.met_at == granted_at
    assert "inj.review_decision" not in deadline_states(c)
    take(WORKFLOW, c, "serve", actor=users["examiner"], at=received + timedelta(hours=22))
    applied_at = received + timedelta(hours=26)
    step(c, "apply_review", users["examiner"], at=applied_at)
    review = deadline(c, "inj.review_decision")
    assert review.state == DeadlineState.running and review.started_at == applied_at and review.length == 10
    assert review.due_at > applied_at + timedelta(days=9)
    take(WORKFLOW, c, "revoke_on_review", actor=users["director"], reason="权利稳定性存疑", at=now)
    assert review.state == DeadlineState.met and review.met_at == now
    assert c.state == S.lifted and c.closed_at == now


def test_refusal_meets_the_decision_clock(case, users):
    take(WORKFLOW, case, "start_review", actor=users["examiner"])
    take(WORKFLOW, case, "refuse", actor=users["director"], reason="情况不紧急")
    assert deadline(case, "inj.decision").state == DeadlineState.met


def open_deadlines(case):
    return {k for k, v in deadline_states(case).items() if v in (DeadlineState.running, DeadlineState.suspended)}


def post(client, case, action, reason=""):
    return client.post(f"/cases/{case.id}/actions/{action}", data=form_data(action, case, reason=reason))


def test_main_path_through_the_web(client, login_as, case):
    db.session.commit()
    examiner = login_as("examiner")
    assert post(examiner, case, "start_review").status_code == 302
    assert post(examiner, case, "grant").status_code == 403  # only a director grants
    db.session.refresh(case)
    assert case.state == S.under_review and "inj.decision" in open_deadlines(case)
    examiner.post("/logout")
    director = login_as("director")
    assert post(director, case, "grant").status_code == 302
    db.session.refresh(case)
    assert case.state == S.granted and "inj.decision" not in open_deadlines(case)
    director.post("/logout")
    examiner = login_as("examiner")
    for action in ["serve", "check_compliance", "apply_review"]:
        assert post(examiner, case, action).status_code == 302, action
    db.session.refresh(case)
    assert case.state == S.review_pending and "inj.review_decision" in open_deadlines(case)
    assert post(examiner, case, "uphold_on_review", "担保充分").status_code == 403
    examiner.post("/logout")
    director = login_as("director")
    assert post(director, case, "uphold_on_review", "担保充分，禁令应予维持").status_code == 302
    db.session.refresh(case)
    assert case.state == S.served and "inj.review_decision" not in open_deadlines(case)
    assert post(director, case, "lift", "主案已作出裁决").status_code == 302
    db.session.refresh(case)
    assert case.state == S.lifted and case.closed_at is not None
    page = director.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "展位已撤下展品" in page  # the compliance finding is on the timeline


def test_refusal_and_revocation_through_the_web(client, login_as, case, create_case, users):
    other = create_case(Channel.injunction, actor=users["examiner"], channel_data=dict(APPLICATION))
    put(other, S.review_pending)
    db.session.commit()
    director = login_as("director")
    post(director, case, "start_review")
    assert post(director, case, "refuse", "").status_code == 302  # no reasons: refused
    db.session.refresh(case)
    assert case.state == S.under_review and case.closed_at is None
    assert post(director, case, "refuse", "不存在紧急情况").status_code == 302
    db.session.refresh(case)
    assert case.state == S.refused and case.closed_at is not None
    assert post(director, other, "revoke_on_review", "被申请人提供反担保").status_code == 302
    db.session.refresh(other)
    assert other.state == S.lifted and other.closed_at is not None


def test_refused_web_move_changes_nothing(client, login_as, case):
    db.session.commit()
    c = login_as("examiner")
    entries = timeline_count(case)
    assert post(c, case, "serve").status_code == 302
    db.session.refresh(case)
    assert case.state == S.received and timeline_count(case) == entries
    assert post(c, case, "no_such_step").status_code == 404


# -- the link to the main adjudication case ---------------------------------------------------


def test_link_main_case(case, create_case, users):
    main = create_case(Channel.adjudication, actor=users["examiner"])
    entries = timeline_count(case)
    link_main_case(case, main, users["examiner"])
    assert case.main_case_id == main.id
    assert timeline_count(case) == entries + 1
    entry = db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id.desc())
    ).first()
    assert entry.event == "case.updated" and entry.data == {"fields": ["main_case"]}
    with pytest.raises(DomainError):  # already linked to it
        link_main_case(case, main, users["examiner"])


def test_link_by_identity_number(case, create_case, users):
    main = create_case(Channel.adjudication, actor=users["examiner"], requester="甲", respondent="乙")
    for c in (case, main):
        respondent = next(p for p in c.parties if p.role == PartyRole.respondent)
        respondent.id_number = "91510100MA61234567"
    link_main_case(case, main, users["director"])
    assert case.main_case_id == main.id


@pytest.mark.parametrize("problem", ["mediation", "other_org", "no_common_party", "other_office", "party", "closed"])
def test_link_main_case_refused(case, create_case, users, problem):
    actor = users["examiner"]
    if problem == "mediation":
        other = create_case(Channel.mediation, actor=users["examiner"])
    elif problem == "other_org":
        other = create_case(Channel.adjudication, organisation="cqip", actor=users["cqexaminer"])
    elif problem == "no_common_party":
        other = create_case(Channel.adjudication, actor=users["examiner"], requester="甲公司", respondent="乙公司")
    else:
        other = create_case(Channel.adjudication, actor=users["examiner"])
        actor = {"other_office": users["cqexaminer"], "party": users["party"], "closed": users["examiner"]}[problem]
        if problem == "closed":
            put(case, S.lifted)
    entries = timeline_count(case)
    with pytest.raises(DomainError):
        link_main_case(case, other, actor)
    assert case.main_case_id is None and timeline_count(case) == entries


def test_only_an_injunction_links(app, create_case, users):
    a = create_case(Channel.adjudication, actor=users["examiner"])
    b = create_case(Channel.adjudication, actor=users["examiner"])
    with pytest.raises(DomainError):
        link_main_case(a, b, users["examiner"])


def test_link_main_case_through_the_web(app, login_as, create_case, users):
    main = create_case(Channel.adjudication, actor=users["examiner"])
    inj = create_case(
        Channel.injunction,
        actor=users["examiner"],
        channel_data={"urgency_facts": "展会明日闭幕", "requested_measures": "撤展", "bond_amount": Decimal("10000")},
    )
    db.session.commit()
    client = login_as("examiner")
    assert client.post(f"/cases/{inj.id}/main-case", data={"number": "成知裁字〔1999〕1号"}).status_code == 302
    db.session.refresh(inj)
    assert inj.main_case_id is None  # unknown number: nothing changed
    assert client.post(f"/cases/{inj.id}/main-case", data={"number": main.number}).status_code == 302
    db.session.refresh(inj)
    assert inj.main_case_id == main.id
    page = client.get(f"/cases/{inj.id}").get_data(as_text=True)
    assert main.number in page
    assert client.post(f"/cases/{main.id}/main-case", data={"number": inj.number}).status_code == 404
