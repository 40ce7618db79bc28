"""The mediation procedure as one transition table (domain.md §3 B1–B8, §4; [85] articles cited).

Administrative mediation by an IP office ([85] ch.3) and mediation at the arbitration-mediation
linkage centre share one table: request → notice to state views served on the respondent
([85]65) → the respondent's statement → docketed, or not docketed when the respondent declines
or stays silent ([85]66) → sessions ([85]67) → an agreement or none ([85]69) → the follow-up that
gives the agreement force: judicial confirmation (人民调解法第33条), notarisation ([85]69) or an
arbitral award / arbitration mediation statement (仲裁法第49–52条). A failed or refused mediation
may be referred to adjudication: a linked adjudication case opens at the receiving office.

Each row: the action, who may take it, from which states to which, the procedural event it
records (which meets and starts the periods of ``ipcase.deadlines.rules``), its conditions, the
documents it calls for and — where the mediator records more than a time and reasons — its form
(``forms.py``) and the ``apply`` that checks and applies those details: the mediator chosen at
docketing, each session (``mediation_sessions``), the agreement's terms, the follow-up and its
result. A refused step changes nothing and says why."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole, Channel, EntryKind, RightType
from ipcase.cases.models import Case
from ipcase.channels.mediation import forms as f
from ipcase.channels.mediation.states import (
    CLOSED,
    ArbitralForm,
    FailureGround,
    FollowUp,
    SessionOutcome,
    agreement_problems,
)
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.workflow import (
    Transition,
    Workflow,
    choice_detail,
    docketing_decided,
    mark_docketed,
    period_over,
    period_running,
    records,
    required_detail,
)
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState
from ipcase.deadlines.rules import RULES

#: mediators act; directors too; examiners where the IP office mediates administratively ([85]63)
STAFF = frozenset({Role.mediator, Role.director, Role.examiner})

#: before the respondent has agreed to mediate
BEFORE_DOCKETING = frozenset({S.received, S.awaiting_statement, S.statement_received})
#: docketed and not yet concluded
MEDIATING = frozenset({S.docketed, S.in_session})

#: what meets each period of the catalogue (the same for every version of a rule)
_PURPOSE = {rule.id: rule.purpose for rule in RULES}


# -- guards: each returns why the move is not possible, or None --------------------------------


def _mediators(case: Case) -> list[User]:
    return [a.user for a in case.assignments if a.role == AssignmentRole.mediator]


def mediator_assigned(case: Case) -> Any:
    """No docketing without a mediator: one is assigned, or the pool offers one to choose at
    docketing (the step then assigns them)."""
    if not _mediators(case) and not f.mediator_pool(case):
        return _l("Assign a mediator to the case first.")
    return None


def patent_recorded(case: Case) -> Any:
    if not any(r.right_type == RightType.patent for r in case.rights):
        return _l("Record the patent or patent application in dispute.")
    return None


def notarisable(case: Case) -> Any:
    """[85]69: a notarial deed makes the agreement enforceable only with a payment clause and the
    respondent's undertaking to accept enforcement."""
    amount = getattr(case, "agreed_amount", None)
    if amount is None or amount <= 0 or not getattr(case, "enforcement_undertaking", False):
        return _l(
            "Notarisation gives enforceability only to an agreement with a payment and the respondent's "
            "undertaking to accept enforcement ([85]69)."
        )
    return None


#: silence counts as refusal only once the 15 days for the statement have run out ([85]66)
statement_period_over = period_over(
    ("med.respondent_statement",),
    _l("The respondent may still file a statement; wait for the period to end or record the statement."),
)


def ownership_dispute(case: Case) -> Any:
    """An ownership dispute ([85]70): docketed as one, or requested as one."""
    docketed_as_ownership = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id == "med.ownership_time_limit")
    )
    if docketed_as_ownership or str(getattr(case, "subject", "") or "") == "ownership":
        return None
    return _l("Only an ownership dispute suspends and resumes CNIPA's procedure ([85]70).")


