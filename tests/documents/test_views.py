"""The documents pages: the case panel, prepare → preview → issue, correction, download,
service, batches, the public verification page and the renderer's status page."""

import io
import re
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core.extensions import db, limiter
from ipcase.deadlines.models import Deadline
from ipcase.documents import operations as ops
from ipcase.documents.models import BatchStatus, DocumentBatch, IssuedDocument, ServiceMethod, ServiceRecord
from tests.cases.helpers import commit
from tests.documents.conftest import NOW, needs_poppler, pdf_text

#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(NOW)


def count(model=IssuedDocument):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def docketing_form(**extra):
    return {"addressee": "", "docketed_on": "2026-11-23", "note": "请按时参加口头审理。"} | extra


@pytest.fixture
def issued(case, users, frozen_now):
    doc = ops.issue_document(
        case,
        "docketing_notice",
        {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""},
        actor=users["examiner"],
    )
    commit()
    return doc


def test_case_page_lists_the_documents_the_steps_call_for(client_as, case, text, frozen_now):
    commit()
    page = text(client_as("examiner").get(f"/cases/{case.id}"))
    assert 'id="documents"' in page
    assert f"/cases/{case.id}/documents/docketing_notice" in page  # the docket step is open
    assert f"/cases/{case.id}/documents/deficiency_notice" in page
    # the head's decisions are not offered to an examiner
    assert f"/cases/{case.id}/documents/refusal_notice" not in page
    assert f"/cases/{case.id}/documents/refusal_notice" in text(client_as("director").get(f"/cases/{case.id}"))


def test_prepare_preview_and_issue(client_as, case, text, frozen_now):
    commit()
    client = client_as("examiner")
    url = f"/cases/{case.id}/documents/docketing_notice"
    page = text(client.get(url))
    assert 'value="2026-11-24"' in page  # the docketing date defaults to today
    form = docketing_form(addressee=str(case.requesters[0].id))
    preview = client.post(url, data=form | {"do": "preview"})
    assert preview.status_code == 200
    body = text(preview)
    assert "受理通知书" in body and "成都某某科技有限公司" in body and "（文号待定）" in body
    assert "请按时参加口头审理。" in body
    assert count() == 0  # a preview issues nothing
    issued = client.post(url, data=form | {"do": "issue"})
    assert issued.status_code == 302
    assert issued.headers["Location"].endswith(f"/cases/{case.id}#documents")
    doc = db.session.scalars(sa.select(IssuedDocument)).one()
    assert doc.number == "成知立〔2026〕1号"
    assert doc.snapshot["fields"]["note"] == "请按时参加口头审理。"
    assert doc.number in text(client.get(f"/cases/{case.id}"))
    download = client.get(f"/documents/{doc.id}/pdf")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.data == doc.pdf


def test_bad_input_issues_nothing(client_as, case, text, frozen_now):
    commit()
    client = client_as("examiner")
    response = client.post(
        f"/cases/{case.id}/documents/docketing_notice",
        data=docketing_form(addressee=str(case.requesters[0].id), docketed_on="") | {"do": "issue"},
    )
    assert response.status_code == 422
    assert count() == 0


def test_documents_no_step_calls_for_are_refused(client_as, case, frozen_now):
    commit()
    client = client_as("director")
    response = client.get(f"/cases/{case.id}/documents/adjudication_decision")
    assert response.status_code == 302
    response = client.post(
        f"/cases/{case.id}/documents/adjudication_decision", data={"do": "issue", "requester_claims": "x"}
    )
    assert response.status_code == 302
    assert client.get(f"/cases/{case.id}/documents/injunction_decision").status_code == 404
    assert client.get(f"/cases/{case.id}/documents/nonsense").status_code == 404
    assert count() == 0


def test_the_heads_decisions_are_refused_to_examiners(client_as, case, frozen_now):
    commit()
    response = client_as("examiner").post(
        f"/cases/{case.id}/documents/refusal_notice",
        data={"addressee": str(case.requesters[0].id), "grounds": "no_claims", "reasons": "x", "do": "issue"},
    )
    assert response.status_code == 403
    assert count() == 0


def test_internal_forms_are_staff_only(client_as, case, users, frozen_now):
    form = ops.issue_document(
        case, "closing_approval_form", {"summary": "案情", "panel_opinion": "意见", "proposed": "decision"}, actor=None
    )
    case.requesters[0].user = users["party"]
    commit()
    assert client_as("examiner").get(f"/documents/{form.id}/pdf").status_code == 200
    assert client_as("party").get(f"/documents/{form.id}/pdf").status_code == 404
    assert "成知结审" not in client_as("party").get(f"/cases/{case.id}").get_data(as_text=True)


