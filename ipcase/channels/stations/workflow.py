"""The workstation complaint procedure as one transition table (domain.md §5.1, §5.3; [EXPO]
articles and [EXPO-G] 第14条 cited).

A complaint is received on site (intake starts the 24-hour forwarding period, [EXPO]11); an
incomplete one is sent back for supplementary material and, if not supplemented, not accepted
([EXPO]9); a complete one is forwarded to the office, the respondent is notified and has 24 hours
to answer ([EXPO]12–13, [EXPO-G]14); with the answer in or the period over the office decides:
on-site measures (withdraw or cover exhibits, seal brochures, take down links), referral to
adjudication or mediation, or closing without measures. A case still open when the exhibition
closes is transferred to the competent office within 15 working days.

Steps that record more than a time and reasons have a form (``forms.py``) and an ``apply`` that
checks and applies the details: the office the complaint goes to, how the respondent was told,
the response (its position and whether it came within the 24 hours), the measures (rows of
``station_measures``, allowed only as [EXPO-G]14 says: no statement in time, an admission, or a
final ruling), the final ruling confirming the infringement (the office's finding, which alone
records an exhibitor violation in the respondent's credit history and flags repeat exhibitors;
a measure does not). A referral or a
transfer opens the linked case at the receiving organisation with the file. A refused step
changes nothing and says why."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import Channel, EntryKind, PartyRole
from ipcase.cases.mediation_terms import MediationType
from ipcase.cases.models import Case, Party
from ipcase.cases.transfers import refer_case
from ipcase.channels.receiving import receiving_organisations
from ipcase.channels.stations import forms as f
from ipcase.channels.stations.models import StationMeasure
from ipcase.channels.stations.states import (
    CLOSED,
    NoticeMethod,
    OnSiteMeasure,
    ResponsePosition,
    measures_refusal,
)
from ipcase.channels.stations.states import StationState as S
from ipcase.channels.workflow import ANY_OPEN, Transition, Workflow, choice_detail, period_over, required_detail
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEventKind
from ipcase.credit.operations import record_event
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState
from ipcase.deadlines.operations import cancel_deadline
from ipcase.organisations.models import HostType

#: station officers act on site; directors and examiners of the parent office too
ON_SITE = frozenset({Role.station_officer, Role.examiner, Role.director})
#: deciding that a complaint is not upheld is the office's call ([EXPO]14)
OFFICE = frozenset({Role.examiner, Role.director})

OPEN = frozenset(S) - CLOSED
#: where the office may hand the dispute on to adjudication or mediation
REFERABLE = frozenset({S.forwarded, S.awaiting_response, S.under_review, S.measures_taken})


# -- guards: each returns why the move is not possible, or None --------------------------------


def complaint_materials(case: Case) -> Any:
    """[EXPO]8: the right, the respondent, the complainant."""
    roles = {p.role for p in case.parties}
    if PartyRole.requester not in roles or PartyRole.respondent not in roles:
        return _l("A complaint needs the complainant and the respondent.")
    if not case.rights:
        return _l("Record the right the complaint is based on.")
    return None


def _open_periods(case: Case, rule_id: str | None = None) -> list[Deadline]:
    stmt = sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
    if rule_id:
        stmt = stmt.where(Deadline.rule_id == rule_id)
    return list(db.session.scalars(stmt))


#: [EXPO-G]14: measures follow when no written response arrives within 24 hours
response_period_over = period_over(
    ("sta.respondent_response",),
    _l("The 24-hour response period is still running; wait for it to end or record the response."),
)


def measures_permitted(case: Case) -> Any:
    """[EXPO-G]14: measures follow silence past the 24 hours, an admission, or a final ruling."""
    return measures_refusal(
        response_position=getattr(case, "response_position", None),
        response_in_time=getattr(case, "response_in_time", None),
        response_period_running=bool(_open_periods(case, "sta.respondent_response")),
        ruling_recorded=bool(getattr(case, "ruling_reference", "")),
    )


def at_an_exhibition(case: Case) -> Any:
    host = case.organisation.host_type if case.organisation else None
    if host not in (None, HostType.exhibition):
        return _l("Only complaints made at an exhibition are transferred when it closes.")
    return _exhibition_running(case, clock.today())


def _exhibition_running(case: Case, day: Any) -> Any:
    """The station's exhibition dates, where recorded, say when it closes."""
    ends_on = case.organisation.exhibition_ends_on if case.organisation else None
    if ends_on is not None and day < ends_on:
        return _l("The exhibition runs until %(day)s: it has not closed yet.", day=ends_on.isoformat())
    return None


