"""The mediation steps' rules (domain.md §3 B1–B8, §4; [85] articles cited): who acts, the
state groups the table uses, the guards that say why a move must wait, the effects a move has on
the case's periods, and the ``apply`` functions that check and record a step's details (the
mediator chosen at docketing, each session, the agreement's terms, the follow-up and its result,
the referral to adjudication). The table that wires them into moves is ``workflow.py``."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole, Channel, RightType
from ipcase.cases.models import Case
from ipcase.cases.operations import assign_staff
from ipcase.cases.transfers import refer_case
from ipcase.channels.mediation.forms import mediator_pool
from ipcase.channels.mediation.models import MediationSession
from ipcase.channels.mediation.states import (
    ArbitralForm,
    FailureGround,
    FollowUp,
    SessionOutcome,
    agreement_problems,
)
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.receiving import receiving_organisations
from ipcase.channels.workflow import choice_detail, period_over, period_running, records, required_detail
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState
from ipcase.deadlines.operations import cancel_deadline, meet_deadlines
from ipcase.deadlines.triggers import fire

#: mediators act; directors too; examiners where the IP office mediates administratively ([85]63)
STAFF = frozenset({Role.mediator, Role.director, Role.examiner})

#: before the respondent has agreed to mediate
BEFORE_DOCKETING = frozenset({S.received, S.awaiting_statement, S.statement_received})
#: docketed and not yet concluded
MEDIATING = frozenset({S.docketed, S.in_session})


# -- guards: each returns why the move is not possible, or None --------------------------------


def _mediators(case: Case) -> list[User]:
    return [a.user for a in case.assignments if a.role == AssignmentRole.mediator]


def mediator_assigned(case: Case) -> Any:
    """No docketing without a mediator: one is assigned, or the pool offers one to choose at
    docketing (the step then assigns them)."""
    if not _mediators(case) and not mediator_pool(case):
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
    meet_deadlines(case, "closed", actor=actor, at=at)


@records("ownership_agreement_effective")
def ownership_agreement(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An agreement in an ownership dispute: the parties ask CNIPA to resume within 15 days and
    the office copies the documents to CNIPA within 5 working days ([85]70, [IR]103)."""
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
    user = next((u for u in mediator_pool(case) if u.id == chosen), None)
    if user is None:
        raise DomainError(("mediator", _l("Choose a mediator of this organisation's pool.")))
    assign_staff(case, user, AssignmentRole.mediator, actor=actor)
    details["mediator"] = user.display_name
    details["mediator_id"] = user.id


def record_session(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A session as held ([85]67): after docketing and no later than it is recorded, in a place
    or online, with who came and what it came to."""
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
    office = next(
        (o for o in receiving_organisations(case, Channel.adjudication) if o.id == details.get("organisation")),
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
