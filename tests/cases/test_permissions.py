"""Who may see and change what: a matrix over every route × role, the SQL visibility filter
against the per-object check, and IDOR probes (SD test_source_can_only_delete_own_replies)."""

from typing import Any

import pytest
import sqlalchemy as sa
from flask import url_for

from ipcase.cases import operations as ops
from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.evidence import add_evidence
from ipcase.cases.models import Agent, Assignment, Case, IPRight, Party
from ipcase.cases.permissions import can_view, case_visibility_clause
from ipcase.core.extensions import db
from ipcase.credit.operations import record_event
from ipcase.documents.operations import issue_batch, issue_document, start_batch
from ipcase.portal.models import PortalRequest, RequestKind
from tests import factories
from tests.cases.helpers import add_agent, add_patent, add_third_party, commit, patent_number

#: the smallest PNG signature: enough for the evidence list's content check
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

ROLES = ["anonymous", "admin", "director", "examiner", "mediator", "station", "expert", "party", "cqexaminer"]
STAFF_AND_PARTIES = ROLES[1:]

#: who can see the matrix case (a cdip case handled by examiner, expert as technical
#: investigator, ``party`` linked to the requester); the others get 404, as for a missing case
VIEWERS = {"admin", "director", "examiner", "expert", "party"}
EDITORS = {"director", "examiner"}
HANDLER_ROLES = {"director", "examiner", "mediator", "station", "cqexaminer"}  # may open cases somewhere


#: pool pages (``ipcase/pools/views.py``): who browses the pools, who edits the examiner's profile
POOL_BROWSERS = {"admin", "director", "examiner", "mediator", "cqexaminer"}
POOL_EDITORS = {"admin", "director", "examiner"}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(STAFF_AND_PARTIES, status)


def case_read() -> dict[str, int]:
    return {r: 200 if r in VIEWERS else 404 for r in STAFF_AND_PARTIES}


def case_write(ok: int) -> dict[str, int]:
    return {r: ok if r in EDITORS else 403 if r in VIEWERS else 404 for r in STAFF_AND_PARTIES}


def admin_only() -> dict[str, int]:
    return {r: 200 if r == "admin" else 403 for r in STAFF_AND_PARTIES}


