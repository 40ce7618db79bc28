"""The office's own check-then-change operations on a case, raced on PostgreSQL with two
connections (issue 13): two extension requests for one period at once leave one awaiting a
decision, one request decided twice at once is decided once, and an online request marked handled
twice at once is marked (and recorded) once. Each holds the case's row (``core.db.lock_row``)."""

import sqlalchemy as sa

from ipcase.cases.models import Case, TimelineEntry
from ipcase.core.extensions import db
from ipcase.deadlines import operations as deadline_ops
from ipcase.deadlines.models import Deadline, DeadlineEvent, Extension, ExtensionState
from ipcase.portal.models import PortalRequest, RequestKind
from ipcase.portal.operations import mark_request_handled
from tests.concurrency.conftest import case_ids, race


def _time_limit(app, case_id: int) -> int:
    with app.app_context():
        case = db.session.get(Case, case_id)
        deadline = deadline_ops.start_deadline(case, "adj.time_limit", started_at=case.received_at, actor=None)
        db.session.commit()
        found = deadline.id
        db.session.remove()
    return found


def _asking(deadline_id: int):
    def ask(case, user):
        deadline = db.session.get(Deadline, deadline_id)
        deadline_ops.request_extension(deadline, level="director", length=1, reason="案情复杂", actor=user)

    return ask


def test_two_extension_requests_at_once_leave_one_awaiting_a_decision(race_app):
    deadline_id = _time_limit(race_app, case_ids(race_app)[0])
    outcomes = race(
        race_app, case_ids(race_app)[0], ("examiner", _asking(deadline_id)), ("examiner2", _asking(deadline_id))
    )
    assert sorted(outcomes, key=lambda o: o != "done")[0] == "done"
    assert "already awaiting a decision" in next(o for o in outcomes if o != "done")
    with race_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Extension.deadline_id == deadline_id)) == 1
        db.session.remove()


def test_one_extension_decided_twice_at_once_is_decided_once(race_app):
    case_id = case_ids(race_app)[1]
    deadline_id = _time_limit(race_app, case_id)
    race(race_app, case_id, ("examiner", _asking(deadline_id)))
    with race_app.app_context():
        ext_id = db.session.scalar(sa.select(Extension.id).where(Extension.deadline_id == deadline_id))
        db.session.remove()

    def deciding(approve: bool):
        def decide(case, user):
            deadline_ops.decide_extension(db.session.get(Extension, ext_id), approve=approve, actor=user)

        return decide

    outcomes = race(race_app, case_id, ("director", deciding(True)), ("director", deciding(False)))
    assert sorted(outcomes, key=lambda o: o != "done")[0] == "done"
    assert "already been decided" in next(o for o in outcomes if o != "done")
    with race_app.app_context():
        ext = db.session.get(Extension, ext_id)
        deadline = db.session.get(Deadline, deadline_id)
        events = db.session.scalars(
            sa.select(DeadlineEvent.kind).where(
                DeadlineEvent.deadline_id == deadline_id,
                DeadlineEvent.kind.in_(["extended", "extension_refused"]),
            )
        ).all()
        assert len(events) == 1  # before: both decisions recorded
        assert deadline.extended_by == (1 if ext.state == ExtensionState.approved else 0)
        db.session.remove()


def test_an_online_request_marked_handled_twice_at_once_is_marked_once(race_app):
    case_id = case_ids(race_app)[2]
    with race_app.app_context():
        case = db.session.get(Case, case_id)
        online = PortalRequest(
            case_id=case.id, party_id=case.requesters[0].id, kind=RequestKind.defence, text="补充意见", files=[]
        )
        db.session.add(online)
        db.session.commit()
        request_id = online.id
        db.session.remove()

    def handle(case, user):
        mark_request_handled(db.session.get(PortalRequest, request_id), actor=user)

    outcomes = race(race_app, case_id, ("examiner", handle), ("examiner2", handle))
    assert sorted(outcomes, key=lambda o: o != "done")[0] == "done"
    assert "already been handled" in next(o for o in outcomes if o != "done")
    with race_app.app_context():
        entries = db.session.scalar(
            sa.select(sa.func.count()).where(
                TimelineEntry.case_id == case_id, TimelineEntry.event == "portal.request_handled"
            )
        )
        assert entries == 1  # before: recorded twice
        db.session.remove()
