"""What a party reads of a case's documents: only what was served on it (issue 13). The same rule
holds on the portal's status page and download, on the case page and at ``/documents/N/pdf``;
and the verification address printed on a document never comes from the request's Host."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents.models import ServiceMethod
from ipcase.documents.queries import readable_for_case
from ipcase.portal.operations import issue_access_code
from ipcase.portal.queries import documents_served_on
from tests import factories
from tests.cases.helpers import commit
from tests.documents.conftest import NOW
from tests.portal.helpers import enter

pytestmark = pytest.mark.frozen_at(NOW)


def serve(document, party, examiner):
    ops.record_service(
        document, recipient=party, method=ServiceMethod.direct, served_on=date(2026, 11, 24), actor=examiner
    )


@pytest.fixture
def docs(case, users, frozen_now):
    """The requester's account is ``party``, the respondent's ``party2``. A deficiency notice to the
    respondent never served; a docketing notice served on the requester only; a hearing notice
    served on the respondent only."""
    case.requesters[0].user = users["party"]
    case.respondents[0].user = users["party2"]
    examiner = users["examiner"]
    made = {
        "deficiency": ops.issue_document(
            case,
            "deficiency_notice",
            {"addressee": case.respondents[0].id, "defects": "缺页", "cure_by": "2026-12-31"},
            actor=examiner,
        ),
        "docketing": ops.issue_document(
            case,
            "docketing_notice",
            {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""},
            actor=examiner,
        ),
        "to_respondent": ops.issue_document(
            case,
            "docketing_notice",
            {"addressee": case.respondents[0].id, "docketed_on": "2026-11-23", "note": ""},
            actor=examiner,
        ),
    }
    serve(made["docketing"], case.requesters[0], examiner)
    serve(made["to_respondent"], case.respondents[0], examiner)
    commit()
    return made


def pdf_status(client, document):
    return client.get(f"/documents/{document.id}/pdf").status_code


def test_an_unserved_deficiency_notice_is_downloaded_by_no_party(client_as, docs):
    for party in ("party", "party2"):  # not even by its addressee before it is served
        assert pdf_status(client_as(party), docs["deficiency"]) == 404
    assert pdf_status(client_as("examiner"), docs["deficiency"]) == 200  # staff rules unchanged


def test_a_party_downloads_what_was_served_on_it_and_nothing_served_on_the_other(client_as, docs):
    requester, respondent = client_as("party"), client_as("party2")
    assert pdf_status(requester, docs["docketing"]) == 200
    assert pdf_status(requester, docs["to_respondent"]) == 404
    assert pdf_status(respondent, docs["to_respondent"]) == 200
    assert pdf_status(respondent, docs["docketing"]) == 404


def test_the_case_page_lists_for_a_party_only_what_was_served_on_it(client_as, case, docs, text):
    page = text(client_as("party").get(f"/cases/{case.id}"))
    assert f"/documents/{docs['docketing'].id}/pdf" in page
    for hidden in ("deficiency", "to_respondent"):
        assert f"/documents/{docs[hidden].id}/pdf" not in page
    staff_page = text(client_as("examiner").get(f"/cases/{case.id}"))
    assert all(f"/documents/{d.id}/pdf" in staff_page for d in docs.values())


def test_an_agents_account_reads_what_was_served_on_its_party(client_as, case, docs, users):
    case.respondents[0].user = None
    case.requesters[0].user = None
    case.requesters[0].agents[0].user = users["party2"]
    commit()
    agent = client_as("party2")
    assert pdf_status(agent, docs["docketing"]) == 200
    assert pdf_status(agent, docs["to_respondent"]) == 404
    assert pdf_status(agent, docs["deficiency"]) == 404


def test_the_portal_and_the_case_page_agree(client_as, case, docs, users):
    """For each party: the portal's list, its download, the case page's list and /documents/N/pdf
    give the same documents."""
    for party, username in ((case.requesters[0], "party"), (case.respondents[0], "party2")):
        code = issue_access_code(case, party, actor=users["examiner"])
        commit()
        portal = client_as()
        assert enter(portal, case.number, code).status_code == 302
        account = client_as(username)
        listed = {d.id for d in documents_served_on(party)}
        assert listed == {d.id for d in readable_for_case(case, users[username])}
        for document in docs.values():
            on_portal = portal.get(f"/portal/status/documents/{document.id}").status_code
            assert on_portal == pdf_status(account, document), (username, document.kind)
            assert (on_portal == 200) == (document.id in listed)
        assert listed  # each party has one served document


def test_the_verification_address_does_not_come_from_the_host_header(client_as, case, users, app, frozen_now):
    commit()
    client, evil = client_as(), {"Host": "evil.example"}  # every request, the login's too, on that host
    login = client.post("/login", data={"username": "examiner", "password": factories.PASSWORD}, headers=evil)
    assert login.status_code == 302
    response = client.post(
        f"/cases/{case.id}/documents/docketing_notice",
        data={"addressee": str(case.requesters[0].id), "docketed_on": "2026-11-23", "note": "", "do": "issue"},
        headers=evil,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/cases/{case.id}#documents")
    [document] = [d for d in readable_for_case(case, users["examiner"]) if d.kind == "docketing_notice"]
    meta = document.snapshot["meta"]
    assert "evil.example" not in meta["verify_url"] and "evil.example" not in meta["verify_page"]
    assert meta["verify_page"] == app.config["DOCUMENT_VERIFY_URL"]
    assert urlsplit(meta["verify_url"]).netloc == urlsplit(app.config["DOCUMENT_VERIFY_URL"]).netloc


def test_the_configured_verification_address_is_printed(case, users, app, monkeypatch, frozen_now):
    monkeypatch.setitem(app.config, "DOCUMENT_VERIFY_URL", "https://ipcase.example.cn/verify")
    document = ops.issue_document(
        case,
        "docketing_notice",
        {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""},
        actor=users["examiner"],
    )
    db.session.flush()
    assert document.snapshot["meta"]["verify_page"] == "https://ipcase.example.cn/verify"
    assert document.snapshot["meta"]["verify_url"].startswith("https://ipcase.example.cn/verify?number=")