# -- effects ------------------------------------------------------------------------------------


def _cancel(deadline: Deadline, actor: User | None, at: datetime, why: str) -> None:
    if actor is not None:
        cancel_deadline(deadline, actor=actor, reason=why)
    deadline.state = DeadlineState.cancelled
    deadline.closed_at = at


def stop_forwarding_clock(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An incomplete complaint is not yet one the office must receive within 24 hours ([EXPO]9,
    [EXPO]11): the clock restarts when the material is supplemented."""
    for d in _open_periods(case, "sta.forward"):
        _cancel(d, actor, at, str(_l("Supplementary material requested")))


# -- applying the details of a step: each may refuse with a DomainError ------------------------


def _receiver(case: Case, details: dict[str, Any], channel: Channel) -> Any:
    found = next((o for o in receiving_organisations(case, channel) if o.id == details.get("organisation")), None)
    if found is None:
        message = (
            _l("Choose an active office or mediation centre of the region.")
            if channel == Channel.mediation
            else _l("Choose an active office of the region that decides patent disputes.")
        )
        raise DomainError(("organisation", message))
    details["organisation"] = found.name
    details["organisation_id"] = found.id
    return found


def forward_to_office(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    office = _receiver(case, details, Channel.adjudication)
    case.forwarded_to_id = office.id  # type: ignore[attr-defined]


def record_notice(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    choice_detail(details, "method", NoticeMethod, _l("Choose how the respondent was notified."))


def record_response(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The response with its position and time; whether it came within the 24-hour period is
    read from that period (a response after it counts as no statement in time, [EXPO-G]14)."""
    position = choice_detail(details, "position", ResponsePosition, _l("Choose the respondent's position."))
    required_detail(details, "summary", _l("Summarise the response."))
    period = db.session.scalars(
        sa.select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id == "sta.respondent_response")
        .order_by(Deadline.id.desc())
        .limit(1)
    ).first()
    in_time = True if period is None else at <= period.due_at
    case.response_position = position  # type: ignore[attr-defined]
    case.response_at = at  # type: ignore[attr-defined]
    case.response_in_time = in_time  # type: ignore[attr-defined]
    details["in_time"] = in_time


