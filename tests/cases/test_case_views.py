"""The staff workbench through HTTP: intake, the case page, editing the file, the case list."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ipcase.cases import operations as ops
from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.models import Agent, Assignment, Case, IPRight, Party, TimelineEntry
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.numbering import Counter
from tests import factories
from tests.cases.helpers import OTHER_PATENT, add_agent, add_patent, add_third_party, commit, open_case_form

#: Every valid POST /cases/new dies with KeyError (a 500) before reaching the operation.
ERROR = re.compile(r'class="(?:error|form-errors)"')
CASE_LINK = re.compile(r'<a href="/cases/(\d+)">')
#: intake forms and case numbers written for Tuesday 2026-11-24 10:00 China time (receipts typed
#: on the days before it, numbers of 2026): such tests start the clock there
WRITTEN_FOR_NOV_24 = pytest.mark.frozen_at(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def listed(response) -> list[int]:
    """Ids of the cases in the list's table, in order."""
    return [int(i) for i in CASE_LINK.findall(response.get_data(as_text=True))]


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


# -- intake -------------------------------------------------------------------------------------


@WRITTEN_FOR_NOV_24
@pytest.mark.parametrize(
    ("channel", "username", "org_code", "prefix", "handler_role"),
    [
        ("adjudication", "examiner", "cdip", "成知裁字〔2026〕", AssignmentRole.handler),
        ("mediation", "mediator", "cdmed", "成仲调调字〔2026〕", AssignmentRole.mediator),
        ("station", "station", "cdexpo", "成知展字〔2026〕", AssignmentRole.handler),
        ("injunction", "director", "cdip", "成知禁字〔2026〕", AssignmentRole.handler),
    ],
)
def test_open_case_for_each_channel(
    client_as, users, frozen_now, text, channel, username, org_code, prefix, handler_role
):
    client = client_as(username)
    before = count(Case)
    response = client.post("/cases/new", data=open_case_form(channel, factories.org(org_code).id))
    assert response.status_code == 302, text(response)
    assert count(Case) == before + 1
    case = db.session.scalars(sa.select(Case).order_by(Case.id.desc())).first()
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.number == f"{prefix}1号"
    assert case.channel == channel
    assert case.state == "received"
    assert case.organisation.code == org_code
    assert case.received_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    assert case.created_by == users[username]
    assert [(p.role, p.name) for p in case.parties] == [
        (PartyRole.requester, "成都某某科技有限公司"),
        (PartyRole.respondent, "王五"),
    ]
    assert case.requesters[0].id_number == "91350100M000100Y43"
    assert case.respondents[0].id_number == "11010519491231002X"
    assert [(r.number, r.patent_type) for r in case.rights] == [("ZL201710601862.3", "invention")]
    assert [(a.user.username, a.role) for a in case.assignments] == [(username, handler_role)]
    if channel == "mediation":
        assert (case.mediation_type, case.claimed_amount) == ("administrative", Decimal("50000"))
    elif channel == "injunction":
        assert (case.urgency_facts, case.requested_measures) == ("展会明日闭幕", "撤展")
    elif channel == "station":
        assert case.booth == "3号馆 A-102"
    else:
        assert case.accused_product == "折叠椅 A-1"
    events = [e.event for e in case.timeline]
    intake = ["case.opened", "case.numbered", "party.added", "party.added", "right.added", "assignment.added"]
    assert events[: len(intake)] == intake
    assert all(e.startswith("deadline.") for e in events[len(intake) :]), events
    page = follow(client, response)
    assert page.status_code == 200
    timeline = text(page).split('id="timeline"', 1)[1]
    assert f"Case number {case.number} assigned" in timeline
    assert "Case opened in Patent" in timeline or channel != "adjudication"


def test_intake_page_renders_for_each_channel(client_as):
    client = client_as("examiner")
    for channel in (Channel.adjudication, Channel.injunction, Channel.mediation):
        assert client.get("/cases/new", query_string={"channel": channel.value}).status_code == 200
    assert client.get("/cases/new", query_string={"channel": "station"}).status_code == 403
    assert client.get("/cases/new", query_string={"channel": "bogus"}).status_code == 200


#: (user, the channels their intake offers): issue 12, each role opens only its own channels
ROLE_INTAKE = [
    ("station", {"station"}),
    ("mediator", {"mediation"}),
    ("examiner", {"adjudication", "injunction", "mediation"}),
    ("director", {"adjudication", "injunction", "mediation", "station"}),  # the office and its workstation
]