#: endpoint → expected status per logged-in role. Anonymous users are redirected to the login
#: page everywhere except PUBLIC (and get the status given there).
MATRIX: dict[str, dict[str, int]] = {
    "static": everyone(200),
    "main.index": everyone(302),
    "main.set_language": everyone(302),
    "main.health": everyone(200),
    # readiness is public; metrics answer the test client, whose address (127.0.0.1) METRICS_ALLOW lets in
    "main.ready": everyone(200),
    "main.metrics": everyone(200),
    "auth.login": everyone(302),  # already logged in: on to the case list
    "auth.password": everyone(200),
    "cases.list_cases": everyone(200),
    # a role that opens one channel only goes straight to that channel's form (issue 12)
    "cases.open_case": {
        r: (302 if r in ("mediator", "station") else 200) if r in HANDLER_ROLES else 403 for r in STAFF_AND_PARTIES
    },
    "cases.show_case": case_read(),
    "cases.edit_case": case_write(200),
    "cases.add_party": case_write(200),
    "cases.edit_party": case_write(200),
    "cases.remove_party": case_write(302),
    "cases.add_agent": case_write(200),
    "cases.edit_agent": case_write(200),
    "cases.remove_agent": case_write(302),
    "cases.add_right": case_write(200),
    "cases.edit_right": case_write(200),
    "cases.remove_right": case_write(302),
    "cases.add_assignment": case_write(302),
    "cases.remove_assignment": case_write(302),
    "cases.take_action": case_write(302),
    "cases.crime_referral": case_write(302),
    # the matrix case is an adjudication case: only injunctions link to a main case
    "cases.link_main_case": {r: 404 if r in EDITORS else 403 if r in VIEWERS else 404 for r in STAFF_AND_PARTIES},
    # evidence list: ``party`` is the requester, who submitted the matrix item, so may download it
    "cases.add_evidence_item": case_write(302),
    "cases.download_evidence": case_read(),
    "cases.remove_evidence_item": case_write(302),
    # transfer to another office: the head of the office only
    "cases.transfer": {r: 302 if r == "director" else 403 if r in VIEWERS else 404 for r in STAFF_AND_PARTIES},
    # credit records: the offices' staff and administrators; entries by the head of the case's office
    "credit.search": {r: 403 if r in ("expert", "party") else 200 for r in STAFF_AND_PARTIES},
    "credit.add_entry": {
        r: 302 if r == "director" else 403 if r in VIEWERS | {"expert", "party"} else 404 for r in STAFF_AND_PARTIES
    },
    "credit.remove_entry": {
        r: 302 if r == "director" else 403 if r in VIEWERS | {"expert", "party"} else 404 for r in STAFF_AND_PARTIES
    },
    "admin.list_users": admin_only(),
    "admin.new_user": admin_only(),
    "admin.edit_user": admin_only(),
    "admin.list_organisations": admin_only(),
    "admin.new_organisation": admin_only(),
    "admin.edit_organisation": admin_only(),
    # the outbox (issue 15): administrators; a retry redirects back to the list
    "admin.outbox": admin_only(),
    "admin.retry_outbox": {r: 302 if r == "admin" else 403 for r in STAFF_AND_PARTIES},
    "auth.logout": everyone(302),
    # the public portal: its pages answer everyone alike; without a reference and code (or a
    # draft) they send the visitor to the code page (or the first step); logged in, register
    # and log in move on; the party list is for party accounts; the staff routes are case_write
    "portal.index": everyone(200),
    "portal.file_step": everyone(200),
    "portal.file_review": everyone(302),
    "portal.file_discard": everyone(302),
    "portal.access": everyone(200),
    "portal.status": everyone(302),
    "portal.leave": everyone(302),
    "portal.document": everyone(302),
    "portal.act": everyone(302),
    "portal.survey": everyone(302),
    "portal.register": everyone(302),
    "portal.login": everyone(302),
    "portal.logout": everyone(302),
    "portal.my_cases": {r: 200 if r == "party" else 403 for r in STAFF_AND_PARTIES},
    "portal.link_case": {r: 200 if r == "party" else 403 for r in STAFF_AND_PARTIES},
    "portal.open_own_case": {r: 302 if r == "party" else 403 for r in STAFF_AND_PARTIES},
    "portal.staff_issue_code": case_write(302),
    "portal.staff_handle_request": case_write(302),
    # expert and mediator pools: browsed by those who assign staff (and administrators); the
    # profile of ``user_id`` (the examiner, no profile yet) by them and by the examiner, edited by
    # administrators, directors and the examiner; empty posts are refused (422) or find no item
    # (404); candidates for the matrix case by those who may assign on it
    "pools.list_pool": {r: 200 if r in POOL_BROWSERS else 403 for r in STAFF_AND_PARTIES},
    "pools.show_profile": {r: 200 if r in POOL_BROWSERS else 403 for r in STAFF_AND_PARTIES},
    "pools.edit_profile": {r: 200 if r in POOL_EDITORS else 403 for r in STAFF_AND_PARTIES},
    "pools.add_declaration": {r: 422 if r in POOL_EDITORS else 403 for r in STAFF_AND_PARTIES},
    "pools.remove_declaration": {r: 404 if r in POOL_EDITORS else 403 for r in STAFF_AND_PARTIES},
    "pools.add_unavailability": {r: 422 if r in POOL_EDITORS else 403 for r in STAFF_AND_PARTIES},
    "pools.remove_unavailability": {r: 404 if r in POOL_EDITORS else 403 for r in STAFF_AND_PARTIES},
    "pools.suggest": case_write(200),
    # official documents (issue 5): prepared and served by the case's office, downloaded by
    # the staff who see the case and by a party once served on it (issue 13: the matrix notice is
    # not served, so the party gets 404; tests/documents/test_party_access.py has the served case);
    # batches by the offices' staff; the renderer's status page by administrators; verification is public
    "documents.prepare": case_write(200),
    "documents.correct": case_write(200),
    "documents.download": case_read() | {"party": 404},
    "documents.record_service": case_write(302),
    "documents.batch": {r: 200 if r in HANDLER_ROLES else 403 for r in STAFF_AND_PARTIES},
    # a batch's progress page and its JSON: the staff who may issue batches (issue 15), not admin
    "documents.show_batch": {
        r: 200 if r in EDITORS else 403 if r in ("admin", "expert", "party") else 404 for r in STAFF_AND_PARTIES
    },
    "documents.batch_status": {
        r: 200 if r in EDITORS else 403 if r in ("admin", "expert", "party") else 404 for r in STAFF_AND_PARTIES
    },
    "documents.download_batch": {
        r: 200 if r in EDITORS | {"admin"} else 403 if r in ("expert", "party") else 404 for r in STAFF_AND_PARTIES
    },
    "documents.verify": everyone(200),
    "documents.status": admin_only(),
}
PUBLIC = {
    "static": 200,
    "main.health": 200,
    "main.ready": 200,
    "main.metrics": 200,
    "auth.login": 200,
    "main.set_language": 302,
} | {
    "portal.index": 200,
    "portal.file_step": 200,
    "portal.file_review": 302,
    "portal.file_discard": 302,
    "portal.access": 200,
    "portal.status": 302,
    "portal.leave": 302,
    "portal.document": 302,
    "portal.act": 302,
    "portal.survey": 302,
    "portal.register": 200,
    "portal.login": 200,
    "portal.logout": 302,
    "portal.my_cases": 302,
    "portal.link_case": 302,
    "portal.open_own_case": 302,
    "documents.verify": 200,
}
#: blueprints whose routes have a matrix of their own (each checks it covers all its routes)
OWN_MATRIX = ("deadlines.",)  # tests/deadlines/test_views.py DEADLINE_MATRIX
#: run last: it ends the session
LAST = ["auth.logout", "portal.logout"]
#: reads that open a case for the browser (a party's own case): after them the portal's case pages
#: answer 200 instead of sending the visitor to the code page, so they go after every other read
#: (the order of the app's rules is no part of what the matrix checks)
ENTERS_A_CASE = ["portal.open_own_case"]


