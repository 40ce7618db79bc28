"""Each party sees its own window (issue 10): the requester of a case saw "可以提起行政诉讼
2026-12-18前" counted from the respondent's service. A party's lawsuit window runs from the service
of the decision on that party; the portal shows each party its own, the staff see both by name."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.documents import operations as documents
from ipcase.documents.models import ServiceMethod
from ipcase.portal.operations import issue_access_code
from tests.cases.helpers import commit
from tests.portal.helpers import enter

#: Tuesday 2026-11-24, 10:00 in China: the decision is issued and served on the respondent; the
#: requester is served two days later. Their windows end on 2026-12-09 and 2026-12-11.
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
RESPONDENT_DUE, REQUESTER_DUE = "2026-12-09", "2026-12-11"
LAWSUIT = "A party may bring an administrative lawsuit"


@pytest.fixture
def served(app, users, create_case, frozen_now):
    """A decided case whose decision was served on the respondent and, two days later, on the
    requester: returns (case, {"requester": code, "respondent": code})."""
    frozen_now(NOW)
    case = create_case(Channel.adjudication, actor=users["examiner"], received_at=NOW - timedelta(days=4))
    for user, role in (
        (users["director"], AssignmentRole.panel_leader),
        (users["examiner2"], AssignmentRole.panel_member),
        (users["examiner3"], AssignmentRole.panel_member),
    ):
        assign_staff(case, user, role, actor=users["director"])
    decision = documents.issue_document(
        case,
        "adjudication_decision",
        {"requester_claims": "请求停止侵权", "findings": "查明", "reasoning": "认为", "order": "停止制造"},
        actor=users["director"],
    )
    case.state, case.closed_at = "closed_decided", NOW

    def serve(party, day):
        documents.record_service(
            decision, recipient=party, method=ServiceMethod.direct, served_on=day, actor=users["examiner"]
        )

    serve(case.respondents[0], date(2026, 11, 24))
    frozen_now(NOW + timedelta(days=2))
    serve(case.requesters[0], date(2026, 11, 26))
    codes = {
        "requester": issue_access_code(case, case.requesters[0], actor=users["examiner"]),
        "respondent": issue_access_code(case, case.respondents[0], actor=users["examiner"]),
    }
    commit()
    return case, codes


def next_steps(body: str) -> str:
    """The status page's list of running periods (the timeline below may name other dates)."""
    found = re.search(r'<ul class="dl-list" id="next-steps">(.*?)</ul>', body, re.S)
    assert found, "no running periods listed"
    return found.group(1)


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("requester", REQUESTER_DUE, RESPONDENT_DUE), ("respondent", RESPONDENT_DUE, REQUESTER_DUE)],
)
def test_each_party_sees_its_own_lawsuit_window(client_as, text, served, role, own, other):
    case, codes = served
    client = client_as()
    assert enter(client, case.number, codes[role]).status_code == 302
    shown = next_steps(text(client.get("/portal/status")))
    assert shown.count(LAWSUIT) == 1
    assert own in shown and other not in shown


def test_staff_see_both_windows_with_the_party_names(client_as, text, served):
    case, _codes = served
    requester, respondent = case.requesters[0], case.respondents[0]
    body = text(client_as("examiner").get(f"/cases/{case.id}"))
    items = re.findall(r'<li class="dl-item[^"]*" id="deadline-\d+">(.*?)</li>', body, re.S)
    windows = [i for i in items if "提起行政诉讼期限" in i]
    assert len(windows) == 2
    by_name = {name: next(w for w in windows if name in w) for name in (requester.name, respondent.name)}
    assert f"(Requester: {requester.name})" in by_name[requester.name] and REQUESTER_DUE in by_name[requester.name]
    assert f"(Respondent: {respondent.name})" in by_name[respondent.name] and RESPONDENT_DUE in by_name[respondent.name]


def test_a_party_account_sees_its_own_window_on_the_case_page(client_as, text, served, users):
    case, _codes = served
    case.requesters[0].user_id = users["party"].id
    commit()
    shown = text(client_as("party").get(f"/deadlines/case/{case.id}"))
    assert shown.count("提起行政诉讼期限") == 1
    assert REQUESTER_DUE in shown and RESPONDENT_DUE not in shown


def test_the_staff_panel_names_the_party_in_chinese(client_as, text, served):
    case, _codes = served
    body = text(client_as("examiner", lang="zh_CN").get(f"/deadlines/case/{case.id}"))
    assert f"（请求人：{case.requesters[0].name}）" in body


def test_another_party_s_period_of_a_kind_the_viewer_has_not_is_shown_with_its_name(
    client_as, text, case_with_codes, users
):
    """The requester is still told by when the respondent must file its defence (the
    respondent's own period), and whose it is; the respondent sees it as its own."""
    case, codes = case_with_codes
    for user, role in (
        (users["director"], AssignmentRole.panel_leader),
        (users["examiner2"], AssignmentRole.panel_member),
        (users["examiner3"], AssignmentRole.panel_member),
    ):
        assign_staff(case, user, role, actor=users["director"])
    case.state = "docketed"
    take(WORKFLOW, case, "serve", actor=users["examiner"])
    commit()
    name = case.respondents[0].name
    for role, named in (("requester", True), ("respondent", False)):
        client = client_as()
        assert enter(client, case.number, codes[role]).status_code == 302
        shown = next_steps(text(client.get("/portal/status")))
        assert "The respondent files its defence" in shown
        assert (f"（{name}）" in shown or f"({name})" in shown) is named, role
