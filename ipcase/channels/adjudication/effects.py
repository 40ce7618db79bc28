"""The effects of adjudication transitions that take no details, f(case, actor, at, state_before):
the docketing clock stopped by a deficiency notice, suspension and resumption, excluded time
ended when the case closes, and the major case's own periods ([68], §2.3)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.models import Case
from ipcase.channels.adjudication.helpers import _end_exclusion
from ipcase.channels.workflow import records
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, ExclusionKind
from ipcase.deadlines.operations import cancel_open_deadlines, start_deadline, start_exclusion


def stop_docketing_clock(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """A deficiency notice: the 5-working-day docketing period restarts when the request is
    complete ([85]16, [85]20), so the running one is cancelled."""
    for d in db.session.scalars(
        sa.select(Deadline).where(
            Deadline.case_id == case.id, Deadline.rule_id == "adj.docket", Deadline.state.in_(OPEN_STATES)
        )
    ):
        d.state = DeadlineState.cancelled
        d.closed_at = at


def enter_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """Remember where to return, and stop the time limit ([85]28, [85]37)."""
    case.state_before_suspension = before
    if actor is not None:
        start_exclusion(case, ExclusionKind.suspension, clock.local_day(at), actor=actor, reason=str(_l("Suspension")))


def leave_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    if not case.state_before_suspension:
        raise DomainError(_l("It is not known where this case was when it was suspended."))
    case.state = case.state_before_suspension
    case.state_before_suspension = None
    _end_exclusion(case, ExclusionKind.suspension, actor, at)


def end_excluded_time(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """The case closes: excluded time still open (settlement, appraisal, an objection) ends with it."""
    for kind in ExclusionKind:
        _end_exclusion(case, kind, actor, at)


def _restart(case: Case, old: str, new: str, actor: User | None, at: datetime, reason: Any) -> None:
    """Cancel the running ``old`` period and start ``new`` from ``at`` in its place (nothing when
    ``old`` is not running: a deficiency notice stopped the docketing clock, the case closed)."""
    running = db.session.scalars(
        sa.select(Deadline.id).where(
            Deadline.case_id == case.id, Deadline.rule_id == old, Deadline.state.in_(OPEN_STATES)
        )
    ).all()
    if running:
        cancel_open_deadlines(case, only=set(running), actor=actor, reason=str(reason))
        start_deadline(case, new, started_at=at, actor=actor)


@records("request_received_major", "docketed_major")
def mark_major(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """A case of national impact ([IR]96, certified by the provincial office) is heard under
    [68]: its docketing period (from the request's receipt) and, once docketed, its time limit
    (from docketing) replace the ordinary ones (§2.3)."""
    case.is_major = True  # type: ignore[attr-defined]
    reason = _l("Major case ([68])")
    if case.docketed_at is None:
        _restart(case, "adj.docket", "adj.major_docket", actor, case.received_at, reason)
    else:
        _restart(case, "adj.time_limit", "adj.major_time_limit", actor, case.docketed_at, reason)


@records("request_changed_major")
def restart_major_time_limit(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """P9 ([68]22): the time limit of a major case restarts when the request changes or a
    co-respondent or third party is added (also by joinder); an ordinary case's does not."""
    if not getattr(case, "is_major", False):
        return
    _restart(case, "adj.major_time_limit", "adj.major_time_limit", actor, at, _l("Request changed ([68]22)"))