@pytest.fixture
def matrix_case(app, users, create_case):
    """A case with one object of every kind (``party`` linked to the requester, the expert as
    technical investigator) and ``spares()``, fresh objects for the delete routes."""
    case = create_case(Channel.adjudication, actor=users["examiner"])
    requester = case.requesters[0]
    requester.user = users["party"]
    agent = add_agent(requester, "李律师")
    ops.assign_staff(case, users["expert"], AssignmentRole.tech_investigator, actor=users["examiner"])
    item = add_evidence(
        case, {"title": "公证书", "submitted_by_party_id": requester.id}, actor=None, upload=("a.png", PNG_BYTES)
    )
    credit = record_event(case, case.respondents[0], "infringement_found", actor=None, at=case.received_at)
    notice = issue_document(
        case,
        "deficiency_notice",
        {"addressee": requester.id, "defects": "缺少专利登记簿副本", "cure_by": "2026-12-31"},
        actor=None,
    )
    hearing = {
        "hearing_at": "2026-12-01T09:30",
        "place": "第一审理庭",
        "is_online": False,
        "is_public": True,
        "bring": "",
    }
    batch = issue_batch([case], "hearing_notice", hearing, actor=None)
    commit()
    start_batch(batch)  # issued by the queue, here inline (immediate mode)
    ids = {
        "case_id": case.id,
        "party_id": requester.id,
        "agent_id": agent.id,
        "right_id": case.rights[0].id,
        "user_id": users["examiner"].id,
        "org_id": factories.org("cdip").id,
        "filename": "css/app.css",
        "action": "request_correction",
        "step": "decide",
        "item_id": item.id,
        "event_id": credit.id,
        "doc_kind": "deficiency_notice",
        "document_id": notice.id,
        "batch_id": batch.id,
    }

    def spares() -> dict[str, dict[str, Any]]:
        """Objects an allowed delete may remove without breaking the other routes."""
        third = add_third_party(case)
        spare_agent = requester.agents[1] if len(requester.agents) > 1 else add_agent(requester, "赵律师")
        spare_right = add_patent(case, patent_number(len(case.rights)))
        clerk = next((a for a in case.assignments if a.role == AssignmentRole.clerk), None)
        clerk = clerk or ops.assign_staff(case, users["examiner2"], AssignmentRole.clerk, actor=None)
        spare_item = add_evidence(case, {"title": "备用证据"}, actor=None)
        portal_request = PortalRequest(case_id=case.id, party_id=requester.id, kind=RequestKind.withdrawal)
        db.session.add(portal_request)
        commit()
        return {
            "cases.remove_party": {"party_id": third.id},
            "cases.remove_agent": {"agent_id": spare_agent.id},
            "cases.remove_right": {"right_id": spare_right.id},
            "cases.remove_assignment": {"assignment_id": clerk.id},
            "cases.remove_evidence_item": {"item_id": spare_item.id},
            "portal.file_step": {"channel": "adjudication", "step": "office"},
            "portal.file_review": {"channel": "adjudication"},
            "portal.act": {"kind": "withdrawal"},
            "portal.document": {"document_id": 1},
            "portal.staff_handle_request": {"request_id": portal_request.id},
            "documents.batch": {"doc_kind": "hearing_notice"},
            "admin.retry_outbox": {"message_id": 1},
        }

    return ids, spares


