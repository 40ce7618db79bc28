"""Party accounts: register, log in, add cases with reference and code, see them in one list,
open one; and staff issuing the access code printed on a served notice."""

import re

import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Party
from ipcase.core.extensions import db
from ipcase.portal.models import PortalAccess
from ipcase.portal.operations import issue_access_code
from tests import factories
from tests.cases.helpers import commit
from tests.portal.helpers import enter

CODE = re.compile(r'id="access-code">([0-9A-Z-]+)<')
NEW_ACCOUNT = {
    "username": "zhang.san",
    "display_name": "张三",
    "email": "zhang@example.org",
    "password": "Party-passw0rd-2026",
    "confirm": "Party-passw0rd-2026",
}


def test_register_then_follow_cases(client_as, text, case_with_codes, create_case, users):
    case, codes = case_with_codes
    client = client_as()
    response = client.post("/portal/account/register", data=NEW_ACCOUNT)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username.like("zhang.san-%")))  # test_registration.py
    assert user.role == Role.party and user.organisation_id is None
    assert "No case yet" in text(client.get("/portal/account/cases"))
    # add the case with its reference and code
    response = client.post("/portal/account/link", data={"reference": case.number, "code": codes["requester"]})
    assert response.status_code == 302
    db.session.refresh(case.requesters[0])
    assert case.requesters[0].user_id == user.id
    page = text(client.get("/portal/account/cases"))
    assert case.number in page and "Request received: being checked" in page
    # open it: the status page of that party
    response = client.get(f"/portal/account/cases/{case.id}")
    assert response.status_code == 302
    assert case.requesters[0].name in text(client.get("/portal/status"))
    # the staff side shows it to the account too (Party.user_id grants read access)
    assert client.get(f"/cases/{case.id}").status_code == 200
    # another case is not its to open
    other = create_case(Channel.adjudication, requester="别人的公司")
    commit()
    assert client.get(f"/portal/account/cases/{other.id}").status_code == 404
    assert client.get(f"/cases/{other.id}").status_code == 404


def test_linking_with_a_wrong_code_gives_the_uniform_error(client_as, text, case_with_codes):
    case, _codes = case_with_codes
    client = client_as("party")
    response = client.post("/portal/account/link", data={"reference": case.number, "code": "AAAA-AAAA-AAAA-AAAA"})
    assert response.status_code == 422
    assert "The case reference and access code do not match" in text(response)
    assert all(p.user_id is None for p in case.parties)


def test_a_party_already_followed_by_another_account_is_not_taken_over(client_as, text, case_with_codes, users):
    case, codes = case_with_codes
    case.requesters[0].user = users["party2"]
    commit()
    response = client_as("party").post(
        "/portal/account/link", data={"reference": case.number, "code": codes["requester"]}
    )
    assert response.status_code == 422
    assert "another account" in text(response)
    db.session.refresh(case.requesters[0])
    assert case.requesters[0].user_id == users["party2"].id


def test_registration_refuses_bad_input(client_as, text):
    client = client_as()
    weak = client.post("/portal/account/register", data=NEW_ACCOUNT | {"password": "short", "confirm": "short"})
    assert weak.status_code == 422 and "at least 10 characters" in text(weak)
    odd = client.post("/portal/account/register", data=NEW_ACCOUNT | {"username": "张三<script>"})
    assert odd.status_code == 422 and "<script>" not in text(odd).split("</header>")[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == Role.party)) == 2


def test_login_and_logout(client_as, text):
    client = client_as()
    wrong = client.post("/portal/account/login", data={"username": "party", "password": "nope-nope-1"})
    assert wrong.status_code == 422
    assert "Wrong user name or password" in text(wrong)
    ok = client.post("/portal/account/login", data={"username": "party", "password": factories.PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/portal/account/cases")
    assert client.get("/portal/account/cases").status_code == 200
    assert client.post("/portal/account/logout").status_code == 302
    response = client.get("/portal/account/cases")
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/account/login")


def test_staff_have_no_party_list(client_as):
    assert client_as("examiner").get("/portal/account/cases").status_code == 403


def test_the_account_session_is_bound_to_the_account(client_as, users, case_with_codes):
    """A status page opened from an account stops working after logging out."""
    case, _codes = case_with_codes
    case.requesters[0].user = users["party"]
    commit()
    client = client_as("party")
    client.get(f"/portal/account/cases/{case.id}")
    assert client.get("/portal/status").status_code == 200
    with client.session_transaction() as session:
        kept = dict(session["portal"])
    client.post("/portal/account/logout")
    with client.session_transaction() as session:
        session["portal"] = kept  # replayed without the login
    assert client.get("/portal/status").status_code == 302


# -- staff issue the code printed on a notice -------------------------------------------------------------


def test_staff_issue_a_respondent_code_shown_once(client_as, text, create_case, users):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    commit()
    examiner = client_as("examiner")
    page = text(examiner.get(f"/cases/{case.id}"))
    assert "Issue an access code" in page
    respondent = case.respondents[0]
    response = examiner.post(f"/portal/staff/cases/{case.id}/access-code", data={"party_id": respondent.id})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = CODE.search(text(response)).group(1)
    access = db.session.scalars(sa.select(PortalAccess).where(PortalAccess.party_id == respondent.id)).one()
    assert access.created_by_id == users["examiner"].id
    assert code not in access.code_hash
    # the respondent gets in with it
    client = client_as()
    assert enter(client, case.number, code).status_code == 302
    assert f"as {respondent.name} (Respondent)" in text(client.get("/portal/status"))
    # the case page no longer shows the code, only that one was issued
    page = text(examiner.get(f"/cases/{case.id}"))
    assert code not in page and "issued" in page


def test_staff_codes_only_for_this_case_and_by_its_handlers(client_as, create_case, users):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    other = create_case(Channel.adjudication, requester="他案公司")
    commit()
    url = f"/portal/staff/cases/{case.id}/access-code"
    foreign_party = other.requesters[0].id
    assert client_as("examiner").post(url, data={"party_id": foreign_party}).status_code == 302  # not a choice
    assert client_as("cqexaminer").post(url, data={"party_id": case.requesters[0].id}).status_code == 404
    assert client_as("expert").post(url, data={"party_id": case.requesters[0].id}).status_code == 404
    case.requesters[0].user = users["party"]
    commit()
    assert client_as("party").post(url, data={"party_id": case.requesters[0].id}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PortalAccess)) == 0
    assert client_as().post(url, data={"party_id": case.requesters[0].id}).status_code == 302  # to the login


def test_a_new_code_revokes_the_old_one(case_with_codes, users):
    case, _codes = case_with_codes
    party: Party = case.requesters[0]
    issue_access_code(case, party, actor=users["examiner"])
    rows = db.session.scalars(sa.select(PortalAccess).where(PortalAccess.party_id == party.id)).all()
    assert [r.revoked_at is None for r in rows] == [False, True]