def test_correction_through_the_page(client_as, issued, case, text, frozen_now):
    client = client_as("examiner")
    page = text(client.get(f"/documents/{issued.id}/correct"))
    assert "成知立〔2026〕1号" in page and 'value="2026-11-23"' in page
    response = client.post(
        f"/documents/{issued.id}/correct",
        data=docketing_form(addressee=str(case.requesters[0].id), docketed_on="2026-11-24") | {"do": "issue"},
    )
    assert response.status_code == 302
    new = db.session.scalars(sa.select(IssuedDocument).order_by(IssuedDocument.id.desc())).first()
    assert new.corrects_id == issued.id and new.snapshot["fields"]["docketed_on"] == "2026-11-24"
    assert client.get(f"/documents/{issued.id}/correct").status_code == 302  # already corrected


def test_recording_service_through_the_page(client_as, case, users, frozen_now):
    notice = ops.issue_document(
        case,
        "defence_notice",
        {"addressee": case.respondents[0].id, "docketed_on": "2026-11-23", "note": ""},
        actor=users["examiner"],
    )
    commit()
    client = client_as("examiner")
    data = {
        "service-recipient": str(case.respondents[0].id),
        "service-method": "direct",
        "service-served_on": "2026-11-24",
        "service-signed_by": "王五",
    }
    response = client.post(f"/documents/{notice.id}/service", data=data)
    assert response.status_code == 302
    [service] = db.session.scalars(sa.select(ServiceRecord)).all()
    assert (service.method, service.served_on, service.event) == ("direct", date(2026, 11, 24), "request_served")
    assert db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id == "adj.defence")
    )
    # electronic without consent: refused with the reason, nothing recorded
    response = client.post(
        f"/documents/{notice.id}/service", data=data | {"service-method": "electronic"}, follow_redirects=True
    )
    assert "consent" in response.get_data(as_text=True)
    assert count(ServiceRecord) == 1


@needs_poppler
def test_batch_of_hearing_notices(client_as, create_case, users, text, frozen_now):
    cases = []
    for i in range(2):
        c = create_case(Channel.adjudication, requester=f"批量请求人{i}", actor=users["examiner"])
        c.state = "evidence"
        cases.append(c)
    commit()
    client = client_as("examiner")
    page = text(client.get("/documents/batch/hearing_notice"))
    assert all(c.number in page for c in cases)
    response = client.post(
        "/documents/batch/hearing_notice",
        data={
            "batch-cases": [str(c.id) for c in cases],
            "parts-hearing_at": "2026-12-01T09:30",
            "parts-place": "第一审理庭",
            "parts-is_public": "y",
            "parts-bring": "身份证明",
        },
    )
    assert response.status_code == 302, text(response)
    batch = db.session.scalars(sa.select(DocumentBatch)).one()
    # issued by the queue (inline in tests), followed on the batch's progress page
    assert response.headers["Location"] == f"/documents/batches/{batch.id}"
    assert batch.status == BatchStatus.complete and batch.done == 2
    assert batch.count == 2 and len(batch.documents) == 2
    assert {d.case_id for d in batch.documents} == {c.id for c in cases}
    combined = client.get(f"/documents/batches/{batch.id}/pdf")
    assert combined.headers["Content-Type"] == "application/pdf"
    words = pdf_text(combined.data)
    for d in batch.documents:
        assert d.number in words
    assert "批量请求人0" in words and "批量请求人1" in words
    # another office's staff cannot reach the batch
    assert client_as("cqexaminer").get(f"/documents/batches/{batch.id}/pdf").status_code == 404


# -- public verification ------------------------------------------------------------------------


def test_verify_by_number_and_code(client_as, issued, text):
    client = client_as()
    ok = text(client.post("/verify", data={"number": issued.number, "code": issued.verification_code.lower()}))
    assert "Authentic issued document" in ok and issued.number in ok and "成都市知识产权局" in ok
    assert "成都某某科技有限公司" not in ok  # never the content
    for number, code in ((issued.number, "ZZZZZZZZ"), ("成知立〔2026〕99号", issued.verification_code), ("", "")):
        page = text(client.post("/verify", data={"number": number, "code": code}))
        assert ("Not an authentic document" in page) == bool(number), (number, code)
        assert "Authentic issued document" not in page


def test_verify_link_of_the_qr_code(client_as, issued, text):
    parts = urlsplit(issued.snapshot["meta"]["verify_url"])
    assert parts.path == "/verify" and "number=" in parts.query
    page = text(client_as().get(f"{parts.path}?{parts.query}"))
    assert "Authentic issued document" in page


