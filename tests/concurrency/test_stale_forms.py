"""A step sent from a page the case has moved on from is refused with a clear message, and
nothing changes (issue 13): the step form carries what its page saw of the case (``seen``: the
state and the last step), checked once the case's row is locked. On SQLite and PostgreSQL."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.core import clock
from ipcase.core.extensions import db
from tests import factories
from tests.cases.helpers import make_client_as


@pytest.fixture
def case(app, users):
    made = factories.create_case(Channel.adjudication, actor=users["examiner"])
    db.session.commit()
    return made


def seen_on(client, case) -> str:
    """The version of the case the case page's step forms carry."""
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    found = set(re.findall(r'name="seen" value="([^"]+)"', body))
    assert len(found) == 1, found
    return found.pop()


def steps_of(case) -> list[str]:
    rows = db.session.scalars(
        sa.select(TimelineEntry.data).where(TimelineEntry.case_id == case.id, TimelineEntry.event == "case.transition")
    )
    return [d["action"]["step"] for d in rows]


def flashed(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def correction(seen=None) -> dict:
    data = {"reason": "请求书缺少被请求人地址", "cure_by": (clock.today() + timedelta(days=15)).isoformat()}
    return data | ({"seen": seen} if seen is not None else {})


def test_a_step_from_a_page_the_case_moved_on_from_is_refused(app, case):
    director = make_client_as(app, "director")
    examiner = make_client_as(app, "examiner")
    seen = seen_on(director, case)
    assert seen.startswith(f"{S.received.value}:")
    # the examiner asks for correction while the director's page still shows the case as received
    done = examiner.post(f"/cases/{case.id}/actions/request_correction", data=correction(seen_on(examiner, case)))
    assert "Done: Ask for correction" in flashed(examiner, done)
    # marking it major is allowed in both states, but the director decided on what the page showed
    response = director.post(f"/cases/{case.id}/actions/mark_major", data={"reason": "全国影响", "seen": seen})
    body = flashed(director, response)
    assert "The case changed meanwhile: Examiner took the step “Ask for correction (补正)”" in body
    assert "it is now “Awaiting correction”. Check it and try again." in body
    db.session.expire_all()
    fresh = db.session.get(Case, case.id)
    assert fresh.state == S.deficient and not fresh.is_major
    assert steps_of(fresh) == ["request_correction"]


def test_the_same_form_sent_twice_takes_the_step_once(app, case):
    examiner = make_client_as(app, "examiner")
    seen = seen_on(examiner, case)
    first = examiner.post(f"/cases/{case.id}/actions/request_correction", data=correction(seen))
    assert "Done: Ask for correction" in flashed(examiner, first)
    again = examiner.post(f"/cases/{case.id}/actions/request_correction", data=correction(seen))
    body = flashed(examiner, again)
    assert "The case changed meanwhile" in body and "Done:" not in body
    db.session.expire_all()
    assert steps_of(db.session.get(Case, case.id)) == ["request_correction"]


def test_a_page_that_saw_the_current_case_takes_its_step(app, case):
    examiner = make_client_as(app, "examiner")
    seen = seen_on(examiner, case)
    response = examiner.post(f"/cases/{case.id}/actions/request_correction", data=correction(seen))
    assert "Done: Ask for correction" in flashed(examiner, response)
    # the page shown next carries the new version, from which the next step is taken
    assert seen_on(examiner, case) != seen
    response = examiner.post(f"/cases/{case.id}/actions/cure", data={"seen": seen_on(examiner, case)})
    assert "Done: Correction received" in flashed(examiner, response)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == S.received


@pytest.mark.parametrize("seen", ["garbage", "received:", "received:99999999999999999999999", " "])
def test_a_tampered_version_is_refused_or_ignored_never_a_500(app, case, seen):
    examiner = make_client_as(app, "examiner")
    response = examiner.post(f"/cases/{case.id}/actions/request_correction", data=correction(seen))
    body = flashed(examiner, response)
    db.session.expire_all()
    if seen.strip():
        assert "The case changed meanwhile: it is now “Request received”" in body
        assert steps_of(db.session.get(Case, case.id)) == []
    else:  # no version sent (e.g. a client that predates it): the move is still checked on the case
        assert "Done: Ask for correction" in body
