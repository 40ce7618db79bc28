"""The case file's own check-then-change operations, raced on PostgreSQL with two connections
(issue 13): two items of evidence listed at once each get the next position (before, the second
failed on the unique position: a server error), and the same person put on the case in the same
role twice at once is assigned once, the second refused with the reason (before, a unique-key
error: a server error)."""

import sqlalchemy as sa

from ipcase.auth.models import User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.evidence import EvidenceItem, add_evidence
from ipcase.cases.models import Assignment
from ipcase.cases.operations import assign_staff
from ipcase.core.extensions import db
from tests.concurrency.conftest import case_ids, race


def test_two_items_of_evidence_listed_at_once_get_consecutive_positions(race_app):
    case_id = case_ids(race_app)[0]

    def listing(title):
        return lambda case, user: add_evidence(case, {"title": title}, actor=user)

    outcomes = race(race_app, case_id, ("examiner", listing("购买发票")), ("examiner2", listing("公证书")))
    assert outcomes == ["done", "done"]
    with race_app.app_context():
        positions = db.session.scalars(sa.select(EvidenceItem.position).where(EvidenceItem.case_id == case_id))
        assert sorted(positions) == [1, 2]
        db.session.remove()


def test_the_same_assignment_twice_at_once_is_made_once(race_app):
    case_id = case_ids(race_app)[0]
    with race_app.app_context():
        clerk_id = db.session.scalar(sa.select(User.id).where(User.username == "examiner3"))
        db.session.remove()

    def assign(case, user):
        clerk = db.session.get(User, clerk_id)
        assign_staff(case, clerk, AssignmentRole.clerk, actor=user)

    outcomes = race(race_app, case_id, ("director", assign), ("examiner", assign))
    assert sorted(outcomes, key=lambda o: o != "done")[0] == "done"
    assert "already holds this role" in next(o for o in outcomes if o != "done")
    with race_app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Assignment)
            .where(Assignment.case_id == case_id, Assignment.role == AssignmentRole.clerk)
        )
        assert count == 1
        db.session.remove()
