"""One step at a time per case (issue 13), on PostgreSQL with two real connections: two people
taking steps on the same case at the same moment. Before the case's row was locked, 10 of 10
pairs of the same step recorded it twice, and conflicting steps both went through, leaving a
closed case in a state that still offered steps. Now the second waits for the first, checks
again on what it left, and is refused with the reason; nothing of it is saved."""

from datetime import timedelta

import sqlalchemy as sa

from ipcase.cases.models import Case
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline
from tests.concurrency.conftest import PAIRS, case_ids, race, transitions


def correction(case, user):
    take(
        WORKFLOW,
        case,
        "request_correction",
        actor=user,
        reason="请求书缺少被请求人地址",
        details={"cure_by": clock.today() + timedelta(days=15)},
    )


def refusal(case, user):
    take(WORKFLOW, case, "refuse_docketing", actor=user, reason="已向人民法院起诉", details={"ground": "in_court"})


def test_the_same_step_twice_at_once_is_taken_once(race_app):
    doubled = []
    for case_id in case_ids(race_app):
        outcomes = race(race_app, case_id, ("examiner", correction), ("examiner2", correction))
        steps = [d["action"]["step"] for d in transitions(race_app, case_id)]
        if steps.count("request_correction") != 1:
            doubled.append(case_id)
            continue
        assert sorted(outcomes, key=lambda o: o != "done")[0] == "done"
        refused = next(o for o in outcomes if o != "done")
        assert "The case changed meanwhile" in refused and "Awaiting correction" in refused, refused
    assert not doubled, f"{len(doubled)} of {PAIRS} pairs recorded the step twice"
    with race_app.app_context():
        # one period to cure per requester and case: the refused step started none
        cures = db.session.scalar(
            sa.select(sa.func.count()).select_from(Deadline).where(Deadline.rule_id == "adj.cure")
        )
        assert cures == PAIRS


def test_conflicting_steps_at_once_apply_exactly_one(race_app):
    both, inconsistent = [], []
    for case_id in case_ids(race_app):
        outcomes = race(race_app, case_id, ("director", refusal), ("examiner", correction))
        steps = transitions(race_app, case_id)
        with race_app.app_context():
            case = db.session.get(Case, case_id)
            state, closed = case.state, case.closed_at is not None
            db.session.remove()
        if len(steps) != 1:
            both.append(case_id)
        # the case's state is where its last recorded step took it, and it is closed only if refused
        if not steps or steps[-1]["to"]["value"] != state or closed != (state == S.rejected):
            inconsistent.append(case_id)
        if len(steps) == 1:
            assert outcomes.count("done") == 1
            assert "The case changed meanwhile" in next(o for o in outcomes if o != "done")
    assert not both and not inconsistent, (
        f"{len(both)} of {PAIRS} pairs took both steps; {len(inconsistent)} cases disagree with their timeline"
    )