@pytest.mark.parametrize(("username", "offered"), ROLE_INTAKE)
def test_each_role_is_offered_its_own_channels(client_as, text, username, offered):
    client = client_as(username)
    response = client.get("/cases/new")
    if len(offered) == 1:
        (channel,) = offered
        assert response.status_code == 302
        assert response.headers["Location"] == f"/cases/new?channel={channel}"
        response = client.get(response.headers["Location"])
        body = text(response)
        assert 'data-channel="' + channel + '"' in body
        assert [c for c in Channel if f'data-channel="{c.value}"' in body] == [channel]  # that channel's fields only
        assert re.search(r'<select[^>]*name="channel"[^>]*>\s*<option selected value="' + channel + '">', body)
    else:
        body = text(response)
        links = set(re.findall(r"/cases/new\?channel=(\w+)", body))
        assert links == offered
    for channel in set(Channel) - offered:
        assert client.get("/cases/new", query_string={"channel": channel.value}).status_code == 403


@WRITTEN_FOR_NOV_24
@pytest.mark.parametrize(
    ("username", "channel", "org_code"),
    [
        ("station", "adjudication", "cdexpo"),
        ("station", "mediation", "cdexpo"),
        ("station", "injunction", "cdexpo"),
        ("mediator", "adjudication", "cdmed"),
        ("mediator", "station", "cdmed"),
        ("examiner", "station", "cdip"),
        ("examiner", "station", "cdexpo"),  # a workstation of the office: the station officer registers
    ],
)
def test_a_forged_intake_for_a_forbidden_channel_changes_nothing(
    client_as, frozen_now, text, username, channel, org_code
):
    client = client_as(username)
    counts = (count(Case), count(Party), count(TimelineEntry), count(Counter))
    response = client.post("/cases/new", data=open_case_form(channel, factories.org(org_code).id))
    assert response.status_code == 403
    assert "Your role may not open a case in the channel" in text(response)
    assert (count(Case), count(Party), count(TimelineEntry), count(Counter)) == counts


@WRITTEN_FOR_NOV_24
def test_the_organisation_must_handle_the_channel(client_as, frozen_now, text):
    """A director opens a workstation complaint at the workstation, not at the office."""
    client = client_as("director")
    before = count(Case)
    response = client.post("/cases/new", data=open_case_form("station", factories.org("cdip").id))
    assert response.status_code == 422 and "Not a valid choice" in text(response)
    assert count(Case) == before
    response = client.post("/cases/new", data=open_case_form("station", factories.org("cdexpo").id))
    assert response.status_code == 302 and count(Case) == before + 1


@WRITTEN_FOR_NOV_24
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject": ""}, "subject", "Choose what the mediation is about"),
        ({"subject": "bogus"}, "subject", "Choose what the mediation is about"),
        ({"subject": "damages"}, "infringement_decision_no", "number of the decision that found the infringement"),
        (
            {"subject": "damages", "infringement_decision_no": "成知裁字〔2026〕3号"},
            "infringement_decision_on",
            "date of the decision that found the infringement",
        ),
    ],
)
def test_mediation_intake_needs_its_subject(client_as, frozen_now, text, overrides, field, message):
    client = client_as("mediator")
    before = count(Case)
    response = client.post("/cases/new", data=open_case_form("mediation", factories.org("cdmed").id) | overrides)
    assert response.status_code == 422
    assert message in text(response)
    assert count(Case) == before