def record_ruling(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The office records the final ruling that confirmed the infringement ([EXPO-G]14): its
    number and date. This finding, not a measure, writes the exhibitor violation in the
    respondents' credit history (twice or more flags a repeat exhibitor, domain.md §5.1)."""
    reference = required_detail(details, "reference", _l("Give the number of the final ruling."))
    ruled_on = details.get("ruled_on")
    if ruled_on is None:
        raise DomainError(("ruled_on", _l("Give the date of the final ruling.")))
    if ruled_on > clock.local_day(at):
        raise DomainError(("ruled_on", _l("The ruling cannot be dated after this step.")))
    case.ruling_reference = reference  # type: ignore[attr-defined]
    case.ruling_on = ruled_on  # type: ignore[attr-defined]
    for party in case.parties:
        if party.role == PartyRole.respondent:
            record_event(case, party, CreditEventKind.exhibitor_violation, actor=actor, at=at, note=reference)


def record_measures(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The measures taken on site ([EXPO-G]14), one row each. A measure is no finding: the credit
    history records a violation only from the recorded ruling (``record_ruling``)."""
    chosen = details.get("measures") or []
    if isinstance(chosen, str):
        chosen = [chosen]
    try:
        kinds = list(dict.fromkeys(OnSiteMeasure(v) for v in chosen))
    except ValueError:
        raise DomainError(("measures", _l("Choose measures from the list."))) from None
    if not kinds:
        raise DomainError(("measures", _l("Choose at least one measure taken.")))
    items = required_detail(details, "items", _l("Say which exhibits, materials or links the measures concern."))
    complied = bool(details.get("respondent_complied"))
    for kind in kinds:
        case.measures.append(  # type: ignore[attr-defined]
            StationMeasure(
                kind=kind,
                items=items,
                respondent_complied=complied,
                taken_at=at,
                recorded_by_id=actor.id if actor is not None else None,
            )
        )
    db.session.flush()
    details["measures"] = [k.value for k in kinds]


def _refer(
    case: Case, details: dict[str, Any], actor: User | None, at: datetime, channel: Channel, reason: Any
) -> None:
    target = _receiver(case, details, channel)
    fields = {}
    if channel == Channel.mediation:
        fields["mediation_type"] = choice_detail(
            details, "mediation_type", MediationType, _l("Choose the type of mediation.")
        ).value
    new = refer_case(case, channel=channel, organisation=target, actor=actor, at=at, reason=str(reason), fields=fields)
    details["new_case"] = new.number


def refer_to_adjudication(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _refer(case, details, actor, at, Channel.adjudication, _l("Complaint referred for administrative adjudication."))


def refer_to_mediation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _refer(case, details, actor, at, Channel.mediation, _l("Complaint referred for mediation."))


def transfer_after_exhibition(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _refer(
        case,
        details,
        actor,
        at,
        Channel.adjudication,
        _l("The exhibition closed with the complaint unfinished: transferred to the competent office."),
    )


def exhibition_has_closed(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    problem = _exhibition_running(case, clock.local_day(at))
    if problem:
        raise DomainError(("at", problem))


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(
        "request_supplement",
        _l("Ask for supplementary material"),
        frozenset({S.received}),
        S.incomplete,
        ON_SITE,
        needs_reason=True,
        documents=("supplement_notice",),
        effects=(stop_forwarding_clock,),
        kind=EntryKind.negative,
    ),
    T(
        "supplement",
        _l("Supplementary material received"),
        frozenset({S.incomplete}),
        S.received,
        ON_SITE,
        event="complaint_complete",
    ),
    T(
        "not_accept",
        _l("Do not accept the complaint"),
        frozenset({S.received, S.incomplete}),
        S.not_accepted,
        ON_SITE,
        needs_reason=True,
        closes=True,
        documents=("non_acceptance_notice",),
        kind=EntryKind.negative,
    ),
    T(
        "forward",
        _l("Forward the complaint to the office"),
        frozenset({S.received}),
        S.forwarded,
        ON_SITE,
        event="forwarded",
        guards=(complaint_materials,),
        documents=("complaint_forwarding_notice",),
        form=f.ForwardForm,
        apply=forward_to_office,
    ),
    T(
        "notify_respondent",
        _l("Notify the respondent"),
        frozenset({S.forwarded}),
        S.awaiting_response,
        ON_SITE,
        event="respondent_notified",
        documents=("respondent_notice",),
        form=f.NoticeForm,
        apply=record_notice,
    ),
    T(
        "receive_response",
        _l("Respondent's response received"),
        frozenset({S.awaiting_response}),
        S.under_review,
        ON_SITE,
        event="response_filed",
        form=f.ResponseForm,
        apply=record_response,
    ),
    T(
        "response_lapsed",
        _l("No response within 24 hours"),
        frozenset({S.awaiting_response}),
        S.under_review,
        ON_SITE,
        guards=(response_period_over,),
    ),
    T(
        "take_measures",
        _l("Take on-site measures"),
        frozenset({S.under_review}),
        S.measures_taken,
        ON_SITE,
        guards=(measures_permitted,),
        needs_reason=True,
        documents=("onsite_measures_notice",),
        kind=EntryKind.positive,
        form=f.MeasuresForm,
        apply=record_measures,
    ),
    T(
        "record_ruling",
        _l("Infringement confirmed by a final ruling"),
        frozenset({S.awaiting_response, S.under_review, S.measures_taken}),
        None,
        OFFICE,
        kind=EntryKind.positive,
        form=f.RulingForm,
        apply=record_ruling,
    ),
    T(
        "record_further_measures",
        _l("Record further measures"),
        frozenset({S.measures_taken}),
        None,
        ON_SITE,
        needs_reason=True,
        documents=("onsite_measures_notice",),
        form=f.MeasuresForm,
        apply=record_measures,
    ),
    T(
        "resolve",
        _l("Close as resolved"),
        frozenset({S.measures_taken}),
        S.resolved,
        ON_SITE,
        closes=True,
        kind=EntryKind.positive,
    ),
    T(
        "close_without_measures",
        _l("Close without measures"),
        frozenset({S.under_review}),
        S.dismissed,
        OFFICE,
        needs_reason=True,
        closes=True,
        documents=("complaint_closing_notice",),
        kind=EntryKind.negative,
    ),
    T(
        "refer_to_adjudication",
        _l("Refer for administrative adjudication"),
        REFERABLE,
        S.referred,
        ON_SITE,
        closes=True,
        documents=("referral_letter",),
        form=f.AdjudicationReferralForm,
        apply=refer_to_adjudication,
    ),
    T(
        "refer_to_mediation",
        _l("Refer for mediation"),
        REFERABLE,
        S.referred,
        ON_SITE,
        closes=True,
        documents=("referral_letter",),
        form=f.MediationReferralForm,
        apply=refer_to_mediation,
    ),
    T(
        "withdraw",
        _l("Complaint withdrawn by the complainant"),
        frozenset({ANY_OPEN}),
        S.withdrawn,
        ON_SITE,
        needs_reason=True,
        closes=True,
        kind=EntryKind.negative,
    ),
    T(
        "exhibition_closed",
        _l("Exhibition closed with the case unfinished"),
        OPEN - {S.awaiting_transfer},
        S.awaiting_transfer,
        ON_SITE,
        event="exhibition_closed",
        guards=(at_an_exhibition,),
        apply=exhibition_has_closed,
    ),
    T(
        "transfer",
        _l("Transfer to the competent office"),
        frozenset({S.awaiting_transfer}),
        S.transferred,
        ON_SITE,
        event="transferred",
        closes=True,
        documents=("case_transfer_letter",),
        form=f.TransferForm,
        apply=transfer_after_exhibition,
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))


# -- queries ------------------------------------------------------------------------------------


def repeat_exhibitors(min_count: int = 2) -> list[tuple[str, int]]:
    """Respondents with at least ``min_count`` station complaints resolved with on-site measures
    (the organiser may bar them from the next edition, domain.md §5.1), most complaints first.

    A complaint is resolved only after measures were taken (the table allows ``resolve`` from
    ``measures_taken`` alone), so its state is enough."""
    complaints = sa.func.count(sa.distinct(Case.id))
    stmt = (
        sa.select(Party.name, complaints)
        .join(Case, Party.case_id == Case.id)
        .where(
            Case.channel == Channel.station,
            Case.state == S.resolved.value,
            Party.role == PartyRole.respondent,
        )
        .group_by(Party.name)
        .having(complaints >= min_count)
        .order_by(complaints.desc(), Party.name)
    )
    return [(name, count) for name, count in db.session.execute(stmt)]