resumption_to_request = period_running(
    ("med.ownership_resume_request",), _l("No agreement in an ownership dispute awaits CNIPA's resumption.")
)
documents_to_copy = period_running(("med.ownership_copy_documents",), _l("No documents await copying to CNIPA."))
cnipa_suspension_running = period_running(
    ("med.cnipa_resumption",), _l("Record first that CNIPA suspended its procedure.")
)
payment_awaited = period_running(("med.payment_due",), _l("The agreement sets no payment date still awaited."))

#: after docketing, with the agreement and its follow-up, and once closed
AFTER_DOCKETING = MEDIATING | {S.agreement_reached, S.confirmation_pending, S.closed_agreed, S.closed_failed}
AFTER_AGREEMENT = frozenset({S.agreement_reached, S.confirmation_pending, S.closed_agreed})

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


@records("closed")
def mediation_concluded(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An agreement ends the mediation: its time limit is met, though the file stays open for the
    follow-up."""
    from ipcase.deadlines.operations import meet_deadlines

    meet_deadlines(case, "closed", actor=actor, at=at)


@records("ownership_agreement_effective")
def ownership_agreement(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An agreement in an ownership dispute: the parties ask CNIPA to resume within 15 days and
    the office copies the documents to CNIPA within 5 working days ([85]70, [IR]103)."""
    from ipcase.deadlines.triggers import fire

    if ownership_dispute(case) is None:
        fire(case, "ownership_agreement_effective", at=at, actor=actor)


def other_route_chosen(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """The parties give the agreement force by notarisation or an award, not by judicial
    confirmation: the 30-day window for confirmation no longer applies."""
    for deadline in _open_deadlines(case):
        if deadline.rule_id == "med.judicial_confirmation":
            _cancel(case, deadline, actor, at, str(_l("The parties chose another follow-up.")))


# -- applying the details of a step: each may refuse with a DomainError ------------------------


def choose_mediator(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The case's mediator: the one assigned, or the one chosen from the pool, whom the step
    assigns (through ``assign_staff``, so its eligibility and recusal checks apply)."""
    from ipcase.cases.operations import assign_staff

    chosen = details.get("mediator")
    assigned = _mediators(case)
    if assigned:
        if chosen and chosen not in {u.id for u in assigned}:
            raise DomainError(
                ("mediator", _l("A mediator is already assigned; change the assignment under Staff first."))
            )
        details["mediator"] = "、".join(u.display_name for u in assigned)
        details["mediator_id"] = assigned[0].id
        return
    if not chosen:
        raise DomainError(("mediator", _l("Choose the mediator: nobody mediates this case yet.")))
    user = next((u for u in f.mediator_pool(case) if u.id == chosen), None)
    if user is None:
        raise DomainError(("mediator", _l("Choose a mediator of this organisation's pool.")))
    assign_staff(case, user, AssignmentRole.mediator, actor=actor)
    details["mediator"] = user.display_name
    details["mediator_id"] = user.id


def record_session(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A session as held ([85]67): after docketing and no later than it is recorded, in a place
    or online, with who came and what it came to."""
    from ipcase.channels.mediation.models import MediationSession

    if not details.get("held_at"):
        raise DomainError(("held_at", _l("Give the date and time of the session.")))
    held = clock.from_local(details["held_at"])
    if held > at:
        raise DomainError(("held_at", _l("A session is recorded once held: its time cannot be after the step's.")))
    docketed = case.docketed_at.replace(second=0, microsecond=0) if case.docketed_at else None
    if docketed is not None and held < docketed:
        raise DomainError(
            (
                "held_at",
                _l(
                    "Sessions are held after docketing (%(time)s).",
                    time=clock.to_local(docketed).strftime("%Y-%m-%d %H:%M"),
                ),
            )
        )
    online = bool(details.get("online"))
    place = str(details.get("place") or "").strip()
    if not online and not place:
        raise DomainError(("place", _l("Give the place of the session, or mark it as held online.")))
    outcome = choice_detail(details, "outcome", SessionOutcome, _l("Choose what the session came to."))
    both = bool(details.get("requester_present")) and bool(details.get("respondent_present"))
    if outcome == SessionOutcome.agreement_in_principle and not both:
        raise DomainError(("outcome", _l("An agreement in principle needs both parties at the session.")))
    following = details.get("next_session_at")
    next_at = clock.from_local(following) if following else None
    if next_at is not None and outcome == SessionOutcome.failed:
        raise DomainError(
            ("next_session_at", _l("A failed session sets no next one: record that the mediation ended instead."))
        )
    if next_at is not None and next_at <= held:
        raise DomainError(("next_session_at", _l("The next session comes after this one.")))
    case.sessions.append(  # type: ignore[attr-defined]
        MediationSession(
            held_at=held,
            online=online,
            place=place,
            requester_present=bool(details.get("requester_present")),
            respondent_present=bool(details.get("respondent_present")),
            outcome=outcome,
            next_session_at=next_at,
            recorded_by_id=actor.id if actor is not None else None,
        )
    )
    details["place"] = place


def record_failure(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    choice_detail(details, "ground", FailureGround, _l("Choose why no agreement was reached."))


def _decimal(details: dict[str, Any], key: str) -> Decimal | None:
    value = details.get(key)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise DomainError((key, _l("Give an amount in yuan, e.g. 30000.00."))) from None


def record_agreement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The agreement's terms ([85]69): the 30-day window for judicial confirmation runs from the
    moment it takes effect, the step's time (人民调解法第33条)."""
    amount = _decimal(details, "amount")
    terms = str(details.get("terms") or "").strip()
    due_on = details.get("due_on")
    instalments = details.get("instalments")
    problems = agreement_problems(amount, terms, due_on, instalments, clock.local_day(at))
    if problems:
        raise DomainError(*problems)
    assert amount is not None
    if amount > 0 and not instalments:
        instalments = 1
    case.agreed_at = at  # type: ignore[attr-defined]
    case.agreed_amount = amount  # type: ignore[attr-defined]
    case.agreement_terms = terms  # type: ignore[attr-defined]
    case.payment_due_on = due_on  # type: ignore[attr-defined]
    case.instalments = instalments  # type: ignore[attr-defined]
    case.enforcement_undertaking = bool(details.get("enforcement_undertaking"))  # type: ignore[attr-defined]
    details.update(amount=amount, terms=terms, instalments=instalments)


def _follow_up(case: Case, kind: FollowUp | None, body: str, case_no: str = "") -> None:
    case.follow_up = kind  # type: ignore[attr-defined]
    case.follow_up_body = body  # type: ignore[attr-defined]
    case.follow_up_case_no = case_no  # type: ignore[attr-defined]
    case.follow_up_result_no = ""  # type: ignore[attr-defined]


def apply_for_confirmation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    court = required_detail(details, "court", _l("Name the court asked to confirm the agreement."))
    _follow_up(case, FollowUp.judicial_confirmation, court, str(details.get("court_case_no") or "").strip())


def apply_for_notarisation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    office = required_detail(details, "notary_office", _l("Name the notary office."))
    _follow_up(case, FollowUp.notarisation, office)


def apply_for_award(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    commission = required_detail(details, "commission", _l("Name the arbitration commission."))
    choice_detail(details, "form", ArbitralForm, _l("Choose an award or an arbitration mediation statement."))
    _follow_up(case, FollowUp.arbitral_award, commission, str(details.get("arbitration_case_no") or "").strip())


def record_follow_up_result(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The ruling, notarial deed or award obtained, by its number."""
    number = required_detail(details, "number", _l("Give the number of the ruling, notarial deed or award."))
    issued_on = details.get("issued_on")
    if issued_on is not None and issued_on > clock.local_day(at):
        raise DomainError(("issued_on", _l("The document cannot be issued after the step is recorded.")))
    case.follow_up_result_no = number  # type: ignore[attr-defined]


def follow_up_refused(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Back to the agreement: the refused follow-up is on the timeline; another may be sought."""
    _follow_up(case, None, "")


def refer_to_adjudication(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A linked adjudication case opens at the receiving office, carrying the file."""
    from ipcase.cases.transfers import refer_case

    office = next(
        (o for o in f.receiving_organisations(case, Channel.adjudication) if o.id == details.get("organisation")),
        None,
    )
    if office is None:
        raise DomainError(("organisation", _l("Choose an active office of the region that decides patent disputes.")))
    new = refer_case(
        case,
        channel=Channel.adjudication,
        organisation=office,
        actor=actor,
        at=at,
        reason=str(_l("The mediation ended without agreement: referred to administrative adjudication.")),
    )
    details["organisation"] = office.name
    details["organisation_id"] = office.id
    details["new_case"] = new.number


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
        form=f.DocketForm,
        apply=choose_mediator,
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
        form=f.DocketForm,
        apply=choose_mediator,
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
        event="refused_after_silence",
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
        form=f.SessionForm,
        apply=record_session,
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
        effects=(mediation_concluded, ownership_agreement),
        kind=EntryKind.positive,
        form=f.AgreementForm,
        apply=record_agreement,
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
        form=f.FailureForm,
        apply=record_failure,
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
        form=f.ConfirmationForm,
        apply=apply_for_confirmation,
    ),
    T(
        "apply_notarisation",
        _l("Notarisation with enforceability applied for (赋予强制执行效力公证)"),
        frozenset({S.agreement_reached}),
        S.confirmation_pending,
        STAFF,
        guards=(notarisable,),
        documents=("notarisation_application",),
        effects=(other_route_chosen,),
        form=f.NotarisationForm,
        apply=apply_for_notarisation,
    ),
    T(
        "apply_award",
        _l("Arbitral award or arbitration mediation statement requested (仲裁确认)"),
        frozenset({S.agreement_reached}),
        S.confirmation_pending,
        STAFF,
        documents=("arbitration_agreement",),
        effects=(other_route_chosen,),
        form=f.AwardForm,
        apply=apply_for_award,
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
        form=f.FollowUpResultForm,
        apply=record_follow_up_result,
    ),
    T(
        "follow_up_refused",
        _l("Confirmation refused: back to the agreement"),
        frozenset({S.confirmation_pending}),
        S.agreement_reached,
        STAFF,
        needs_reason=True,
        kind=EntryKind.negative,
        apply=follow_up_refused,
    ),
    # -- ownership disputes and CNIPA ([85]70, [IR]103); the agreement's payment date ---------------
    T(
        "record_cnipa_suspension",
        _l("CNIPA suspended its procedure (中止)"),
        AFTER_DOCKETING,
        None,
        STAFF,
        event="cnipa_suspended",
        guards=(ownership_dispute,),
    ),
    T(
        "record_cnipa_resumption_request",
        _l("Parties asked CNIPA to resume its procedure"),
        AFTER_AGREEMENT,
        None,
        STAFF,
        event="cnipa_resumption_requested",
        guards=(resumption_to_request,),
    ),
    T(
        "copy_documents_to_cnipa",
        _l("Mediation documents copied to CNIPA"),
        AFTER_AGREEMENT,
        None,
        STAFF,
        event="documents_copied_to_cnipa",
        guards=(documents_to_copy,),
    ),
    T(
        "record_cnipa_resumed",
        _l("CNIPA resumed its procedure"),
        AFTER_DOCKETING,
        None,
        STAFF,
        event="cnipa_resumed",
        guards=(cnipa_suspension_running,),
    ),
    T(
        "record_payment",
        _l("Payment under the agreement made"),
        AFTER_AGREEMENT,
        None,
        STAFF,
        event="payment_made",
        guards=(payment_awaited,),
        kind=EntryKind.positive,
    ),
    # -- after a failed or refused mediation -----------------------------------------------------
    T(
        "refer_to_adjudication",
        _l("Referred to administrative adjudication"),
        frozenset({S.refused, S.closed_failed}),
        S.referred,
        STAFF,
        guards=(patent_recorded,),
        form=f.AdjudicationReferralForm,
        apply=refer_to_adjudication,
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))
