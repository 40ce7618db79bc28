"""Acting online: answering a correction notice, the respondent's defence with the code printed
on its notice, withdrawing, asking to move the hearing; staff see each request and act."""

import io

import pytest
import sqlalchemy as sa

from ipcase.cases.evidence import EvidenceItem
from ipcase.cases.models import TimelineEntry
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.portal.models import PortalRequest, RequestKind
from tests.cases.helpers import commit
from tests.portal.helpers import EXE, PDF, PNG, enter


def _as(client_as, case, code):
    client = client_as()
    assert enter(client, case.number, code).status_code == 302
    return client


def _send(client, kind, text="", files=()):
    data = {"text": text}
    if files:
        data["file"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/portal/status/act/{kind}", data=data, content_type="multipart/form-data")


def requests_of(case):
    return db.session.scalars(sa.select(PortalRequest).where(PortalRequest.case_id == case.id)).all()


def test_the_requester_answers_a_correction_notice(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "deficient"
    commit()
    client = _as(client_as, case, codes["requester"])
    assert "/portal/status/act/deficiency_answer" in text(client.get("/portal/status"))
    assert client.get("/portal/status/act/deficiency_answer").status_code == 200
    response = _send(
        client, "deficiency_answer", "补交专利登记簿副本", [(PDF, "登记簿副本.pdf"), (PNG, "身份证明.png")]
    )
    assert response.status_code == 302
    (sent,) = requests_of(case)
    assert (sent.kind, sent.party_id, sent.text) == (
        RequestKind.deficiency_answer,
        case.requesters[0].id,
        "补交专利登记簿副本",
    )
    assert sent.files == ["登记簿副本.pdf", "身份证明.png"]
    items = db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)).all()
    assert {i.submitted_by_party_id for i in items} == {case.requesters[0].id}
    entry = db.session.scalars(
        sa.select(TimelineEntry).where(
            TimelineEntry.case_id == case.id, TimelineEntry.event == "portal.deficiency_answer"
        )
    ).one()
    assert not entry.is_public
    # the state does not move by itself: staff take the step ("Correction received")
    assert case.state == "deficient"
    page = text(client.get("/portal/status"))
    assert "Answer to the correction notice" in page and "awaiting the office" in page


def test_the_respondent_files_its_defence_with_the_code_from_its_notice(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "defence_period"
    commit()
    client = _as(client_as, case, codes["respondent"])
    page = text(client.get("/portal/status"))
    assert "/portal/status/act/defence" in page
    assert "/portal/status/act/deficiency_answer" not in page
    assert _send(client, "defence", "被诉产品未落入权利要求1的保护范围", [(PDF, "答辩书.pdf")]).status_code == 302
    (sent,) = requests_of(case)
    assert sent.party_id == case.respondents[0].id
    # the requester does not see the respondent's submission or its evidence
    requester = _as(client_as, case, codes["requester"])
    page = text(requester.get("/portal/status"))
    assert "答辩书" not in page and "Defence or statement" not in page


@pytest.mark.parametrize(
    ("who", "kind", "state"),
    [
        ("requester", "defence", "defence_period"),
        ("respondent", "deficiency_answer", "deficient"),
        ("requester", "deficiency_answer", "received"),
        ("requester", "hearing_change", "evidence"),
        ("requester", "withdrawal", "closed_decided"),
    ],
)
def test_what_a_party_may_not_send_is_refused_and_changes_nothing(client_as, text, case_with_codes, who, kind, state):
    case, codes = case_with_codes
    case.state = state
    if state.startswith("closed"):
        case.closed_at = clock.now()
    commit()
    client = _as(client_as, case, codes[who])
    response = _send(client, kind, "内容", [(PDF, "a.pdf")])
    assert response.status_code == 302
    assert requests_of(case) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceItem)) == 0
    assert client.get(f"/portal/status/act/{kind}").status_code == 302
    page = text(client.get("/portal/status"))
    assert '<p class="flash flash-warning">' in page  # says why


def test_withdrawal_and_hearing_change_need_a_text(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "hearing_scheduled"
    commit()
    client = _as(client_as, case, codes["respondent"])
    response = _send(client, "hearing_change", "")
    assert response.status_code == 422
    assert "Say what you ask for and why" in text(response)
    assert _send(client, "hearing_change", "代理人当日另有开庭，请改期至下周").status_code == 302
    assert _send(client, "withdrawal", "撤回管辖权异议").status_code == 302
    assert sorted(r.kind for r in requests_of(case)) == [RequestKind.hearing_change, RequestKind.withdrawal]


def test_a_refused_file_refuses_the_whole_submission(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "defence_period"
    commit()
    client = _as(client_as, case, codes["respondent"])
    response = _send(client, "defence", "答辩", [(PDF, "ok.pdf"), (EXE, "setup.pdf")])
    assert response.status_code == 422
    assert "“setup.pdf” is not a PDF, JPEG or PNG file" in text(response)
    assert requests_of(case) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceItem)) == 0


def test_an_empty_submission_is_refused(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "defence_period"
    commit()
    response = _send(_as(client_as, case, codes["respondent"]), "defence")
    assert response.status_code == 422
    assert "Write your text or attach at least one file" in text(response)


def test_unknown_kind_is_404_and_no_access_goes_to_the_code_page(client_as, case_with_codes):
    case, codes = case_with_codes
    assert client_as().get("/portal/status/act/defence").status_code == 302
    assert _as(client_as, case, codes["requester"]).get("/portal/status/act/payment").status_code == 404


def test_staff_see_and_handle_online_requests(client_as, text, case_with_codes):
    case, codes = case_with_codes
    case.state = "defence_period"
    commit()
    _send(_as(client_as, case, codes["respondent"]), "defence", "答辩意见全文")
    (sent,) = requests_of(case)
    examiner = client_as("examiner")
    page = text(examiner.get(f"/cases/{case.id}"))
    assert 'id="portal"' in page and "答辩意见全文" in page and "Mark as handled" in page
    response = examiner.post(f"/portal/staff/requests/{sent.id}/handled")
    assert response.status_code == 302
    db.session.refresh(sent)
    assert sent.handled_by_id is not None
    # twice: refused, nothing changes
    before = sent.handled_at
    examiner.post(f"/portal/staff/requests/{sent.id}/handled")
    db.session.refresh(sent)
    assert sent.handled_at == before
    # another region's staff: 404; the expert on no case: 404; a party: 403 or 404
    assert client_as("cqexaminer").post(f"/portal/staff/requests/{sent.id}/handled").status_code == 404
    assert client_as("party").post(f"/portal/staff/requests/{sent.id}/handled").status_code == 404
