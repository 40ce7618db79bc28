"""Online filing: the steps, the review, the case it opens (source online, docketing clock
started at receipt), the access code shown once, the e-mail receipt, and the staff intake queue."""

import re
import smtplib
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from itsdangerous import base64_decode

from ipcase.cases.enums import CaseSource, Channel, PartyRole
from ipcase.cases.evidence import EvidenceItem
from ipcase.cases.models import Case
from ipcase.core import outbox
from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus
from ipcase.deadlines.models import Deadline
from ipcase.portal.access import check_code
from ipcase.portal.models import PortalAccess, PortalDraft
from tests import factories
from tests.portal.helpers import PDF, PNG, REQUESTER, RESPONDENT, enter, file_online, step_data, submit, walk_steps

CODE = re.compile(r'id="access-code">([0-9A-Z-]+)<')
REFERENCE = re.compile(r'id="case-reference">([^<]+)<')
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # a Tuesday, 10:00 in China


def filed_case() -> Case:
    return db.session.scalars(sa.select(Case).where(Case.source == CaseSource.online).order_by(Case.id.desc())).first()


def test_adjudication_filing_opens_a_received_case_with_its_docketing_clock(client_as, text, frozen_now):
    frozen_now(NOW)
    client = client_as()
    response = file_online(client, files={"file-0": (PDF, "专利证书.pdf"), "file-1": (PNG, "notary.png")})
    page = text(response)
    code = CODE.search(page).group(1)
    case = filed_case()
    assert REFERENCE.search(page).group(1) == case.number
    assert case.channel == Channel.adjudication
    assert case.state == "received"
    assert case.source == CaseSource.online
    assert case.received_at == NOW
    assert case.title == "“一种折叠椅”发明专利侵权纠纷"
    assert case.requests.startswith("责令被请求人")
    assert case.accused_product == "折叠椅 A-1"
    requester, respondent = case.requesters[0], case.respondents[0]
    assert (requester.name, respondent.name) == (REQUESTER, RESPONDENT)
    assert [a.name for a in requester.agents] == ["李律师"]
    assert case.rights[0].number == "ZL201710601862.3"
    # the 5-working-day docketing period ([85]20) runs from receipt
    docket = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id)).one()
    assert docket.rule_id == "adj.docket"
    assert docket.started_at == NOW
    assert str(docket.due_on) == "2026-12-01"
    # the evidence list, files checked and hashed, submitted by the requester
    items = db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)).all()
    assert [(i.title, i.content_type, i.submitted_by_party_id) for i in items] == [
        ("专利证书", "application/pdf", requester.id),
        ("公证书", "image/png", requester.id),
    ]
    assert items[0].filename == "专利证书.pdf"
    assert items[0].pages == 2
    assert len(items[0].sha256) == 64
    # the code is stored only as a hash, for the requester
    access = db.session.scalars(sa.select(PortalAccess).where(PortalAccess.case_id == case.id)).one()
    assert access.party_id == requester.id
    assert code not in access.code_hash
    assert check_code(access.code_hash, code)
    # the draft is gone
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PortalDraft)) == 0
    # the filer goes straight to the case page, and can come back with the code
    assert "Request received: being checked" in text(client.get("/portal/status"))
    other = client_as()
    assert enter(other, case.number, code).status_code == 302
    assert other.get("/portal/status").status_code == 200


def test_the_code_is_shown_once_and_never_in_a_redirect_or_cookie(client_as, text):
    client = client_as()
    walk_steps(client)
    response = submit(client)
    code = CODE.search(text(response)).group(1)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("session")
    assert cookie is not None

    payload = cookie.value.split(".")[0].lstrip(".")
    assert code not in str(base64_decode(payload + "=="))
    # sending the same filing again finds no draft: no second case
    again = submit(client)
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.source == CaseSource.online)) == 1


@pytest.mark.parametrize("channel", ["mediation", "station", "injunction"])
def test_every_channel_can_be_filed_online(client_as, channel):
    file_online(client_as(), channel)
    case = filed_case()
    assert case.channel == channel
    assert case.state == "received"
    roles = sorted(p.role for p in case.parties)
    assert roles == [PartyRole.requester, PartyRole.respondent]
    if channel == "injunction":
        assert case.requested_measures.startswith("责令被请求人")
        assert case.bond_amount == 50000
    if channel == "mediation":
        assert "事实和理由" in case.summary
        assert case.claimed_amount == 30000
        assert case.subject == "inventor_reward"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": ""}, "Choose what the mediation is about"),
        ({"subject": "damages"}, "Give the number of the decision that found the infringement."),
        ({"subject": "damages", "infringement_decision_no": "成知裁字〔2026〕3号"}, "Give the date of the decision"),
    ],
)
def test_a_mediation_request_names_its_subject(client_as, text, overrides, message):
    """[85]63–64: the subject is required; damages only name the decision that found infringement."""
    client = client_as()
    data = step_data("mediation")
    for step in ("office", "requester", "respondent", "right", "request"):
        body = data[step] | (overrides if step == "request" else {})
        response = client.post(f"/portal/file/mediation/{step}", data=body)
    assert response.status_code == 422
    assert message in text(response)


