"""The adjudication procedure as one transition table (domain.md §2.1, §2.2; [85] articles cited).

Each row: the action, who may take it, from which states to which, the procedural event it
records (which meets and starts the statutory periods), its conditions, and the documents it
calls for."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import EntryKind, PartyRole, RightType
from ipcase.cases.models import Case
from ipcase.cases.operations import panel_problems
from ipcase.channels.adjudication.states import CLOSED
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.workflow import Transition, Workflow, period_over
from ipcase.core.errors import DomainError
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, ExcludedPeriod, ExclusionKind
from ipcase.extensions import db

OFFICE = frozenset({Role.examiner, Role.director})
DIRECTOR = frozenset({Role.director})

#: states in which the case is being heard (docketed, not yet closed)
HEARING_STAGES = frozenset(
    {
        S.docketed,
        S.served,
        S.defence_period,
        S.evidence,
        S.hearing_scheduled,
        S.heard,
        S.deliberation,
        S.closing_approval,
    }
)
SUSPENDABLE = HEARING_STAGES - {S.closing_approval}


# -- guards: each returns why the move is not possible, or None --------------------------------


def parties_and_patent(case: Case) -> Any:
    roles = {p.role for p in case.parties}
    if PartyRole.requester not in roles or PartyRole.respondent not in roles:
        return _l("A case needs at least one requester and one respondent.")
    if not any(r.right_type == RightType.patent for r in case.rights):
        return _l("Record the patent the request is based on.")
    return None


def valid_panel(case: Case) -> Any:
    problems = panel_problems(case)
    return problems[0] if problems else None


#: the defence is missing only once its period has run out ([85]22)
defence_period_over = period_over(
    ("adj.defence", "adj.defence_abroad"),
    _l("The defence period is still running; wait for it to end or record the defence."),
)

# -- effects ------------------------------------------------------------------------------------


def _local_day(at: datetime) -> Any:
    from ipcase.core import clock

    return clock.to_local(at).date()


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


def docketing_decided(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """Refusing to docket also answers the docketing period."""
    from ipcase.deadlines.operations import meet_deadlines

    meet_deadlines(case, "docketed", actor=actor, at=at)


def mark_docketed(case: Case, actor: User | None, at: datetime, before: str) -> None:
    case.docketed_at = at


def enter_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """Remember where to return, and stop the time limit ([85]28, [85]37)."""
    from ipcase.deadlines.operations import start_exclusion

    case.state_before_suspension = before
    if actor is not None:
        start_exclusion(case, ExclusionKind.suspension, _local_day(at), actor=actor, reason=str(_l("Suspension")))


def leave_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    from ipcase.deadlines.operations import end_exclusion

    if not case.state_before_suspension:
        raise DomainError(_l("It is not known where this case was when it was suspended."))
    case.state = case.state_before_suspension
    case.state_before_suspension = None
    period = db.session.scalar(
        sa.select(ExcludedPeriod).where(
            ExcludedPeriod.case_id == case.id,
            ExcludedPeriod.kind == ExclusionKind.suspension,
            ExcludedPeriod.ends_on.is_(None),
        )
    )
    if period is not None and actor is not None:
        last = max(period.starts_on, _local_day(at))
        end_exclusion(period, last, actor=actor)


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(
        "request_correction",
        _l("Ask for correction (补正)"),
        frozenset({S.received}),
        S.deficient,
        OFFICE,
        needs_reason=True,
        documents=("deficiency_notice",),
        effects=(stop_docketing_clock,),
        kind=EntryKind.negative,
    ),
    T("cure", _l("Correction received"), frozenset({S.deficient}), S.received, OFFICE, event="request_received"),
    T(
        "refuse_docketing",
        _l("Refuse to docket (不予立案)"),
        frozenset({S.received, S.deficient}),
        S.rejected,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("refusal_notice",),
        effects=(docketing_decided,),
        kind=EntryKind.negative,
    ),
    T(
        "docket",
        _l("Docket the case (立案)"),
        frozenset({S.received}),
        S.docketed,
        OFFICE,
        event="docketed",
        guards=(parties_and_patent, valid_panel),
        documents=("docketing_notice",),
        effects=(mark_docketed,),
        kind=EntryKind.positive,
    ),
    T(
        "serve",
        _l("Serve the request on the respondent"),
        frozenset({S.docketed}),
        S.defence_period,
        OFFICE,
        event="request_served",
        documents=("defence_notice", "service_receipt"),
    ),
    T(
        "receive_defence",
        _l("Defence received"),
        frozenset({S.served, S.defence_period}),
        S.evidence,
        OFFICE,
        event="defence_received",
    ),
    T(
        "defence_lapsed",
        _l("Defence period ended without a defence"),
        frozenset({S.served, S.defence_period}),
        S.evidence,
        OFFICE,
        guards=(defence_period_over,),
    ),
    T(
        "schedule_hearing",
        _l("Schedule the oral hearing"),
        frozenset({S.evidence, S.heard}),
        S.hearing_scheduled,
        OFFICE,
        documents=("hearing_notice",),
    ),
    T("hold_hearing", _l("Oral hearing held"), frozenset({S.hearing_scheduled}), S.heard, OFFICE),
    T(
        "requester_absent",
        _l("Requester absent: treated as withdrawn"),
        frozenset({S.hearing_scheduled}),
        S.closed_cancelled,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("cancellation_decision",),
        kind=EntryKind.negative,
    ),
    T("deliberate", _l("Panel deliberation"), frozenset({S.evidence, S.heard}), S.deliberation, OFFICE),
    T(
        "submit_for_closing",
        _l("Submit the draft decision for closing approval"),
        frozenset({S.deliberation}),
        S.closing_approval,
        OFFICE,
        documents=("closing_approval_form",),
    ),
    T(
        "return_to_panel",
        _l("Return to the panel"),
        frozenset({S.closing_approval}),
        S.deliberation,
        DIRECTOR,
        needs_reason=True,
        kind=EntryKind.negative,
    ),
    T(
        "approve_decision",
        _l("Approve and issue the decision (行政裁决书)"),
        frozenset({S.closing_approval}),
        S.closed_decided,
        DIRECTOR,
        event="decided",
        closes=True,
        documents=("adjudication_decision",),
        kind=EntryKind.positive,
    ),
    T(
        "close_by_mediation",
        _l("Close by mediation agreement"),
        HEARING_STAGES - {S.closing_approval},
        S.closed_mediated,
        OFFICE,
        closes=True,
        documents=("mediation_agreement",),
        kind=EntryKind.positive,
    ),
    T(
        "cancel_case",
        _l("Cancel the case (撤销案件)"),
        HEARING_STAGES | {S.suspended},
        S.closed_cancelled,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("cancellation_decision",),
        kind=EntryKind.negative,
    ),
    T(
        "suspend",
        _l("Suspend (中止)"),
        SUSPENDABLE,
        S.suspended,
        OFFICE,
        needs_reason=True,
        documents=("suspension_notice",),
        effects=(enter_suspension,),
        kind=EntryKind.negative,
    ),
    T(
        "resume",
        _l("Resume (恢复)"),
        frozenset({S.suspended}),
        None,
        OFFICE,
        documents=("resumption_notice",),
        effects=(leave_suspension,),
    ),
    T("publish", _l("Decision published"), frozenset({S.closed_decided}), S.published, OFFICE, event="published"),
    T(
        "record_lawsuit",
        _l("Administrative lawsuit filed"),
        frozenset({S.closed_decided, S.published}),
        S.litigated,
        OFFICE,
        event="lawsuit_filed",
    ),
    T(
        "request_enforcement",
        _l("Court enforcement requested"),
        frozenset({S.closed_decided, S.published}),
        S.enforcement_requested,
        DIRECTOR,
        event="enforcement_applied",
        documents=("enforcement_application",),
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))
