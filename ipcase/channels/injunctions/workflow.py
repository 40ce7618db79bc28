"""The administrative-injunction procedure as one transition table (domain.md §6).

No national rule governs administrative injunctions: the procedure is local design by analogy
with the courts' 行为保全. An application states the urgency facts, the bond and the measures it
asks for; the office decides within the configurable decision period (``inj.decision``, 48 hours
by default, counted from the application); a director grants or refuses; the decision is
served on the respondent and the injunction stays in force, with compliance checks, until it
expires or a director lifts it. The respondent may ask for a review once; the review is decided
within ``inj.review_decision`` (10 days) and either upholds the injunction or revokes it, with
reasons either way.

Each row: the action, who may take it, from which states to which, the procedural event it
records (which meets and starts the periods), its conditions, the documents it calls for and —
where the office records more than a time and reasons — its form (``forms.py``) and the
``apply`` that checks and applies the details: the measures ordered and the duration (which
sets the expiry day the expiry step waits for), the compliance checks (rows of
``injunction_checks``; a failed one may go on the respondent's credit record), the review
application and the ground for lifting. A refused step changes nothing and says why."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import Channel, EntryKind, PartyRole
from ipcase.cases.models import Case, Party
from ipcase.cases.operations import lock_case
from ipcase.cases.permissions import can_edit
from ipcase.cases.timeline import record
from ipcase.channels.injunctions import forms as f
from ipcase.channels.injunctions.models import InjunctionCase, InjunctionCheck
from ipcase.channels.injunctions.states import CLOSED, MAX_DURATION_DAYS, Compliance, LiftGround, expiry_day
from ipcase.channels.injunctions.states import InjunctionState as S
from ipcase.channels.workflow import Transition, Workflow, choice_detail, period_running, records, required_detail
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEventKind
from ipcase.credit.operations import record_event
from ipcase.deadlines.models import Deadline
from ipcase.deadlines.triggers import fire

OFFICE = frozenset({Role.examiner, Role.director})
DIRECTOR = frozenset({Role.director})

#: states in which an injunction is in force (granted and not yet lifted or expired)
IN_FORCE = frozenset({S.granted, S.served, S.review_pending})


# -- guards: each returns why the move is not possible, or None --------------------------------


def bond_recorded(case: Case) -> Any:
    """A bond is mandatory, as for pre-suit preservation: no bond, no injunction (domain.md §6)."""
    amount = getattr(case, "bond_amount", None)
    if amount is None or amount <= 0:
        return _l("Record the bond (担保) before granting: an injunction is not granted without one.")
    return None


def measures_requested(case: Case) -> Any:
    if not (getattr(case, "requested_measures", "") or "").strip():
        return _l("Record the measures the applicant asks for before granting.")
    return None


def urgency_stated(case: Case) -> Any:
    if not (getattr(case, "urgency_facts", "") or "").strip():
        return _l("Record the facts that make the matter urgent before granting.")
    return None


def first_review(case: Case) -> Any:
    """The respondent may ask for a review once (by analogy with 复议 of a preservation ruling)."""
    done = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id == "inj.review_decision")
    )
    if done:
        return _l("The respondent has already asked for a review of this injunction.")
    return None


def expiry_reached(case: Case) -> Any:
    """An injunction expires on the day set when it was granted, not before."""
    expires_on = getattr(case, "expires_on", None)
    if expires_on is None:
        return _l("No expiry date is recorded for this injunction: lift it instead.")
    if clock.today() < expires_on:
        return _l("The injunction is in force until %(day)s.", day=expires_on.isoformat())
    return None


renewal_window = period_running(("inj.renewal",), _l("No injunction awaits renewal."))
follow_on_awaited = period_running(("inj.follow_on_filing",), _l("No follow-on request or lawsuit is awaited."))

# -- applying the details of a step: each may refuse with a DomainError ------------------------


def grant_injunction(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The measures ordered and for how long: the injunction expires on the duration's last day."""
    measures = required_detail(details, "measures", _l("State the measures ordered."))
    days = details.get("duration_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DURATION_DAYS:
        raise DomainError(
            ("duration_days", _l("Give the duration: 1 to %(max)d days.", max=MAX_DURATION_DAYS)),
        )
    case.ordered_measures = measures  # type: ignore[attr-defined]
    case.granted_at = at  # type: ignore[attr-defined]
    case.duration_days = days  # type: ignore[attr-defined]
    case.expires_on = expiry_day(clock.local_day(at), days)  # type: ignore[attr-defined]


@records("injunction_granted")
def grant_and_start(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The grant, then its periods: the follow-on request or suit, and renewal before the expiry
    the grant set ([BQ]13 by analogy)."""
    grant_injunction(case, details, actor, at)
    fire(case, "injunction_granted", at=at, actor=actor)


def check_compliance(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A compliance check, on a day between the grant and now; a failed one may be recorded
    against the respondent as a decision not performed ([85]34 by analogy)."""
    checked_on = details.get("checked_on")
    if checked_on is None:
        raise DomainError(("checked_on", _l("Give the day of the check.")))
    if checked_on > clock.local_day(at):
        raise DomainError(("checked_on", _l("A check is recorded once made: its day cannot be after the step's.")))
    granted_at = getattr(case, "granted_at", None)
    if granted_at is not None and checked_on < clock.local_day(granted_at):
        raise DomainError(
            (
                "checked_on",
                _l(
                    "The injunction was granted on %(day)s: a check comes after.",
                    day=clock.local_day(granted_at).isoformat(),
                ),
            )
        )
    checked_by = required_detail(details, "checked_by", _l("Say who made the check."))
    complied = choice_detail(details, "complied", Compliance, _l("Choose what the check found."))
    findings = required_detail(details, "findings", _l("Describe what the check found."))
    credit = bool(details.get("record_credit"))
    if credit and complied == Compliance.complied:
        raise DomainError(("record_credit", _l("The respondent complied: there is nothing to record against them.")))
    case.checks.append(  # type: ignore[attr-defined]
        InjunctionCheck(
            checked_on=checked_on,
            checked_by=checked_by,
            complied=complied,
            findings=findings,
            recorded_by_id=actor.id if actor is not None else None,
        )
    )
    db.session.flush()
    if credit:
        for party in case.parties:
            if party.role == PartyRole.respondent:
                record_event(case, party, CreditEventKind.decision_unperformed, actor=actor, at=at, note=findings)


def apply_for_review(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    party = next(
        (p for p in case.parties if p.id == details.get("party") and p.role == PartyRole.respondent),
        None,
    )
    if party is None:
        raise DomainError(("party", _l("Choose the respondent who asks for the review.")))
    required_detail(details, "grounds", _l("Give the grounds for review."))
    details["party"] = party.name
    details["party_id"] = party.id


def lift_injunction(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    choice_detail(details, "ground", LiftGround, _l("Choose the ground for lifting."))


def injunction_expired(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    expires_on = getattr(case, "expires_on", None)
    if expires_on is not None and clock.local_day(at) < expires_on:
        raise DomainError(("at", _l("The injunction is in force until %(day)s.", day=expires_on.isoformat())))


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(
        "start_review",
        _l("Start the urgent review"),
        frozenset({S.received}),
        S.under_review,
        OFFICE,
    ),
    T(
        "grant",
        _l("Grant the injunction (行政禁令决定)"),
        frozenset({S.under_review}),
        S.granted,
        DIRECTOR,
        event="decided",
        guards=(urgency_stated, bond_recorded, measures_requested),
        documents=("injunction_decision",),
        kind=EntryKind.positive,
        form=f.GrantForm,
        apply=grant_and_start,
    ),
    T(
        "refuse",
        _l("Refuse the application"),
        frozenset({S.under_review}),
        S.refused,
        DIRECTOR,
        event="decided",
        needs_reason=True,
        closes=True,
        documents=("injunction_decision",),
        kind=EntryKind.negative,
    ),
    T(
        "serve",
        _l("Serve the injunction on the respondent"),
        frozenset({S.granted}),
        S.served,
        OFFICE,
        event="injunction_served",
        documents=("service_receipt",),
    ),
    T(
        "check_compliance",
        _l("Compliance check"),
        frozenset({S.served, S.review_pending}),
        None,
        OFFICE,
        kind=EntryKind.info,
        is_public=False,
        form=f.ComplianceForm,
        apply=check_compliance,
    ),
    T(
        "apply_review",
        _l("Review applied for by the respondent (复议)"),
        frozenset({S.served}),
        S.review_pending,
        OFFICE,
        event="review_applied",
        guards=(first_review,),
        form=f.ReviewApplicationForm,
        apply=apply_for_review,
    ),
    T(
        "uphold_on_review",
        _l("Review decided: injunction upheld"),
        frozenset({S.review_pending}),
        S.served,
        DIRECTOR,
        event="review_decided",
        needs_reason=True,
        documents=("review_decision",),
        kind=EntryKind.positive,
    ),
    T(
        "revoke_on_review",
        _l("Review decided: injunction revoked"),
        frozenset({S.review_pending}),
        S.lifted,
        DIRECTOR,
        event="review_decided",
        needs_reason=True,
        closes=True,
        documents=("review_decision",),
        kind=EntryKind.negative,
    ),
    T(
        "record_follow_on_filing",
        _l("Follow-on request or lawsuit filed by the applicant"),
        IN_FORCE,
        None,
        OFFICE,
        event="main_case_filed",
        guards=(follow_on_awaited,),
    ),
    T(
        "request_renewal",
        _l("Renewal of the injunction requested"),
        IN_FORCE,
        None,
        OFFICE,
        event="renewal_requested",
        guards=(renewal_window,),
        needs_reason=True,
    ),
    T(
        "lift",
        _l("Lift the injunction"),
        frozenset({S.granted, S.served}),
        S.lifted,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("lifting_decision",),
        form=f.LiftForm,
        apply=lift_injunction,
    ),
    T(
        "expire",
        _l("Injunction expired"),
        frozenset({S.granted, S.served}),
        S.expired,
        OFFICE,
        closes=True,
        guards=(expiry_reached,),
        apply=injunction_expired,
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))


# -- the link to the main adjudication case ---------------------------------------------------


def _party_keys(case: Case) -> set[tuple[str, str]]:
    """Who the parties are: by identity number where one is recorded, and by name."""
    keys: set[tuple[str, str]] = set()
    for p in db.session.scalars(sa.select(Party).where(Party.case_id == case.id)):
        if (p.id_number or "").strip():
            keys.add(("id", p.id_number.strip().upper()))
        if (p.name or "").strip():
            keys.add(("name", "".join(p.name.split())))
    return keys


def link_main_case(injunction: InjunctionCase, main_case: Case, actor: User) -> InjunctionCase:
    """Link an injunction to the adjudication case it protects (``InjunctionCase.main_case_id``).

    The main case must be an adjudication case of the same organisation that shares a party
    with the injunction. Refused with the reason, and nothing changed, otherwise."""
    if not isinstance(injunction, InjunctionCase):
        raise DomainError(("main_case", _l("Only an injunction can be linked to a main case.")))
    lock_case(injunction)
    if actor.role not in OFFICE or not can_edit(actor, injunction):
        raise DomainError(("main_case", _l("You may not change this case.")))
    if main_case.channel != Channel.adjudication:
        raise DomainError(("main_case", _l("The main case must be an administrative adjudication case.")))
    if main_case.organisation_id != injunction.organisation_id:
        raise DomainError(("main_case", _l("The main case must be handled by the same organisation.")))
    if not _party_keys(injunction) & _party_keys(main_case):
        raise DomainError(("main_case", _l("The main case has no party in common with the injunction.")))
    if injunction.main_case_id == main_case.id:
        raise DomainError(("main_case", _l("The injunction is already linked to this case.")))
    injunction.main_case_id = main_case.id
    db.session.flush()
    record(injunction, "case.updated", actor=actor, data={"fields": ["main_case"]})
    return injunction
