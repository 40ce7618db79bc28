"""The mediation procedure as one transition table (domain.md §3 B1–B8, §4; [85] articles cited).

Administrative mediation by an IP office ([85] ch.3) and mediation at the arbitration-mediation
linkage centre share one table: request → notice to state views served on the respondent
([85]65) → the respondent's statement → docketed, or not docketed when the respondent declines
or stays silent ([85]66) → sessions ([85]67) → an agreement or none ([85]69) → the follow-up that
gives the agreement force: judicial confirmation (人民调解法第33条), notarisation ([85]69) or an
arbitral award / arbitration mediation statement (仲裁法第49–52条). A failed or refused mediation
may be referred to adjudication.

Each row: the action, who may take it, from which states to which, the procedural event it
records (which meets and starts the periods of ``ipcase.deadlines.rules``), its conditions and
the documents it calls for."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole, EntryKind, RightType
from ipcase.cases.models import Case
from ipcase.channels.mediation.states import CLOSED
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.workflow import Transition, Workflow, period_over
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState
from ipcase.deadlines.rules import RULES
from ipcase.extensions import db

#: mediators act; directors too; examiners where the IP office mediates administratively ([85]63)
STAFF = frozenset({Role.mediator, Role.director, Role.examiner})

#: before the respondent has agreed to mediate
BEFORE_DOCKETING = frozenset({S.received, S.awaiting_statement, S.statement_received})
#: docketed and not yet concluded
MEDIATING = frozenset({S.docketed, S.in_session})

#: what meets each period of the catalogue (the same for every version of a rule)
_PURPOSE = {rule.id: rule.purpose for rule in RULES}


# -- guards: each returns why the move is not possible, or None --------------------------------


def mediator_assigned(case: Case) -> Any:
    if not any(a.role == AssignmentRole.mediator for a in case.assignments):
        return _l("Assign a mediator to the case first.")
    return None


def patent_recorded(case: Case) -> Any:
    if not any(r.right_type == RightType.patent for r in case.rights):
        return _l("Record the patent or patent application in dispute.")
    return None


#: silence counts as refusal only once the 15 days for the statement have run out ([85]66)
statement_period_over = period_over(
    ("med.respondent_statement",),
    _l("The respondent may still file a statement; wait for the period to end or record the statement."),
)

# -- effects ------------------------------------------------------------------------------------


def _cancel(case: Case, deadline: Deadline, actor: User | None, at: datetime, reason: str) -> None:
    from ipcase.deadlines.operations import cancel_deadline

    if actor is not None:
        cancel_deadline(deadline, actor=actor, reason=reason)
    else:
        deadline.state = DeadlineState.cancelled
        deadline.closed_at = at


def _open_deadlines(case: Case) -> list[Deadline]:
    return list(
        db.session.scalars(
            sa.select(Deadline)
            .where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
            .order_by(Deadline.id)
        )
    )


def mark_docketed(case: Case, actor: User | None, at: datetime, before: str) -> None:
    case.docketed_at = at


def docketing_decided(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """Refusing to docket, or docketing an ownership dispute (whose event is its own), also
    answers the 5-working-day docketing period ([85]66)."""
    from ipcase.deadlines.operations import meet_deadlines

    meet_deadlines(case, "docketed", actor=actor, at=at)


def mediation_concluded(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An agreement ends the mediation: its time limit is met, though the file stays open for the
    follow-up."""
    from ipcase.deadlines.operations import meet_deadlines

    meet_deadlines(case, "closed", actor=actor, at=at)