def test_verify_by_file(client_as, issued, text):
    client = client_as()
    genuine = text(client.post("/verify", data={"upload": (io.BytesIO(issued.pdf), "doc.pdf")}))
    assert "Authentic issued document" in genuine and issued.number in genuine
    changed = bytearray(issued.pdf)
    changed[len(changed) // 2] ^= 0x01
    forged = text(client.post("/verify", data={"upload": (io.BytesIO(bytes(changed)), "doc.pdf")}))
    assert "Not an authentic document" in forged and issued.number not in forged


def test_verify_honeypot_gets_the_uniform_answer(client_as, issued, text):
    page = text(
        client_as().post("/verify", data={"number": issued.number, "code": issued.verification_code, "website": "spam"})
    )
    assert "Not an authentic document" in page


def test_verify_shows_a_correction(client_as, issued, case, text):
    newer = ops.issue_document(
        case,
        "docketing_notice",
        {"addressee": case.requesters[0].id, "docketed_on": "2026-11-24"},
        actor=None,
        corrects=issued,
    )
    commit()
    page = text(client_as().post("/verify", data={"number": issued.number, "code": issued.verification_code}))
    assert "Authentic issued document" in page and newer.number in page


def test_verify_is_rate_limited(app, client_as, issued):
    was_enabled = limiter.enabled
    if not limiter.initialized:
        probe = Flask("ratelimit-probe")
        probe.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
        limiter.init_app(probe)
    limiter.enabled = True
    limiter.reset()
    try:
        client = client_as()
        allowed = int(app.config["DOCUMENT_VERIFY_RATE_LIMIT"].split()[0])
        data = {"number": issued.number, "code": "WRONG234"}
        statuses = [client.post("/verify", data=data).status_code for _ in range(allowed + 1)]
        assert statuses == [200] * allowed + [429]
        right = {"number": issued.number, "code": issued.verification_code}
        assert client.post("/verify", data=right).status_code == 429  # even with the right code
        assert client.get("/verify").status_code == 200  # the empty form is not counted
    finally:
        limiter.reset()
        limiter.enabled = was_enabled


def test_status_page_shows_the_subsetter(client_as, text):
    page = text(client_as("admin").get("/documents/status"))
    assert "harfbuzz" in page or "fonttools" in page
    assert client_as("examiner").get("/documents/status").status_code == 403


def test_panel_for_parties_shows_a_document_once_served_on_them(client_as, issued, case, users):
    """Before service a party sees neither the document nor its issue in the timeline; once it is
    served on the party it is listed with that party's own service only."""
    requester, respondent = case.requesters[0], case.respondents[0]
    requester.user = users["party"]
    commit()
    page = client_as("party").get(f"/cases/{case.id}").get_data(as_text=True)
    assert issued.number not in page
    assert "/documents/docketing_notice" not in page  # no prepare link for parties
    for party in (requester, respondent):
        ops.record_service(
            issued, recipient=party, method=ServiceMethod.direct, served_on=date(2026, 11, 24), actor=users["examiner"]
        )
    commit()
    page = client_as("party").get(f"/cases/{case.id}").get_data(as_text=True)
    assert issued.number in page
    assert f"{requester.name}: " in page
    assert f"{respondent.name}: " not in page  # another party's service is not shown to it
    assert "/documents/docketing_notice" not in page


def test_staff_of_another_office_cannot_reach_documents(client_as, issued, case):
    client = client_as("cqexaminer")
    assert client.get(f"/documents/{issued.id}/pdf").status_code == 404
    assert client.get(f"/documents/{issued.id}/correct").status_code == 404
    assert client.post(f"/documents/{issued.id}/service", data={}).status_code == 404
    assert client.get(f"/cases/{case.id}/documents/docketing_notice").status_code == 404


def test_mediator_not_on_the_office_cannot_issue(client_as, case, users, frozen_now):
    assign_staff(case, users["examiner2"], AssignmentRole.clerk, actor=users["director"])
    commit()
    assert client_as("mediator").get(f"/cases/{case.id}/documents/docketing_notice").status_code == 404


def test_the_notice_is_prefilled_from_the_step_that_called_for_it(client_as, case, users, text, frozen_now):
    case.state = "evidence"
    details = {
        "hearing_at": datetime(2026, 12, 3, 9, 30),
        "place": "第三审理庭",
        "online": False,
        "publicity": "public",
    }
    take(WORKFLOW, case, "schedule_hearing", actor=users["examiner"], details=details)
    commit()
    page = text(client_as("examiner").get(f"/cases/{case.id}/documents/hearing_notice"))
    assert 'value="第三审理庭"' in page
    assert 'value="2026-12-03T09:30"' in page
    assert re.search(r'<input[^>]* checked id="is_public"', page)
    assert re.search(r'<input[^>]* id="is_online"', page) and not re.search(r'<input[^>]* checked id="is_online"', page)
