"""Documents served on a party: listed on its status page and downloaded there; never another
party's, another case's, or the office's internal forms."""

import hashlib
from datetime import date

import pytest

from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.documents.models import IssuedDocument, ServiceMethod, ServiceRecord
from ipcase.portal.queries import documents_served_on
from tests.cases.helpers import commit
from tests.portal.helpers import PDF, enter

_serial = iter(range(1, 10_000))


def issue(case, kind="docketing_notice", title="受理通知书", *, internal=False, served_on=(), content=PDF):
    """An issued document as the documents feature stores it, served on ``served_on`` parties."""
    serial = next(_serial)
    doc = IssuedDocument(
        case_id=case.id,
        kind=kind,
        number=f"成知立〔2026〕{serial}号-{case.id}",
        organisation_id=case.organisation_id,
        code="立",
        year=2026,
        serial=serial,
        title=title,
        snapshot={},
        template_version="test",
        pdf=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        verification_code="ABCD1234",
        is_internal=internal,
        issued_at=clock.now(),
    )
    db.session.add(doc)
    db.session.flush()
    for party in served_on:
        db.session.add(
            ServiceRecord(
                document=doc, recipient_id=party.id, method=ServiceMethod.direct, served_on=date(2026, 11, 24)
            )
        )
    db.session.flush()
    return doc


@pytest.fixture
def documents(case_with_codes, create_case):
    case, codes = case_with_codes
    requester, respondent = case.requesters[0], case.respondents[0]
    other_case = create_case(requester="另案公司")
    docs = {
        "docketing": issue(case, served_on=[requester, respondent]),
        "defence_notice": issue(case, "defence_notice", "答辩通知书", served_on=[respondent]),
        "approval": issue(case, "closing_approval_form", "结案审批表", internal=True, served_on=[requester]),
        "unserved": issue(case, "hearing_notice", "口头审理通知书"),
        "other_case": issue(other_case, served_on=[other_case.requesters[0]]),
    }
    commit()
    return case, codes, docs


def test_each_party_lists_only_what_was_served_on_it(documents):
    case, _codes, docs = documents
    assert [d.id for d in documents_served_on(case.requesters[0])] == [docs["docketing"].id]
    assert sorted(d.id for d in documents_served_on(case.respondents[0])) == sorted(
        [docs["docketing"].id, docs["defence_notice"].id]
    )


def test_the_status_page_lists_and_downloads_served_documents(client_as, text, documents):
    case, codes, docs = documents
    client = client_as()
    enter(client, case.number, codes["requester"])
    page = text(client.get("/portal/status"))
    assert "受理通知书" in page and docs["docketing"].number in page
    for hidden in ("答辩通知书", "结案审批表", "口头审理通知书"):
        assert hidden not in page
    response = client.get(f"/portal/status/documents/{docs['docketing'].id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("which", ["defence_notice", "approval", "unserved", "other_case"])
def test_no_download_of_what_was_not_served_on_this_party(client_as, documents, which):
    case, codes, docs = documents
    client = client_as()
    enter(client, case.number, codes["requester"])
    assert client.get(f"/portal/status/documents/{docs[which].id}").status_code == 404
    assert client.get("/portal/status/documents/999999").status_code == 404


def test_no_download_without_access(client_as, documents):
    _case, _codes, docs = documents
    response = client_as().get(f"/portal/status/documents/{docs['docketing'].id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/status/access")