def _requests(app, ids: dict[str, Any], overrides: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule of the app: GET where the rule allows it, else POST."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith(OWN_MATRIX):
                continue
            values = {arg: ids.get(arg) for arg in rule.arguments} | overrides.get(rule.endpoint, {})
            method = "GET" if "GET" in rule.methods else "POST"
            found.append((rule.endpoint, method, url_for(rule.endpoint, **values)))
    found.sort(key=lambda r: (r[0] in LAST, r[1] == "POST", r[0] in ENTERS_A_CASE))  # reads, writes, logout
    return found


def test_matrix_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.startswith(OWN_MATRIX)}
    assert endpoints - MATRIX.keys() == set(), "new route(s) without a permission entry"
    assert MATRIX.keys() - endpoints == set(), "permission entries for routes that no longer exist"
    for endpoint, expected in MATRIX.items():
        assert set(expected) == set(STAFF_AND_PARTIES), endpoint


def test_permission_matrix(app, client_as, matrix_case):
    """Every route × every role (one test per backend: building the case is the slow part)."""
    ids, spares = matrix_case
    actual, expected = {}, {}
    for role in ROLES:
        client = client_as(None if role == "anonymous" else role)
        for endpoint, method, url in _requests(app, ids, spares()):
            response = client.open(url, method=method)
            actual[role, endpoint] = response.status_code
            if role == "anonymous":
                expected[role, endpoint] = PUBLIC.get(endpoint, 302)
                if endpoint not in PUBLIC:
                    location = response.headers.get("Location", "")
                    actual[role, endpoint, "to login"] = location.startswith("/login")
                    expected[role, endpoint, "to login"] = True
            else:
                expected[role, endpoint] = MATRIX.get(endpoint, {}).get(role, "no entry")
            response.close()  # the static file's handle
    mismatches = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
    assert mismatches == {}, "(role, endpoint): (actual, expected)"


def test_unknown_case_is_404_for_everyone(client_as):
    for role in STAFF_AND_PARTIES:
        client = client_as(role)
        assert client.get("/cases/999999").status_code == 404, role
        assert client.get("/cases/999999/edit").status_code == 404, role
        assert client.post("/cases/999999/assignments").status_code == 404, role


# -- the SQL filter and the object check agree -------------------------------------------------


@pytest.fixture
def cases(app, users, create_case):
    made = {
        "cdip": create_case(Channel.adjudication, actor=users["examiner"]),
        "cdexpo": create_case(Channel.station, organisation="cdexpo", actor=users["station"]),
        "cdmed": create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"]),
        "cqip": create_case(Channel.adjudication, organisation="cqip", actor=users["cqexaminer"]),
        "expert": create_case(Channel.mediation, requester="专家案请求人"),
        "party": create_case(Channel.injunction, requester="当事人甲公司"),
        "agent": create_case(Channel.adjudication, requester="代理案请求人", respondent="代理案被请求人"),
    }
    ops.assign_staff(made["expert"], users["expert"], AssignmentRole.tech_investigator, actor=users["director"])
    made["party"].requesters[0].user = users["party"]
    agent = add_agent(made["agent"].respondents[0])
    agent.user = users["party2"]
    commit()
    return made


EXPECTED_VISIBLE = {
    "admin": {"cdip", "cdexpo", "cdmed", "cqip", "expert", "party", "agent"},
    "director": {"cdip", "cdexpo", "expert", "party", "agent"},
    "examiner": {"cdip", "cdexpo", "expert", "party", "agent"},
    "examiner2": {"cdip", "cdexpo", "expert", "party", "agent"},
    "station": {"cdexpo"},
    "mediator": {"cdmed"},
    "cqexaminer": {"cqip"},
    "expert": {"expert"},
    "party": {"party"},
    "party2": {"agent"},
}


def test_visibility_clause_agrees_with_can_view(users, cases):
    by_id = {c.id: key for key, c in cases.items()}
    for username, user in users.items():
        in_sql = {
            by_id[i] for i in db.session.scalars(sa.select(Case.id).where(case_visibility_clause(user))) if i in by_id
        }
        in_python = {key for key, case in cases.items() if can_view(user, case)}
        assert in_sql == in_python, username
        if username in EXPECTED_VISIBLE:
            assert in_sql == EXPECTED_VISIBLE[username], username