def other_route_chosen(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """The parties give the agreement force by notarisation or an award, not by judicial
    confirmation: the 30-day window for confirmation no longer applies."""
    for deadline in _open_deadlines(case):
        if deadline.rule_id == "med.judicial_confirmation":
            _cancel(case, deadline, actor, at, str(_l("The parties chose another follow-up.")))


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    # -- before docketing: B2–B4' ([85]65–66) ---------------------------------------------------
    T(
        "serve_notice",
        _l("Serve the notice to state views (陈述意见通知书) on the respondent"),
        frozenset({S.received}),
        S.awaiting_statement,
        STAFF,
        event="notice_served",
        documents=("statement_notice", "service_receipt"),
    ),
    T(
        "receive_statement",
        _l("Respondent's statement received (意见陈述书)"),
        frozenset({S.awaiting_statement}),
        S.statement_received,
        STAFF,
        event="statement_received",
    ),
    T(
        "docket",
        _l("Respondent consents: docket for mediation (立案)"),
        frozenset({S.statement_received}),
        S.docketed,
        STAFF,
        event="docketed",
        guards=(mediator_assigned,),
        documents=("mediation_docketing_notice",),
        effects=(mark_docketed,),
        kind=EntryKind.positive,
    ),
    T(
        "docket_ownership",
        _l("Respondent consents: docket the ownership dispute (权属纠纷立案)"),
        frozenset({S.statement_received}),
        S.docketed,
        STAFF,
        event="docketed_ownership",
        guards=(mediator_assigned, patent_recorded),
        documents=("mediation_docketing_notice",),
        effects=(docketing_decided, mark_docketed),
        kind=EntryKind.positive,
    ),
    T(
        "refuse_docketing",
        _l("Respondent declines: not docketed (不予立案)"),
        frozenset({S.statement_received}),
        S.refused,
        STAFF,
        needs_reason=True,
        closes=True,
        documents=("mediation_refusal_notice",),
        effects=(docketing_decided,),
        kind=EntryKind.negative,
    ),
    T(
        "statement_lapsed",
        _l("No statement in time: not docketed (不予立案)"),
        frozenset({S.awaiting_statement}),
        S.refused,
        STAFF,
        guards=(statement_period_over,),
        needs_reason=True,
        closes=True,
        documents=("mediation_refusal_notice",),
        kind=EntryKind.negative,
    ),
    # -- mediation: B5–B7 ([85]67–69) ------------------------------------------------------------
    T(
        "hold_session",
        _l("Mediation session held"),
        MEDIATING,
        S.in_session,
        STAFF,
        documents=("mediation_record",),
    ),
    T(
        "requester_absent",
        _l("Requester absent without good reason: treated as withdrawn"),
        MEDIATING,
        S.withdrawn,
        STAFF,
        needs_reason=True,
        closes=True,
        documents=("mediation_cancellation_notice",),
        kind=EntryKind.negative,
    ),
    T(
        "respondent_absent",
        _l("Respondent absent: no agreement, case cancelled"),
        MEDIATING,
        S.closed_failed,
        STAFF,
        needs_reason=True,
        closes=True,
        documents=("mediation_cancellation_notice",),
        kind=EntryKind.negative,
    ),
    T(
        "reach_agreement",
        _l("Mediation agreement signed (调解协议书)"),
        frozenset({S.in_session}),
        S.agreement_reached,
        STAFF,
        event="agreement_effective",
        documents=("mediation_agreement",),
        effects=(mediation_concluded,),
        kind=EntryKind.positive,
    ),
    T(
        "mediation_failed",
        _l("No agreement: mediation ends (撤销案件)"),
        MEDIATING,
        S.closed_failed,
        STAFF,
        needs_reason=True,
        closes=True,
        documents=("mediation_cancellation_notice",),
        kind=EntryKind.negative,
    ),
    T(
        "withdraw",
        _l("Request withdrawn by the requester"),
        BEFORE_DOCKETING | MEDIATING,
        S.withdrawn,
        STAFF,
        needs_reason=True,
        closes=True,
        documents=("mediation_cancellation_notice",),
        kind=EntryKind.negative,
    ),
    # -- follow-up: giving the agreement force (§4, [85]69) --------------------------------------
    T(
        "apply_confirmation",
        _l("Judicial confirmation applied for (司法确认)"),
        frozenset({S.agreement_reached}),
        S.confirmation_pending,
        STAFF,
        event="confirmation_applied",
        documents=("judicial_confirmation_application",),
    ),
    T(
        "apply_notarisation",
        _l("Notarisation with enforceability applied for (赋予强制执行效力公证)"),
        frozenset({S.agreement_reached}),
        S.confirmation_pending,
        STAFF,
        documents=("notarisation_application",),
        effects=(other_route_chosen,),
    ),
    T(
        "apply_award",
        _l("Arbitral award or arbitration mediation statement requested (仲裁确认)"),
        frozenset({S.agreement_reached}),
        S.confirmation_pending,
        STAFF,
        documents=("arbitration_agreement",),
        effects=(other_route_chosen,),
    ),
    T(
        "close_agreed",
        _l("Close with the agreement, no follow-up sought"),
        frozenset({S.agreement_reached}),
        S.closed_agreed,
        STAFF,
        closes=True,
        kind=EntryKind.positive,
    ),
    T(
        "follow_up_completed",
        _l("Confirmed: ruling, notarial deed or award obtained"),
        frozenset({S.confirmation_pending}),
        S.closed_agreed,
        STAFF,
        closes=True,
        kind=EntryKind.positive,
    ),
    T(
        "follow_up_refused",
        _l("Confirmation refused: back to the agreement"),
        frozenset({S.confirmation_pending}),
        S.agreement_reached,
        STAFF,
        needs_reason=True,
        kind=EntryKind.negative,
    ),
    # -- after a failed or refused mediation -----------------------------------------------------
    T(
        "refer_to_adjudication",
        _l("Referred to administrative adjudication"),
        frozenset({S.refused, S.closed_failed}),
        S.referred,
        STAFF,
        guards=(patent_recorded,),
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))
