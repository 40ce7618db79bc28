"""The public state tables are complete, and the status page tells a party where its case is,
who has it, what happens next by when and under which article, and what was paused — and
nothing internal."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.cases.registry import all_channels, get_channel
from ipcase.cases.timeline import enum_ref, record
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.referrals import report_suspected_crime
from ipcase.channels.workflow import take
from ipcase.deadlines.models import ExclusionKind
from ipcase.deadlines.operations import start_exclusion
from ipcase.deadlines.rules import RULES
from ipcase.portal import status as public
from ipcase.portal.operations import issue_access_code
from ipcase.portal.queries import public_events
from tests.cases.helpers import commit, make_client_as
from tests.portal.helpers import enter

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(NOW)


# -- the tables -------------------------------------------------------------------------------------


@pytest.mark.parametrize("defn", all_channels(), ids=lambda d: d.key.value)
def test_every_internal_state_has_a_public_state(defn):
    table = public.MAPPINGS[defn.key]
    assert set(table) == set(defn.states), "states without a public state (or unknown ones)"
    for state, status in table.items():
        assert public.public_status(defn.key, state.value) is status
        # closed internally ⇔ closed publicly
        assert status.is_closed == (state in defn.closed_states), state


@pytest.mark.parametrize("defn", all_channels(), ids=lambda d: d.key.value)
def test_public_labels_never_repeat_internal_ones_by_accident(defn):
    """One public state per code: states sharing a code share the whole description."""
    by_code: dict[str, public.PublicStatus] = {}
    for status in public.MAPPINGS[defn.key].values():
        assert by_code.setdefault(status.code, status) is status, status.code


def test_internal_review_steps_collapse_into_one_public_state():
    deciding = {
        public.public_status(Channel.adjudication, s).code for s in ("heard", "deliberation", "closing_approval")
    }
    assert deciding == {"deciding"}


def test_an_unknown_state_is_not_shown_by_its_internal_name():
    assert public.public_status(Channel.adjudication, "secret_stage") is public.UNKNOWN


def test_every_rule_is_either_public_or_explicitly_internal():
    ids = {r.id for r in RULES}
    assert set(public.PUBLIC_DEADLINES) | public.INTERNAL_DEADLINES == ids
    assert not set(public.PUBLIC_DEADLINES) & public.INTERNAL_DEADLINES


def test_public_reasons_name_real_steps():
    for channel, steps in public.PUBLIC_REASONS.items():
        workflow = get_channel(channel).workflow
        assert steps <= set(workflow.by_action), channel


@pytest.mark.parametrize(
    ("channel", "state", "role", "kind", "ok"),
    [
        ("adjudication", "deficient", "requester", "deficiency_answer", True),
        ("adjudication", "deficient", "respondent", "deficiency_answer", False),
        ("adjudication", "received", "requester", "deficiency_answer", False),
        ("adjudication", "defence_period", "respondent", "defence", True),
        ("adjudication", "defence_period", "requester", "defence", False),
        ("adjudication", "evidence", "respondent", "defence", False),
        ("mediation", "awaiting_statement", "respondent", "defence", True),
        ("station", "incomplete", "requester", "deficiency_answer", True),
        ("adjudication", "hearing_scheduled", "respondent", "hearing_change", True),
        ("adjudication", "evidence", "respondent", "hearing_change", False),
        ("injunction", "served", "requester", "withdrawal", True),
        ("adjudication", "received", "requester", "payment", False),
    ],
)
def test_who_may_do_what_online(channel, state, role, kind, ok):
    assert (public.why_not_online(channel, state, role, kind, is_closed=False) is None) == ok


def test_nothing_is_sent_online_to_a_closed_case():
    assert public.why_not_online("adjudication", "closed_decided", "requester", "withdrawal", is_closed=True)


# -- the page -----------------------------------------------------------------------------------------


def _panel(case, users):
    for user, role in (
        (users["director"], AssignmentRole.panel_leader),
        (users["examiner2"], AssignmentRole.panel_member),
        (users["examiner3"], AssignmentRole.panel_member),
    ):
        assign_staff(case, user, role, actor=users["director"])


def test_status_page_shows_state_holder_next_step_and_article(client_as, text, case_with_codes, users, frozen_now):
    case, codes = case_with_codes
    frozen_now(NOW)
    client = client_as()
    assert enter(client, case.number, codes["requester"]).status_code == 302
    page = text(client.get("/portal/status"))
    assert "Request received: being checked" in page
    assert "The intake examiners" in page and "成都市知识产权局" in page
    assert "The office decides whether to docket the request" in page
    assert "《专利纠纷行政裁决和调解办法》第二十条" in page
    # docketed and served: the defence period with its date and article
    _panel(case, users)
    workflow = get_channel(case.channel).workflow
    take(workflow, case, "docket", actor=users["examiner"], at=NOW)
    take(workflow, case, "serve", actor=users["examiner"], at=NOW)
    commit()
    page = text(client.get("/portal/status"))
    assert "The respondent has been sent the request and may answer" in page
    assert "The respondent files its defence" in page
    assert "2026-12-09" in page  # 15 days from service ([85]22)
    assert "《专利纠纷行政裁决和调解办法》第二十二条" in page
    assert "The respondent, whose answer is awaited" in page


def test_paused_periods_and_why(client_as, text, case_with_codes, users, frozen_now):
    case, codes = case_with_codes
    frozen_now(NOW)
    start_exclusion(
        case, ExclusionKind.appraisal, date(2026, 11, 20), actor=users["examiner"], reason="内部备注：鉴定机构甲"
    )
    commit()
    client = client_as()
    enter(client, case.number, codes["respondent"])
    page = text(client.get("/portal/status"))
    assert "Inspection or appraisal: 2026-11-20 – still running" in page
    assert "内部备注" not in page  # the staff's reason stays internal


def _step(case, action, before, after, *, reason="", details=None, public=True):
    """A workflow step's timeline entry exactly as the engine records it (the adjudication
    steps' own forms are another feature's: the portal only reads what they leave behind)."""
    case.state = after
    data = {
        "action": {"step": action, "channel": "adjudication"},
        "from": enum_ref(S(before)),
        "to": enum_ref(S(after)),
        "reason": reason,
    }
    if details:
        data["details"] = details
    record(case, "case.transition", actor=None, is_public=public, data=data)


def test_internal_steps_and_notes_never_reach_the_parties(client_as, text, case_with_codes, users, frozen_now):
    case, codes = case_with_codes
    frozen_now(NOW)
    _step(case, "docket", "received", "docketed")
    _step(case, "serve", "docketed", "defence_period")
    _step(case, "receive_defence", "defence_period", "evidence")
    _step(case, "deliberate", "evidence", "deliberation", reason="合议庭内部讨论要点")
    _step(case, "submit_for_closing", "deliberation", "closing_approval", details={"votes_for": 2, "votes_against": 1})
    _step(case, "return_to_panel", "closing_approval", "deliberation", reason="合议意见分歧：侵权比对需补充")
    _step(case, "internal_note", "deliberation", "deliberation", reason="不公开的备注", public=False)
    report_suspected_crime(case, actor=users["examiner"], facts="疑似假冒专利，涉嫌犯罪")
    commit()
    client = client_as()
    enter(client, case.number, codes["requester"])
    page = text(client.get("/portal/status"))
    assert "The panel is preparing its decision" in page
    assert page.count("The panel is preparing its decision") == 2  # the state, and one history line
    for secret in (
        "合议庭内部讨论要点",
        "合议意见分歧",
        "不公开的备注",
        "涉嫌犯罪",
        "votes",
        "Suspected crime",
        "police",
    ):
        assert secret not in page, secret
    # the crime referral's period is not among the time limits shown
    assert "涉嫌犯罪案件移送审批期限" not in page


def test_the_hearing_date_is_told_but_not_who_asked_to_move_it(client_as, text, case_with_codes, frozen_now):
    case, _codes = case_with_codes
    frozen_now(NOW)
    _step(
        case,
        "schedule_hearing",
        "evidence",
        "hearing_scheduled",
        details={
            "hearing_at": "2026-12-10T09:30",
            "place": "第一审理庭",
            "publicity": "closed",
            "closed_reason": "trade_secret",
        },
    )
    _step(
        case,
        "reschedule_hearing",
        "hearing_scheduled",
        "hearing_scheduled",
        details={"hearing_at": "2026-12-17T09:30", "place": "第二审理庭", "party": 999, "requested_on": "2026-12-01"},
    )
    commit()
    texts = [e.text for e in public_events(case)]
    assert "2026-12-17 09:30" in texts[0] and "第二审理庭" in texts[0]
    assert "2026-12-10 09:30" in texts[1] and "第一审理庭" in texts[1]
    assert not any("999" in t or "trade" in t.lower() or "2026-12-01" in t for t in texts)


def test_correction_reasons_are_shown_to_the_requester(client_as, text, case_with_codes, users, frozen_now):
    case, codes = case_with_codes
    frozen_now(NOW)
    workflow = get_channel(case.channel).workflow
    take(
        workflow,
        case,
        "request_correction",
        actor=users["examiner"],
        reason="请补充专利登记簿副本",
        at=NOW,
        details={"cure_by": date(2026, 12, 9)},
    )
    commit()
    with force_locale("en"):
        latest = public_events(case)[0].text
    assert latest.startswith("Waiting for missing material") and latest.endswith("请补充专利登记簿副本")
    client = client_as()
    enter(client, case.number, codes["requester"])
    page = text(client.get("/portal/status"))
    assert "请补充专利登记簿副本" in page
    assert "/portal/status/act/deficiency_answer" in page


def test_status_page_in_chinese(app, text, case_with_codes):
    case, codes = case_with_codes

    client = make_client_as(app, None, lang=None)
    enter(client, case.number, codes["requester"])
    response = client.get("/portal/status")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in text(response)


def test_status_without_access_goes_to_the_code_page(client_as):
    response = client_as().get("/portal/status")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/status/access")


def test_a_revoked_code_ends_the_session(client_as, case_with_codes, users):
    case, codes = case_with_codes
    client = client_as()
    enter(client, case.number, codes["requester"])
    assert client.get("/portal/status").status_code == 200
    issue_access_code(case, case.requesters[0], actor=users["examiner"])  # replaces the old code
    commit()
    assert client.get("/portal/status").status_code == 302
    assert enter(client_as(), case.number, codes["requester"]).status_code == 422


def test_the_session_expires(client_as, case_with_codes, frozen_now, app):
    case, codes = case_with_codes
    frozen_now(NOW)
    client = client_as()
    enter(client, case.number, codes["requester"])
    minutes = app.config["PORTAL_SESSION_MINUTES"]
    frozen_now(datetime.fromtimestamp(NOW.timestamp() + minutes * 60 + 1, UTC))
    assert client.get("/portal/status").status_code == 302


def test_leaving_ends_the_session(client_as, case_with_codes):
    case, codes = case_with_codes
    client = client_as()
    enter(client, case.number, codes["requester"])
    assert client.post("/portal/status/leave").status_code == 302
    assert client.get("/portal/status").status_code == 302