def test_visibility_through_the_pages(client_as, cases, text):
    """The list and the case page follow the same rule (one test: the seven cases are slow to build)."""

    def check(username: str, visible: set[str]) -> None:
        client = client_as(username)
        page = text(client.get("/cases/"))
        for key, case in cases.items():
            assert (f'href="/cases/{case.id}"' in page) == (key in visible), (username, key)
            assert client.get(f"/cases/{case.id}").status_code == (200 if key in visible else 404), (username, key)

    # the workstation's cases are the parent office's too
    check("director", {"cdip", "cdexpo", "expert", "party", "agent"})
    check("station", {"cdexpo"})
    # experts see only the cases they are assigned to
    check("expert", {"expert"})
    # another region: 404, indistinguishable from a missing case
    check("cqexaminer", {"cqip"})
    check("party2", {"agent"})
    director = client_as("director")
    assert director.get(f"/cases/{cases['cdexpo'].id}/edit").status_code == 200
    expert = client_as("expert")
    assert expert.get(f"/cases/{cases['expert'].id}/edit").status_code == 403
    foreign = client_as("cqexaminer")
    party = cases["cdip"].parties[0]
    for method, url in [
        ("GET", f"/cases/{cases['cdip'].id}/edit"),
        ("GET", f"/cases/{cases['cdip'].id}/parties/{party.id}/edit"),
        ("POST", f"/cases/{cases['cdip'].id}/parties/{party.id}/delete"),
    ]:
        assert foreign.open(url, method=method).status_code == 404, url


# -- IDOR ---------------------------------------------------------------------------------------


@pytest.fixture
def two_parties(app, users, create_case):
    """Case 1 is ``party``'s (linked requester); case 2 is ``party2``'s. Each has an agent."""
    case1 = create_case(Channel.adjudication, requester="甲方科技有限公司", respondent="乙方贸易有限公司")
    case2 = create_case(Channel.adjudication, requester="丙方机械有限公司", respondent="丁方商贸有限公司")
    case1.requesters[0].user = users["party"]
    case2.requesters[0].user = users["party2"]
    add_agent(case1.requesters[0])
    add_agent(case2.requesters[0])
    ops.assign_staff(case2, users["examiner2"], AssignmentRole.clerk, actor=None)
    commit()
    return case1, case2


def _snapshot() -> tuple:
    return (
        sorted(db.session.execute(sa.select(Party.id, Party.name, Party.case_id, Party.user_id)).all()),
        sorted(db.session.execute(sa.select(Agent.id, Agent.name, Agent.party_id)).all()),
        sorted(db.session.execute(sa.select(IPRight.id, IPRight.number, IPRight.case_id)).all()),
        sorted(db.session.execute(sa.select(Assignment.id, Assignment.case_id, Assignment.user_id)).all()),
    )


def test_party_sees_only_its_own_case(login_as, two_parties, text):
    case1, case2 = two_parties
    client = login_as("party")
    page = text(client.get("/cases/"))
    assert case1.number in page
    assert case2.number not in page
    link2 = f'href="/cases/{case2.id}"'
    assert link2 not in page
    assert link2 not in text(client.get("/cases/", query_string={"q": "丙方"}))
    assert link2 not in text(client.get("/cases/", query_string={"q": case2.number}))
    assert client.get(f"/cases/{case1.id}").status_code == 200
    assert client.get(f"/cases/{case2.id}").status_code == 404


def test_party_cannot_guess_other_case_ids(login_as, two_parties):
    case1, case2 = two_parties
    client = login_as("party")
    # every id around the two cases (ids of rolled-back tests are gone, so neighbours are missing
    # or belong to case 2): only case 1 answers
    guesses = [1, *range(max(1, case1.id - 10), case2.id + 10)]
    visible = {i for i in guesses if client.get(f"/cases/{i}").status_code == 200}
    assert visible == {case1.id}


