"""Taking the step from what a party sent online (issue 12): one click on the request takes the
matching step at the request's time of receipt and marks the request handled, linked to the
step's timeline entry; a request of another case, one already handled or a step that does not
answer it is refused and changes nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.registry import get_channel
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.portal import operations as ops
from ipcase.portal.models import REQUEST_STEPS, PortalRequest, RequestKind
from tests.cases.helpers import make_client_as

TEXT = "我方已提交书面意见，请予处理。"

#: (channel, kind, state the case is in, organisation, who takes the step, extra form data)
CASES = [
    (Channel.adjudication, RequestKind.deficiency_answer, "deficient", "cdip", "examiner", {}),
    (Channel.adjudication, RequestKind.defence, "served", "cdip", "examiner", {}),
    (Channel.adjudication, RequestKind.withdrawal, "served", "cdip", "director", {}),
    (Channel.mediation, RequestKind.defence, "awaiting_statement", "cdmed", "mediator", {}),
    (Channel.mediation, RequestKind.withdrawal, "docketed", "cdmed", "mediator", {}),
    (Channel.station, RequestKind.deficiency_answer, "incomplete", "cdexpo", "station", {}),
    (
        Channel.station,
        RequestKind.defence,
        "awaiting_response",
        "cdexpo",
        "station",
        {"position": "admits", "summary": TEXT},  # the summary comes prefilled with the request's text
    ),
    (Channel.station, RequestKind.withdrawal, "under_review", "cdexpo", "station", {}),
]


def _party(case, kind):
    role = "respondent" if kind == RequestKind.defence else "requester"
    return next(p for p in case.parties if p.role == role)


def _sent(create_case, users, channel, kind, state, organisation, frozen_now):
    case = create_case(channel, organisation=organisation, state=state)
    online = ops.submit_request(case, _party(case, kind), kind, text=TEXT, uploads=[])
    db.session.commit()
    received = online.created_at
    frozen_now(clock.now() + timedelta(hours=2))  # staff act later: the step keeps the receipt time
    return case, online, received


def _entry(online):
    db.session.expire_all()
    online = db.session.get(PortalRequest, online.id)
    return online, (db.session.get(TimelineEntry, online.timeline_entry_id) if online.timeline_entry_id else None)


def test_every_request_kind_maps_to_a_step_of_its_channel():
    for (channel, kind), action in REQUEST_STEPS.items():
        assert action in get_channel(channel).workflow.by_action, (channel, kind)
    assert {k for _c, k in REQUEST_STEPS} == set(RequestKind)


@pytest.mark.parametrize(("channel", "kind", "state", "organisation", "username", "extra"), CASES)
def test_one_click_takes_the_step_and_closes_the_request(
    app, create_case, users, frozen_now, text, channel, kind, state, organisation, username, extra
):
    case, online, received = _sent(create_case, users, channel, kind, state, organisation, frozen_now)
    action = REQUEST_STEPS[(channel, kind)]
    web = make_client_as(app, username)
    page = text(web.get(f"/cases/{case.id}"))
    panel = page[page.index('id="portal"') :]
    assert f'id="request-{online.id}-step"' in panel and f"/actions/{action}" in panel
    if "summary" in extra:
        form = panel[panel.index(f'id="request-{online.id}-step"') :]
        assert TEXT in form[: form.index("</form>")], form[:3000]
    response = web.post(f"/cases/{case.id}/actions/{action}", data={"portal_request": str(online.id)} | extra)
    assert response.status_code == 302
    online, entry = _entry(online)
    assert online.handled_at is not None and online.handled_by.username == username
    assert entry is not None and entry.data["action"]["step"] == action
    c = db.session.get(Case, case.id)
    assert c.state != state or action == "record_ruling"
    page = text(web.get(f"/cases/{case.id}"))
    assert f'href="#entry-{entry.id}"' in page and f'id="entry-{entry.id}"' in page
    assert f'id="request-{online.id}-step"' not in page
    # the step's time is the request's receipt, not the moment staff clicked
    met = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state == DeadlineState.met)
    ).all()
    assert all(d.met_at == received for d in met if d.met_at and d.met_at > received - timedelta(minutes=1))


def test_a_defence_sent_online_is_the_response_with_its_time(app, create_case, users, frozen_now):
    case, online, received = _sent(
        create_case, users, Channel.station, RequestKind.defence, "awaiting_response", "cdexpo", frozen_now
    )
    web = make_client_as(app, "station")
    web.post(
        f"/cases/{case.id}/actions/receive_response",
        data={"portal_request": str(online.id), "position": "denies", "summary": TEXT},
    )
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    assert (c.response_at, c.response_position, c.response_in_time) == (received, "denies", True)


def test_refused_request_steps_change_nothing(app, create_case, users, frozen_now, text):
    case, online, _ = _sent(create_case, users, Channel.adjudication, RequestKind.defence, "served", "cdip", frozen_now)
    other = create_case(Channel.adjudication, state="served")
    db.session.commit()
    web = make_client_as(app, "examiner")

    def snapshot():
        db.session.expire_all()
        r = db.session.get(PortalRequest, online.id)
        return db.session.get(Case, case.id).state, r.handled_at, r.timeline_entry_id

    before = snapshot()
    # a step that does not answer the request
    r = web.post(f"/cases/{case.id}/actions/defence_lapsed", data={"portal_request": str(online.id)})
    assert r.status_code == 302
    assert "This step does not answer that online request." in text(web.get(f"/cases/{case.id}"))
    assert snapshot() == before
    # a request of another case
    assert (
        web.post(f"/cases/{other.id}/actions/receive_defence", data={"portal_request": str(online.id)}).status_code
        == 404
    )
    assert web.post(f"/cases/{case.id}/actions/receive_defence", data={"portal_request": "x"}).status_code == 404
    assert snapshot() == before
    # handled once only
    web.post(f"/cases/{case.id}/actions/receive_defence", data={"portal_request": str(online.id)})
    after = snapshot()
    assert after[1] is not None
    again = web.post(f"/cases/{case.id}/actions/receive_defence", data={"portal_request": str(online.id)})
    assert again.status_code == 302
    assert snapshot() == after


def test_a_hearing_change_request_opens_the_reschedule_step_prefilled(app, create_case, users, frozen_now, text):
    case, online, received = _sent(
        create_case, users, Channel.adjudication, RequestKind.hearing_change, "hearing_scheduled", "cdip", frozen_now
    )
    page = text(make_client_as(app, "examiner").get(f"/cases/{case.id}"))
    start = page.index(f'id="request-{online.id}-step"')
    form = page[page.rindex("<form", 0, start) :]
    form = form[: form.index("</form>")]
    assert "/actions/reschedule_hearing" in form
    assert f'<option selected value="{online.party_id}">' in form
    assert f'value="{clock.local_day(received).isoformat()}"' in form
