"""The workstation complaint procedure as one transition table (domain.md §5.1, §5.3; [EXPO]
articles and [EXPO-G] 第14条 cited).

A complaint is received on site (intake starts the 24-hour forwarding period, [EXPO]11); an
incomplete one is sent back for supplementary material and, if not supplemented, not accepted
([EXPO]9); a complete one is forwarded to the office, the respondent is notified and has 24 hours
to answer ([EXPO]12–13, [EXPO-G]14); with the answer in or the period over the office decides:
on-site measures (withdraw or cover exhibits, seal brochures, take down links), referral to
adjudication or mediation, or closing without measures. A case still open when the exhibition
closes is transferred to the competent office within 15 working days."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import Channel, EntryKind, PartyRole
from ipcase.cases.models import Case, Party
from ipcase.channels.stations.states import CLOSED
from ipcase.channels.stations.states import StationState as S
from ipcase.channels.workflow import ANY_OPEN, Transition, Workflow, period_over
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState
from ipcase.extensions import db
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


def at_an_exhibition(case: Case) -> Any:
    host = case.organisation.host_type if case.organisation else None
    if host not in (None, HostType.exhibition):
        return _l("Only complaints made at an exhibition are transferred when it closes.")
    return None


# -- effects ------------------------------------------------------------------------------------


def _cancel(deadline: Deadline, actor: User | None, at: datetime, why: str) -> None:
    if actor is not None:
        from ipcase.deadlines.operations import cancel_deadline

        cancel_deadline(deadline, actor=actor, reason=why)
    deadline.state = DeadlineState.cancelled
    deadline.closed_at = at


def stop_forwarding_clock(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """An incomplete complaint is not yet one the office must receive within 24 hours ([EXPO]9,
    [EXPO]11): the clock restarts when the material is supplemented."""
    for d in _open_periods(case, "sta.forward"):
        _cancel(d, actor, at, str(_l("Supplementary material requested")))


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
    ),
    T(
        "notify_respondent",
        _l("Notify the respondent"),
        frozenset({S.forwarded}),
        S.awaiting_response,
        ON_SITE,
        event="respondent_notified",
        documents=("respondent_notice",),
    ),
    T(
        "receive_response",
        _l("Respondent's response received"),
        frozenset({S.awaiting_response}),
        S.under_review,
        ON_SITE,
        event="response_filed",
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
        needs_reason=True,
        documents=("onsite_measures_notice",),
        kind=EntryKind.positive,
    ),
    T(
        "record_further_measures",
        _l("Record further measures"),
        frozenset({S.measures_taken}),
        None,
        ON_SITE,
        needs_reason=True,
        documents=("onsite_measures_notice",),
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
    ),
    T(
        "refer_to_mediation",
        _l("Refer for mediation"),
        REFERABLE,
        S.referred,
        ON_SITE,
        closes=True,
        documents=("referral_letter",),
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