def test_party_cannot_reach_sub_resources_of_another_case(login_as, two_parties):
    case1, case2 = two_parties
    before = _snapshot()
    client = login_as("party")
    p2 = case2.requesters[0]
    a2 = p2.agents[0]
    r2 = case2.rights[0]
    s2 = case2.assignments[0]
    probes = [
        ("GET", f"/cases/{case2.id}/parties/{p2.id}/edit"),
        ("POST", f"/cases/{case2.id}/parties/{p2.id}/edit"),
        ("POST", f"/cases/{case2.id}/parties/{p2.id}/delete"),
        ("GET", f"/cases/{case2.id}/parties/{p2.id}/agents/new"),
        ("GET", f"/cases/{case2.id}/agents/{a2.id}/edit"),
        ("POST", f"/cases/{case2.id}/agents/{a2.id}/delete"),
        ("GET", f"/cases/{case2.id}/rights/{r2.id}/edit"),
        ("POST", f"/cases/{case2.id}/rights/{r2.id}/delete"),
        ("POST", f"/cases/{case2.id}/assignments"),
        ("POST", f"/cases/{case2.id}/assignments/{s2.id}/delete"),
        # case 1's URL with case 2's objects
        ("GET", f"/cases/{case1.id}/parties/{p2.id}/edit"),
        ("GET", f"/cases/{case1.id}/agents/{a2.id}/edit"),
        ("GET", f"/cases/{case1.id}/rights/{r2.id}/edit"),
    ]
    statuses = {(m, u): client.open(u, method=m, data={"name": "篡改"}).status_code for m, u in probes}
    assert statuses == {(m, u): (403 if u.startswith(f"/cases/{case1.id}/") else 404) for m, u in probes}
    assert _snapshot() == before


def test_party_cannot_edit_its_own_case(login_as, two_parties):
    case1, _ = two_parties
    before = _snapshot()
    client = login_as("party")
    own = case1.requesters[0]
    probes = [
        ("GET", f"/cases/{case1.id}/edit"),
        ("POST", f"/cases/{case1.id}/edit"),
        ("POST", f"/cases/{case1.id}/parties/new"),
        ("POST", f"/cases/{case1.id}/parties/{own.id}/edit"),
        ("POST", f"/cases/{case1.id}/parties/{own.id}/delete"),
        ("POST", f"/cases/{case1.id}/parties/{own.id}/agents/new"),
        ("POST", f"/cases/{case1.id}/agents/{own.agents[0].id}/edit"),
        ("POST", f"/cases/{case1.id}/agents/{own.agents[0].id}/delete"),
        ("POST", f"/cases/{case1.id}/rights/new"),
        ("POST", f"/cases/{case1.id}/rights/{case1.rights[0].id}/delete"),
        ("POST", f"/cases/{case1.id}/assignments"),
        ("GET", "/cases/new"),
        ("POST", "/cases/new"),
    ]
    for method, url in probes:
        assert client.open(url, method=method, data={"name": "篡改"}).status_code == 403, (method, url)
    assert _snapshot() == before


def test_staff_cannot_reach_another_cases_objects_through_their_own_case(login_as, two_parties):
    case1, case2 = two_parties
    before = _snapshot()
    client = login_as("examiner")
    p2 = case2.requesters[0]
    probes = [
        ("GET", f"/cases/{case1.id}/parties/{p2.id}/edit"),
        ("POST", f"/cases/{case1.id}/parties/{p2.id}/delete"),
        ("GET", f"/cases/{case1.id}/parties/{p2.id}/agents/new"),
        ("GET", f"/cases/{case1.id}/agents/{p2.agents[0].id}/edit"),
        ("POST", f"/cases/{case1.id}/agents/{p2.agents[0].id}/delete"),
        ("GET", f"/cases/{case1.id}/rights/{case2.rights[0].id}/edit"),
        ("POST", f"/cases/{case1.id}/rights/{case2.rights[0].id}/delete"),
        ("POST", f"/cases/{case1.id}/assignments/{case2.assignments[0].id}/delete"),
        ("GET", f"/cases/{case1.id}/parties/999999/edit"),
    ]
    for method, url in probes:
        assert client.open(url, method=method).status_code == 404, (method, url)
    assert _snapshot() == before


def test_party_page_hides_staff_and_internal_entries(client_as, two_parties, users, text):
    case1, _ = two_parties
    ops.assign_staff(case1, users["examiner3"], AssignmentRole.clerk, actor=users["director"])
    commit()
    assert "Examiner3" in text(client_as("director").get(f"/cases/{case1.id}"))
    page = text(client_as("party").get(f"/cases/{case1.id}"))
    assert case1.number in page
    assert "Examiner3" not in page  # no staff panel, no internal timeline entries, no actors