def test_a_damages_mediation_keeps_the_infringement_decision(client_as):
    damages = {
        "subject": "damages",
        "infringement_decision_no": "成知裁字〔2026〕3号",
        "infringement_decision_on": "2026-10-09",
    }
    client = client_as()
    walk_steps(client, "mediation", request=damages)
    assert submit(client, "mediation").status_code == 200
    case = filed_case()
    assert (case.subject, case.infringement_decision_no, str(case.infringement_decision_on)) == (
        "damages",
        "成知裁字〔2026〕3号",
        "2026-10-09",
    )


def test_filing_appears_in_the_staff_intake_queue(client_as, text):
    file_online(client_as())
    case = filed_case()
    examiner = client_as("examiner")
    queue = text(examiner.get("/cases/", query_string={"state": "received", "channel": "adjudication"}))
    assert f'href="/cases/{case.id}"' in queue
    page = text(examiner.get(f"/cases/{case.id}"))
    assert "Filed online" in page
    # another region's examiner does not see it
    assert f'href="/cases/{case.id}"' not in text(
        client_as("cqexaminer").get("/cases/", query_string={"state": "received"})
    )


def test_steps_keep_what_was_typed_and_go_back(client_as, text):
    client = client_as()
    data = step_data()
    client.post("/portal/file/adjudication/office", data=data["office"])
    client.post("/portal/file/adjudication/requester", data=data["requester"])
    page = text(client.get("/portal/file/adjudication/requester"))
    assert REQUESTER in page
    assert "李律师" in page
    # a later step cannot be skipped to
    response = client.get("/portal/file/adjudication/evidence")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/file/adjudication/respondent")


def test_review_lists_everything_before_sending(client_as, text):
    client = client_as()
    walk_steps(client)
    page = text(client.get("/portal/file/adjudication/review"))
    for fragment in (REQUESTER, RESPONDENT, "李律师", "ZL 2017 1 0601862.3", "折叠椅 A-1", "专利证书", "公证书"):
        assert fragment in page
    assert 'name="file-0"' in page and 'name="file-1"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.source == CaseSource.online)) == 0


def test_without_a_draft_the_steps_start_again(client_as):
    client = client_as()
    response = client.get("/portal/file/adjudication/respondent")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/file/adjudication/office")
    assert client.post("/portal/file/adjudication/review", data={"confirm": "y"}).status_code == 302


def test_an_expired_draft_is_not_used(client_as, frozen_now):
    frozen_now(NOW)
    client = client_as()
    walk_steps(client)
    frozen_now(datetime(2026, 11, 25, 2, 1, tzinfo=UTC))  # 24 hours and a minute later
    response = client.get("/portal/file/adjudication/review")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/office")
    # a new draft purges the expired one
    client_as().post("/portal/file/adjudication/office", data=step_data()["office"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PortalDraft)) == 1


def test_mistakes_show_at_their_step(client_as, text):
    client = client_as()
    data = step_data()
    client.post("/portal/file/adjudication/office", data=data["office"])
    bad_id = data["requester"] | {"requester-id_number": "91350100M000100Y44"}
    response = client.post("/portal/file/adjudication/requester", data=bad_id)
    assert response.status_code == 422
    assert "check" in text(response).lower()
    client.post("/portal/file/adjudication/requester", data=data["requester"])
    client.post("/portal/file/adjudication/respondent", data=data["respondent"])
    bad_patent = data["right"] | {"right-number": "ZL201710601862.4"}
    response = client.post("/portal/file/adjudication/right", data=bad_patent)
    assert response.status_code == 422
    assert "check digit" in text(response)


def test_nothing_is_filed_without_the_confirmation(client_as, text):
    client = client_as()
    walk_steps(client)
    response = submit(client, confirm="")
    assert response.status_code == 422
    assert "true and complete" in text(response)
    assert filed_case() is None


def test_an_office_that_does_not_take_the_channel_is_refused(client_as, text):
    client = client_as()
    response = client.post("/portal/file/adjudication/office", data={"organisation_id": str(factories.org("cdmed").id)})
    assert response.status_code == 422
    assert "Not a valid choice" in text(response)


def test_unknown_channel_or_step_is_404(client_as):
    client = client_as()
    assert client.get("/portal/file/patent/office").status_code == 404
    assert client.get("/portal/file/adjudication/payment").status_code == 404


def test_email_receipt_without_the_code(app, client_as, text, monkeypatch):
    """The receipt is queued in the filing's transaction (no SMTP in the request) and sent by the
    outbox after it: it names the case, never the access code."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    client = client_as()
    walk_steps(client)
    page = text(submit(client, email="filer@example.org"))
    code = CODE.search(page).group(1)
    case = filed_case()
    assert "will be sent to filer@example.org" in page
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == f"receipt:{case.id}"))
    assert message.recipient == "filer@example.org"
    assert message.status == OutboxStatus.pending
    assert case.number in message.body
    assert code not in message.body and code.replace("-", "") not in message.body


def test_a_failed_receipt_does_not_lose_the_filing(app, client_as, text, monkeypatch):
    """The SMTP server is down: the filing stands and the receipt waits in the outbox for a retry."""

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    client = client_as()
    walk_steps(client)
    text(submit(client, email="filer@example.org"))
    case = filed_case()
    assert case is not None
    assert outbox.deliver_due()["retried"] == 1
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == f"receipt:{case.id}"))
    assert message.status == OutboxStatus.pending and message.attempts == 1
    assert "connection refused" in message.last_error