@WRITTEN_FOR_NOV_24
def test_damages_mediation_keeps_the_infringement_decision(client_as, frozen_now, text):
    client = client_as("mediator")
    data = open_case_form("mediation", factories.org("cdmed").id) | {
        "subject": "damages",
        "infringement_decision_no": "成知裁字〔2026〕3号",
        "infringement_decision_on": "2026-10-09",
    }
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, text(response)
    case = db.session.get(Case, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (case.subject, case.infringement_decision_no, str(case.infringement_decision_on)) == (
        "damages",
        "成知裁字〔2026〕3号",
        "2026-10-09",
    )
    page = text(client.get(response.headers["Location"]))
    assert "Damages for an infringement already found" in page and "成知裁字〔2026〕3号" in page


LONG = "案" * 201


#: (form overrides, a fragment of the English message): refused by the form
FORM_REFUSALS = [
    ({"title": ""}, ""),
    ({"title": "   "}, ""),
    ({"title": LONG}, "200"),
    ({"summary": "述" * 4001}, "4000"),
    ({"received_at": "2026-11-25T09:00"}, "future"),
    ({"received_at": "2026-11-24T10:30"}, "future"),  # half an hour ahead of Shanghai time
    ({"received_at": "yesterday"}, ""),
    ({"received_at": ""}, ""),
    ({"requester-legal_rep_name": ""}, "legal representative"),
    ({"requester-name": ""}, ""),
    ({"respondent-name": "名" * 121}, "120"),
    ({"respondent-id_type": ""}, "type of identity document"),
    ({"channel": "bogus"}, ""),
    ({"source": "bogus"}, ""),
    ({"right-holder": ""}, ""),
    ({"right-number": ""}, ""),
    ({"requester-email": "not-an-email"}, ""),
    ({"channel": "injunction", "urgency_facts": "", "requested_measures": "撤展"}, "urgent"),
    ({"channel": "injunction", "urgency_facts": "明日闭幕", "requested_measures": ""}, "measures"),
    ({"channel": "mediation", "claimed_amount": "-5"}, ""),
]

#: refused by the operation, after the form passed
OPERATION_REFUSALS = [
    ({"right-number": "ZL201710601862.4"}, "check digit"),
    ({"right-number": "ZL201740601862.1"}, "fifth digit"),
    ({"right-number": "not a number"}, "ZL201710601862.3"),
    ({"right-patent_type": "design"}, "The number is that of"),
    ({"requester-id_number": "91350100M000100Y44"}, "social credit code"),
    ({"requester-id_number": "91350100I000100Y43"}, "no I, O, S, V, Z"),
    ({"respondent-id_number": "110105194912310021"}, "identity card"),
]


def _refusals(client, table) -> dict:
    """Post each bad intake; (status, error shown, message found, nothing saved) per row."""
    results = {}
    for overrides, fragment in table:
        channel = overrides.get("channel", "adjudication")
        data = open_case_form(channel if channel != "bogus" else "adjudication") | overrides
        counts = (count(Case), count(Party), count(IPRight), count(TimelineEntry), count(Counter))
        response = client.post("/cases/new", data=data)
        body = response.get_data(as_text=True)
        unchanged = (count(Case), count(Party), count(IPRight), count(TimelineEntry), count(Counter)) == counts
        results[str(overrides)[:80]] = (response.status_code, bool(ERROR.search(body)), fragment in body, unchanged)
    return results


@WRITTEN_FOR_NOV_24
def test_bad_intake_is_refused_by_the_form(client_as, frozen_now):
    results = _refusals(client_as("examiner"), FORM_REFUSALS)
    assert results == dict.fromkeys(results, (422, True, True, True))


@WRITTEN_FOR_NOV_24
def test_bad_intake_is_refused_by_the_operation(client_as, frozen_now):
    results = _refusals(client_as("examiner"), OPERATION_REFUSALS)
    assert results == dict.fromkeys(results, (422, True, True, True))


@WRITTEN_FOR_NOV_24
def test_mediation_without_a_type_is_refused_by_the_form(client_as, frozen_now):
    results = _refusals(client_as("examiner"), [({"channel": "mediation", "mediation_type": ""}, "type of mediation")])
    assert results == dict.fromkeys(results, (422, True, True, True))


@WRITTEN_FOR_NOV_24
def test_rejected_intake_leaves_no_gap_in_the_numbers(client_as, frozen_now):
    client = client_as("examiner")
    bad = open_case_form(**{"right-number": "ZL201710601862.4"})  # refused after the number was drawn
    assert client.post("/cases/new", data=bad).status_code == 422
    ok = client.post("/cases/new", data=open_case_form())
    assert ok.status_code == 302
    assert db.session.get(Case, int(ok.headers["Location"].rsplit("/", 1)[1])).number == "成知裁字〔2026〕1号"


@WRITTEN_FOR_NOV_24
def test_limits_are_inclusive(client_as, frozen_now):
    client = client_as("examiner")
    response = client.post("/cases/new", data=open_case_form(title="案" * 200, summary="述" * 4000))
    assert response.status_code == 302
    case = db.session.get(Case, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (len(case.title), len(case.summary)) == (200, 4000)


@WRITTEN_FOR_NOV_24
def test_wrong_patent_check_digit_in_both_languages(client_as, frozen_now, text):
    client = client_as("examiner", lang=None)  # the default language, Chinese
    before = count(Case)
    data = open_case_form(**{"right-number": "ZL201710601862.4"})
    response = client.post("/cases/new", data=data)
    assert response.status_code == 422
    body = text(response)
    assert '<html lang="zh-CN">' in body
    error = re.search(r'<p class="error" role="alert">([^<]*)</p>', body)
    assert error and "3" in error.group(1)  # the expected check digit, in whatever language
    assert count(Case) == before
    client.post("/language", data={"lang": "en"})
    response = client.post("/cases/new", data=data)
    assert response.status_code == 422
    body = text(response)
    assert '<html lang="en">' in body
    assert "check digit of this patent number is wrong (it should be 3)" in body
    assert count(Case) == before


def test_cannot_open_a_case_for_another_organisation(client_as, frozen_now):
    client = client_as("examiner")
    before = count(Case)
    response = client.post("/cases/new", data=open_case_form(organisation_id=factories.org("cqip").id))
    assert response.status_code == 422
    assert count(Case) == before


def test_open_case_operation_refuses_foreign_organisation(app, users, frozen_now):
    with app.test_request_context(), pytest.raises(DomainError) as exc:
        factories.create_case(actor=users["cqexaminer"], received_at=datetime(2026, 11, 1, tzinfo=UTC))
    assert exc.value.reasons[0][0] == "organisation"


def test_operations_refuse_outside_a_request_too(app, users, case):
    """CLI commands and jobs have no request: a refusal must still carry its message."""
    with pytest.raises(DomainError) as exc:
        ops.assign_staff(case, users["expert"], AssignmentRole.clerk, actor=None)
    assert exc.value.messages[0]


def test_forged_form_is_refused_with_a_flash(app, client_as, frozen_now, text):
    client = client_as("examiner")
    before = count(Case)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/cases/new", data=open_case_form())
        assert response.status_code == 302
        assert count(Case) == before
        page = client.get(response.headers["Location"], follow_redirects=True)
        assert page.status_code == 200
        assert 'class="flash flash-warning"' in text(page)
        assert "Your form expired or was not sent from this site" in text(page)
        # a forged token is no better than none, and the referring page is where we go back to
        forged = client.post(
            "/cases/new",
            data=open_case_form(csrf_token="forged"),
            headers={"Referer": "http://localhost/cases/new"},
        )
        assert forged.status_code == 302
        assert forged.headers["Location"] in ("http://localhost/cases/new", "/cases/new")
        # a foreign referrer is not followed
        foreign = client.post("/cases/new", data=open_case_form(), headers={"Referer": "https://evil.example/x"})
        assert foreign.status_code == 302
        assert "evil" not in foreign.headers["Location"]
        assert count(Case) == before
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_unknown_case_is_a_404_page_in_the_layout(client_as, text):
    client = client_as("examiner")
    for url in ["/cases/999999", "/cases/0", "/cases/99999999999999", "/cases/-1", "/cases/abc", "/cases/1/nothing"]:
        response = client.get(url)
        assert response.status_code == 404, url
        body = text(response)
        assert '<header class="topbar">' in body, url
        assert 'class="panel error-page"' in body, url


def test_show_case_page(client_as, users, create_case, text):
    case = create_case(Channel.mediation, actor=users["director"])
    commit()
    body = text(client_as("examiner").get(f"/cases/{case.id}"))
    for expected in (case.number, case.title, "成都某某科技有限公司", "四川某某贸易有限公司", "ZL201710601862.3"):
        assert expected in body


# -- editing the case file ---------------------------------------------------------------------


@pytest.fixture
def case(app, users, create_case):
    made = create_case(Channel.adjudication, actor=users["examiner"])
    commit()
    return made


def party_form(**overrides) -> dict:
    data = {
        "role": "third_party",
        "kind": "legal_person",
        "name": "第三人有限公司",
        "legal_rep_name": "赵六",
        "origin": "mainland",
        "has_domestic_domicile": "y",
    }
    return data | overrides


@WRITTEN_FOR_NOV_24
def test_edit_case_details(client_as, case, frozen_now):
    client = client_as("examiner")
    assert client.get(f"/cases/{case.id}/edit").status_code == 200
    data = {
        "source": "online",
        "title": "新的案由",
        "summary": "补充",
        "received_at": "2026-11-01T08:00",
        "requests": "停止制造",
    }
    response = client.post(f"/cases/{case.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.title, case.source, case.requests) == ("新的案由", "online", "停止制造")
    assert case.received_at == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert case.timeline[-1].event == "case.updated"
    assert set(case.timeline[-1].data["fields"]) >= {"title", "source", "requests", "received_at", "summary"}
    number = case.number
    for bad in ({"title": LONG}, {"received_at": "2026-12-01T08:00"}, {"title": ""}):
        assert client.post(f"/cases/{case.id}/edit", data=data | bad).status_code == 422
    db.session.expire_all()
    assert (case.title, case.number) == ("新的案由", number)


def test_add_party(client_as, case, text):
    client = client_as("examiner")
    assert client.get(f"/cases/{case.id}/parties/new").status_code == 200
    assert client.get(f"/cases/{case.id}/parties/new?role=respondent").status_code == 200
    response = client.post(f"/cases/{case.id}/parties/new", data=party_form())
    assert response.status_code == 302
    third = db.session.scalars(sa.select(Party).where(Party.case_id == case.id, Party.role == "third_party")).one()
    assert third.name == "第三人有限公司"
    assert db.session.get(Case, case.id).timeline[-1].event == "party.added"


def test_edit_and_remove_party(client_as, case, text):
    third = add_third_party(case)
    commit()
    client = client_as("examiner")
    assert client.get(f"/cases/{case.id}/parties/{third.id}/edit").status_code == 200
    response = client.post(f"/cases/{case.id}/parties/{third.id}/edit", data=party_form(name="改名后的第三人"))
    assert response.status_code == 302
    db.session.expire_all()
    assert third.name == "改名后的第三人"
    assert client.post(f"/cases/{case.id}/parties/{third.id}/delete").status_code == 302
    assert db.session.get(Party, third.id) is None
    events = [e.event for e in db.session.get(Case, case.id).timeline]
    assert events[-3:] == ["party.added", "party.updated", "party.removed"]
    assert "Party removed: 改名后的第三人 (Third party)" in text(client.get(f"/cases/{case.id}"))


def test_bad_party_input(client_as, case, text):
    client = client_as("examiner")
    before = count(Party)
    for bad, fragment in [
        ({"legal_rep_name": ""}, "legal representative"),
        ({"id_type": "resident_id", "id_number": "110105194912310021"}, "identity card"),
        ({"id_type": "uscc", "id_number": "91350100M000100Y4"}, "social credit code"),
        ({"name": ""}, ""),
        ({"role": "judge"}, ""),
        ({"account": "examiner"}, "no active party account"),
        ({"account": "nobody-here"}, "no active party account"),
    ]:
        response = client.post(f"/cases/{case.id}/parties/new", data=party_form(**bad))
        assert response.status_code == 422, bad
        assert fragment in text(response), bad
    assert count(Party) == before


def test_link_party_account(client_as, case, users):
    client = client_as("examiner")
    requester = case.requesters[0]
    data = party_form(role="requester", name=requester.name, account="PARTY")
    assert client.post(f"/cases/{case.id}/parties/{requester.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert requester.user_id == users["party"].id
    assert client_as("party").get(f"/cases/{case.id}").status_code == 200


def test_cannot_remove_the_last_requester(client_as, case, text):
    client = client_as("examiner")
    requester = case.requesters[0]
    before = count(Party)
    response = client.post(f"/cases/{case.id}/parties/{requester.id}/delete")
    page = follow(client, response)
    assert "at least one requester and one respondent" in text(page)
    assert count(Party) == before
    assert db.session.get(Party, requester.id) is not None
    # nor turn the only requester into something else
    data = party_form(role="respondent", name=requester.name)
    response = client.post(f"/cases/{case.id}/parties/{requester.id}/edit", data=data)
    assert response.status_code == 422
    db.session.expire_all()
    assert requester.role == PartyRole.requester


def test_at_most_two_agents(client_as, case, text):
    client = client_as("examiner")
    party = case.requesters[0]
    url = f"/cases/{case.id}/parties/{party.id}/agents/new"
    assert client.get(url).status_code == 200
    for name in ("李律师", "赵律师"):
        assert client.post(url, data={"name": name, "authority": "general"}).status_code == 302
    response = client.post(url, data={"name": "第三位律师", "authority": "general"})
    assert response.status_code == 422
    assert "at most two agents" in text(response)
    db.session.expire_all()
    agents = db.session.scalars(sa.select(Agent).where(Agent.party_id == party.id).order_by(Agent.position)).all()
    assert [(a.position, a.name) for a in agents] == [(1, "李律师"), (2, "赵律师")]
    # special authority needs its items; an edit keeps the position
    edit = f"/cases/{case.id}/agents/{agents[0].id}/edit"
    assert client.post(edit, data={"name": "李律师", "authority": "special"}).status_code == 422
    ok = client.post(edit, data={"name": "李律师", "authority": "special", "authority_items": "代为和解"})
    assert ok.status_code == 302
    # removing one frees a place
    assert client.post(f"/cases/{case.id}/agents/{agents[0].id}/delete").status_code == 302
    assert client.post(url, data={"name": "第三位律师", "authority": "general"}).status_code == 302
    positions = db.session.scalars(sa.select(Agent.position).where(Agent.party_id == party.id)).all()
    assert sorted(positions) == [1, 2]


def right_form(**overrides) -> dict:
    data = {
        "right_type": "patent",
        "number": OTHER_PATENT,
        "title": "一种椅子",
        "holder": "成都某某科技有限公司",
        "legal_status": "valid",
    }
    return data | overrides


def test_rights(client_as, case, text):
    client = client_as("examiner")
    assert client.get(f"/cases/{case.id}/rights/new").status_code == 200
    before = count(IPRight)
    for bad, fragment in [
        ({"number": "ZL 2017 1 0601862.3"}, "already recorded"),  # the case's patent, spelled differently
        ({"number": "201710601862.3"}, "already recorded"),
        ({"patent_type": "design"}, "The number is that of"),
        ({"number": "ZL201820123456.1"}, "check digit"),
        ({"right_type": "trademark", "number": ""}, ""),
        ({"filed_on": "2020-05-01", "granted_on": "2019-01-01"}, "grant date"),
    ]:
        response = client.post(f"/cases/{case.id}/rights/new", data=right_form(**bad))
        assert response.status_code == 422, bad
        assert ERROR.search(text(response))
        assert fragment in text(response), bad
    assert count(IPRight) == before
    assert client.post(f"/cases/{case.id}/rights/new", data=right_form(patent_type="utility_model")).status_code == 302
    right = db.session.scalars(sa.select(IPRight).where(IPRight.number == OTHER_PATENT)).one()
    assert right.patent_type == "utility_model"
    # editing it into the other right's number is refused too
    edit = right_form(number="ZL201710601862.3", patent_type="")
    response = client.post(f"/cases/{case.id}/rights/{right.id}/edit", data=edit)
    assert response.status_code == 422
    assert "already recorded" in text(response)
    trademark = right_form(right_type="trademark", number=" 第12345678号 ", patent_type="")
    assert client.post(f"/cases/{case.id}/rights/new", data=trademark).status_code == 302
    assert (
        db.session.scalars(sa.select(IPRight.number).where(IPRight.right_type == "trademark")).one() == "第12345678号"
    )
    assert client.post(f"/cases/{case.id}/rights/{right.id}/delete").status_code == 302
    assert db.session.get(IPRight, right.id) is None


def test_assignments(client_as, case, users, text):
    client = client_as("examiner")
    url = f"/cases/{case.id}/assignments"

    def assign(username, role):
        response = client.post(url, data={"user_id": users[username].id, "role": role})
        return text(follow(client, response))

    def held():
        db.session.expire_all()
        return {(a.user.username, a.role) for a in db.session.get(Case, case.id).assignments}

    assert "Staff assigned" in assign("examiner2", "panel_leader")
    page = assign("examiner3", "panel_leader")
    assert "already has a leader" in page
    page = assign("cqexaminer", "panel_member")
    assert "Not a valid choice" in page or "does not work for" in page
    page = assign("expert", "clerk")
    assert "cannot serve as" in page
    page = assign("examiner2", "panel_member")
    assert "already on the panel" in page
    assign("expert", "tech_investigator")
    assign("examiner3", "panel_member")
    assert held() == {
        ("examiner", AssignmentRole.handler),
        ("examiner2", AssignmentRole.panel_leader),
        ("examiner3", AssignmentRole.panel_member),
        ("expert", AssignmentRole.tech_investigator),
    }
    leader = db.session.scalars(
        sa.select(Assignment).where(Assignment.case_id == case.id, Assignment.role == "panel_leader")
    ).one()
    assert client.post(f"{url}/{leader.id}/delete").status_code == 302
    assert "Staff assigned" in assign("director", "panel_leader")


def test_assignment_rules_in_the_operation(app, case, users):
    refused = [
        ("cqexaminer", AssignmentRole.handler),  # another region
        ("mediator", AssignmentRole.mediator),  # another organisation
        ("expert", AssignmentRole.panel_member),
        ("examiner", AssignmentRole.tech_investigator),
        ("party", AssignmentRole.clerk),
        ("admin", AssignmentRole.handler),
    ]
    with app.test_request_context():  # messages are rendered in the request's language
        for username, role in refused:
            with pytest.raises(DomainError):
                ops.assign_staff(case, users[username], role, actor=users["director"])
        users["examiner2"].is_active = False
        with pytest.raises(DomainError):
            ops.assign_staff(case, users["examiner2"], AssignmentRole.clerk, actor=users["director"])
        assert ops.assign_staff(case, users["expert"], AssignmentRole.tech_investigator, actor=None).id


def test_one_panel_leader_is_also_a_database_rule(app, case, users):
    db.session.add(Assignment(case=case, user=users["examiner2"], role=AssignmentRole.panel_leader))
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(Assignment(case=case, user=users["examiner3"], role=AssignmentRole.panel_leader))
        db.session.flush()


def test_closed_case_cannot_be_edited(client_as, case, users, text):
    party = case.requesters[0]
    case.state = "closed_decided"
    case.closed_at = clock.now()
    commit()
    client = client_as("examiner")
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert f"/cases/{case.id}/edit" not in text(page)
    before = (count(Party), count(IPRight), count(Assignment), count(TimelineEntry))
    for method, url in [
        ("GET", f"/cases/{case.id}/edit"),
        ("POST", f"/cases/{case.id}/edit"),
        ("POST", f"/cases/{case.id}/parties/new"),
        ("POST", f"/cases/{case.id}/parties/{party.id}/edit"),
        ("POST", f"/cases/{case.id}/parties/{party.id}/delete"),
        ("POST", f"/cases/{case.id}/parties/{party.id}/agents/new"),
        ("POST", f"/cases/{case.id}/rights/new"),
        ("POST", f"/cases/{case.id}/rights/{case.rights[0].id}/delete"),
        ("POST", f"/cases/{case.id}/assignments"),
        ("POST", f"/cases/{case.id}/assignments/{case.assignments[0].id}/delete"),
    ]:
        assert client.open(url, method=method, data=party_form()).status_code == 403, (method, url)
    assert (count(Party), count(IPRight), count(Assignment), count(TimelineEntry)) == before
    # and the operations refuse on their own
    with pytest.raises(DomainError):
        ops.add_party(case, factories.party_data(PartyRole.third_party, "某公司"), actor=users["examiner"])
    with pytest.raises(DomainError):
        ops.assign_staff(case, users["examiner2"], AssignmentRole.clerk, actor=users["examiner"])


# -- the case list ------------------------------------------------------------------------------


@pytest.fixture
def listing(app, users, create_case):
    made = {
        "adj": create_case(Channel.adjudication, actor=users["examiner"]),
        "med": create_case(Channel.mediation, requester="百分之百%科技有限公司", patent=OTHER_PATENT),
        "sta": create_case(Channel.station, organisation="cdexpo", requester="下划线_贸易有限公司"),
        "inj": create_case(Channel.injunction, state="refused"),
        "dock": create_case(Channel.adjudication, state="docketed", respondent="已立案被请求人有限公司"),
    }
    made["inj"].closed_at = clock.now()
    commit()
    return {key: case.id for key, case in made.items()}


#: query string → the listing cases the director sees
FILTERS = [
    ({}, {"adj", "med", "sta", "inj", "dock"}),
    ({"channel": "mediation"}, {"med"}),
    ({"channel": "adjudication"}, {"adj", "dock"}),
    ({"state": "docketed"}, {"dock"}),
    ({"channel": "adjudication", "state": "received"}, {"adj"}),
    ({"closed": "closed"}, {"inj"}),
    ({"closed": "open"}, {"adj", "med", "sta", "dock"}),
    ({"assignee": "me"}, set()),  # the director is on none of them
    ({"q": "调字〔"}, {"med"}),
    ({"q": "百分之百"}, {"med"}),
    ({"q": "已立案被请求人"}, {"dock"}),
    ({"q": "ZL 2017 1 0601862.3"}, {"adj", "sta", "inj", "dock"}),
    ({"q": "201710601862.3"}, {"adj", "sta", "inj", "dock"}),
    ({"q": "zl2017106018623"}, {"adj", "sta", "inj", "dock"}),
    ({"q": "2018 2 0123456.0"}, {"med"}),
    ({"q": "201820123456"}, {"med"}),  # fragment of the number without its check digit
    ({"q": "%"}, {"med"}),
    ({"q": "_"}, {"sta"}),
    ({"q": "百分之百%科"}, {"med"}),
    ({"q": "无此当事人"}, set()),
    ({"q": "x" * 101}, {"adj", "med", "sta", "inj", "dock"}),  # invalid filter: ignored, not a 500
]


def test_list_filters_and_search(client_as, listing):
    """One test for the whole table: building the cases is the slow part."""
    client = client_as("director")
    actual, expected = {}, {}
    for query, keys in FILTERS:
        response = client.get("/cases/", query_string=query)
        key = str(query)
        actual[key] = (response.status_code, sorted(listed(response)))
        expected[key] = (200, sorted(listing[k] for k in keys))
    assert actual == expected


def test_list_filter_by_organisation_and_assignee(client_as, listing, users):
    client = client_as("director")
    cdexpo = factories.org("cdexpo").id
    assert set(listed(client.get("/cases/", query_string={"organisation": cdexpo}))) == {listing["sta"]}
    examiner_only = client.get("/cases/", query_string={"assignee": users["examiner"].id})
    assert set(listed(examiner_only)) == {listing["adj"]}
    assert set(listed(client_as("examiner").get("/cases/", query_string={"assignee": "me"}))) == {listing["adj"]}
    # a party filtering by another organisation still sees nothing
    assert listed(client_as("party").get("/cases/", query_string={"organisation": cdexpo})) == []


JUNK = [
    {"page": "abc"},
    {"page": "0"},
    {"page": "-3"},
    {"page": "99999999999999999999"},
    {"assignee": "abc"},
    {"assignee": "99999999999999999999"},
    {"organisation": "abc"},
    {"organisation": "-1"},
    {"organisation": "99999999999999999999"},
    {"channel": "bogus"},
    {"state": "bogus"},
    {"closed": "bogus"},
    {"q": "' OR 1=1 --"},
]


def test_list_junk_parameters_never_500(client_as, listing):
    client = client_as("director")
    statuses = {str(query): client.get("/cases/", query_string=query).status_code for query in JUNK}
    assert statuses == dict.fromkeys(statuses, 200)


def test_pagination(app, client_as, listing, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 2)
    client = client_as("director")
    pages = [listed(client.get("/cases/", query_string={"page": p})) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    rows = [case_id for page in pages for case_id in page]
    assert sorted(rows) == sorted(listing.values())
    beyond = client.get("/cases/", query_string={"page": 4})
    assert beyond.status_code == 200
    assert listed(beyond) == []
    assert listed(client.get("/cases/", query_string={"page": 999})) == []
    # newest first
    received = [db.session.get(Case, i).received_at for i in rows]
    assert received == sorted(received, reverse=True)


def test_list_query_count_does_not_grow_with_the_page(app, client_as, users, create_case):
    client = client_as("examiner")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def measure() -> int:
        db.session.expunge_all()  # nothing preloaded from building the data
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get("/cases/")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return len(listed(response)), len(statements)

    for i in range(5):
        case = create_case(Channel.adjudication, actor=users["examiner"], requester=f"请求人{i}")
        add_agent(case.requesters[0])
        add_patent(case)
    commit()
    rows_small, small = measure()
    examiner2 = factories.base_users()["examiner2"]  # the fixture's objects were expunged
    for i in range(20):
        create_case(Channel.mediation, actor=examiner2, requester=f"调解请求人{i}")
    commit()
    rows_big, big = measure()
    assert (rows_small, rows_big) == (5, 25)
    assert small > 0
    assert big == small, f"{small} statements for 5 cases, {big} for 25"


def test_received_in_shanghai_is_listed_with_the_local_date(client_as, users, create_case, frozen_now, text):
    case = create_case(received_at=datetime(2026, 3, 31, 16, 30, tzinfo=UTC), actor=users["examiner"])
    commit()
    body = text(client_as("examiner").get("/cases/"))
    row = body.split(case.number, 1)[1].split("</tr>", 1)[0]
    assert "2026-04-01" in row


@WRITTEN_FOR_NOV_24
def test_recently_received_sorted_first(client_as, create_case, frozen_now):
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    older = create_case(received_at=now - timedelta(days=3))
    newer = create_case(received_at=now - timedelta(hours=1))
    commit()
    assert listed(client_as("director").get("/cases/"))[:2] == [newer.id, older.id]


def test_a_too_large_body_on_a_staff_page_gets_a_clear_page_not_a_500(app, login_as, create_case):
    client = login_as("examiner")
    case = create_case()
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post(f"/cases/{case.id}/actions/docket", data={"reason": "x" * 4096})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 32 * 1024 * 1024
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)
