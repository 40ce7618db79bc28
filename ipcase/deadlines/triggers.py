"""Procedural events: each meets the periods it fulfils and starts the periods it triggers.

One vocabulary serves both sides of the rules catalogue: a rule's ``trigger`` and its
``purpose`` are event codes, so recording "docketed" meets the docketing period and starts the
service period and the three-month time limit at once.

Only the procedure stops a statutory clock: an event that a workflow step, a referral step or a
service record records (:func:`owned_events`) is recorded by that step, never by the raw
recorder (:func:`record_event`), which offers only the events no step records."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import AssignmentRole, Channel, EntryKind, PartyRole
from ipcase.cases.models import Case, Party
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import EXTRA_ENUMS, record
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.events import case_opened, staff_assigned
from ipcase.core.extensions import db
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.engine import due_result, end_of_day, local_date
from ipcase.deadlines.models import Deadline, UnitLabel
from ipcase.deadlines.operations import meet_deadlines, recompute_deadline, start_deadline
from ipcase.deadlines.rules import RULES, Rule, followers, get_rule

#: the event each channel's intake stands for
#: the unit of a period, as timeline entries name it
EXTRA_ENUMS["UnitLabel"] = UnitLabel

INTAKE_EVENT = {
    "adjudication": "request_received",
    "mediation": "request_received",
    "station": "complaint_complete",
    "injunction": "application_received",
}

EVENT_LABELS: dict[str, Any] = {
    "request_received": _l("Request received"),
    "deficiency_notified": _l("Deficiency notice given"),
    "docketed": _l("Case docketed"),
    "request_served": _l("Request served on the respondent"),
    "defence_received": _l("Defence received"),
    "defence_forwarded": _l("Defence forwarded to the requester"),
    "jurisdiction_objection_received": _l("Jurisdiction objection received"),
    "objection_decided": _l("Jurisdiction objection decided"),
    "officials_notified": _l("Parties told who the officials are"),
    "recusal_applied": _l("Recusal applied for"),
    "evidence_notice_received": _l("Evidence notice received by the parties"),
    "evidence_closed": _l("Evidence period closed"),
    "preservation_requested": _l("Evidence preservation requested"),
    "preservation_decided": _l("Evidence preservation decided"),
    "decided": _l("Decision made"),
    "closed": _l("Case closed"),
    "published": _l("Decision published"),
    "decision_served": _l("Decision served"),
    "lawsuit_filed": _l("Administrative lawsuit filed"),
    "demand_served": _l("Demand for performance served"),
    "performed": _l("Decision performed"),
    "performance_period_expired": _l("Performance period expired"),
    "enforcement_applied": _l("Court enforcement applied for"),
    "notice_served": _l("Notice to state views served"),
    "statement_received": _l("Respondent's statement received"),
    "docketed_ownership": _l("Ownership dispute docketed for mediation"),
    "agreement_effective": _l("Mediation agreement took effect"),
    "confirmation_applied": _l("Judicial confirmation applied for"),
    "complaint_complete": _l("Complete complaint received"),
    "forwarded": _l("Complaint forwarded to the office"),
    "respondent_notified": _l("Respondent notified"),
    "response_filed": _l("Respondent's response received"),
    "exhibition_closed": _l("Exhibition closed"),
    "transferred": _l("Case transferred to the competent office"),
    "application_received": _l("Application received"),
    "review_applied": _l("Review applied for"),
    "review_decided": _l("Review decided"),
    "crime_suspected": _l("Suspected crime found"),
    "referral_decided": _l("Referral to the police decided"),
    "referral_approved": _l("Referral to the police approved"),
    "referred": _l("Case referred to the police"),
    # issue 12: the rest of domain.md's periods
    "warning_demand_received": _l("Written demand (催告) received by the right holder"),
    "warning_demand_sent": _l("Written demand (催告) sent to the right holder"),
    "warning_answered": _l("Right holder withdrew the warning or filed a request"),
    "infringement_known": _l("Right holder knew of the infringement and the infringer"),
    "unsigned_defence_returned": _l("Unsigned defence returned for signature"),
    "hearing_notice_received": _l("Hearing notice received"),
    "hearing_reply_received": _l("Hearing reply slip (口审回执) received"),
    "hearing_scheduled": _l("Oral hearing scheduled"),
    "tech_investigator_assigned": _l("Technical investigator assigned"),
    "tech_investigator_notified": _l("Parties told of the technical investigator"),
    "preservation_released": _l("Preserved evidence released"),
    "preserved_items_collected": _l("Preserved items collected"),
    "decision_changed_by_court": _l("Decision changed by a court judgment"),
    "change_published": _l("Change of the decision published"),
    "office_enforcement_lapsed": _l("Office's period to apply for enforcement ended"),
    "rightholder_enforcement_applied": _l("Right holder applied for court enforcement"),
    "request_received_major": _l("Request received (major case)"),
    "docketed_major": _l("Major case docketed"),
    "request_changed_major": _l("Request changed or party added (major case)"),
    "statement_period_expired": _l("Respondent's statement period ended without a statement"),
    "refused_after_silence": _l("Requester told: not docketed after no statement"),
    "ownership_agreement_effective": _l("Ownership dispute: agreement took effect"),
    "cnipa_resumption_requested": _l("CNIPA asked to resume its procedure"),
    "documents_copied_to_cnipa": _l("Mediation documents copied to CNIPA"),
    "cnipa_suspended": _l("CNIPA suspended its procedure"),
    "cnipa_resumed": _l("CNIPA resumed its procedure"),
    "payment_made": _l("Payment under the agreement made"),
    "injunction_served": _l("Injunction served"),
    "injunction_granted": _l("Injunction granted"),
    "main_case_filed": _l("Follow-on request or lawsuit filed"),
    "renewal_requested": _l("Renewal of the injunction requested"),
}


def channel_events(channel: str) -> list[str]:
    """The events that matter to ``channel``'s periods, intake excluded, in catalogue order."""
    seen: list[str] = []
    for rule in RULES:
        if rule.channel in (channel, "any") and rule.is_clock:
            # a rule that follows another's expiry starts by itself: its trigger is no one's to record
            for code in (rule.purpose,) if rule.follows else (rule.trigger, rule.purpose):
                if code and code != INTAKE_EVENT.get(channel) and code not in seen and code in EVENT_LABELS:
                    seen.append(code)
    return seen


# -- who records which event ----------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """Where an event is recorded: the panel of the case page and the step in it."""

    place: Any
    step: Any

    def __str__(self) -> str:
        return f"{self.place} → {self.step}"


#: who else records events, beside the channels' tables and staff assignments: each source
#: gives, for a channel, (event, owner) pairs. Filled at import by the packages above (the
#: referral of suspected crime, the service records of documents), so this module never imports
#: them (:func:`register_owners`)
OwnerSource = Callable[[str], Iterable[tuple[str, Owner]]]
OWNER_SOURCES: list[OwnerSource] = []


def register_owners(
    source: Callable[[str], Iterable[tuple[str, Owner]]],
) -> Callable[[str], Iterable[tuple[str, Owner]]]:
    if source not in OWNER_SOURCES:
        OWNER_SOURCES.append(source)
    return source


def owned_events(channel: str) -> dict[str, list[Owner]]:
    """The events of ``channel`` that some step records, each with the steps that record it:
    the transition table's events (and "closed" for every closing move, and what an effect or a
    step's details record itself, marked with ``channels.workflow.records``), staff assignments,
    and what the registered sources own (the referral to the police, the service records of
    documents that start periods)."""
    owned: dict[str, list[Owner]] = {}

    def add(event: str | None, owner: Owner) -> None:
        if event and owner not in owned.setdefault(event, []):
            owned[event].append(owner)

    workflow = get_channel(channel).workflow
    for t in workflow.transitions if workflow is not None else ():
        owner = Owner(_l("Next steps"), t.label)
        add(t.event, owner)
        if t.closes:
            add("closed", owner)
        for fn in (*t.effects, t.apply):
            for event in getattr(fn, "records_events", ()):
                add(event, owner)
    for event, step in ASSIGNMENT_EVENTS.items():
        if any(r.trigger == event and r.channel == channel for r in RULES):
            add(event, Owner(_l("Staff"), step))
    for source in OWNER_SOURCES:
        for event, owner in source(channel):
            add(event, owner)
    return owned


#: the events an assignment of staff records (``cases.operations.assign_staff``), with its step
ASSIGNMENT_EVENTS: dict[str, Any] = {"tech_investigator_assigned": _l("Assign a technical investigator")}


def assignment_event(case: Case, event: str, *, actor: User | None) -> list[Deadline]:
    """A staff assignment that starts periods: the parties are told of a technical investigator
    within 3 days of the assignment ([TI])."""
    return fire(case, event, at=clock.now(), actor=actor)


#: the event an assignment in a role records (``ASSIGNMENT_EVENTS`` names its step)
ASSIGNMENT_ROLE_EVENTS: dict[AssignmentRole, str] = {AssignmentRole.tech_investigator: "tech_investigator_assigned"}


@staff_assigned.connect
def _periods_of_an_assignment(case: Case, *, assignment: Any, actor: User | None, **_: Any) -> None:
    event = ASSIGNMENT_ROLE_EVENTS.get(AssignmentRole(assignment.role))
    if event is not None:
        assignment_event(case, event, actor=actor)


@case_opened.connect
def _periods_of_the_receipt(case: Case, *, at: datetime, actor: User | None, **_: Any) -> None:
    """The periods that run from a case's receipt (its channel's intake event)."""
    fire(case, INTAKE_EVENT[Channel(case.channel).value], at=at, actor=actor)


@dataclass(frozen=True)
class Information:
    """A period shown as information, never a clock (``Rule.is_clock`` False)."""

    known_on: date
    due: date
    basis: str
    tag: str
    is_provisional: bool


def information_period(rule_id: str, from_day: date | None) -> Information | None:
    """Where ``rule_id`` (the 3-year limitation) ends when counted from ``from_day``, on the
    working calendar (P1–P3), or None without a day."""

    if from_day is None:
        return None
    rule = get_rule(rule_id, from_day)
    # the day itself is the event: the period runs from the next day (P1)
    result = due_result(load_calendar(), rule, started_at=end_of_day(from_day), length=rule.length, today=clock.today())
    return Information(from_day, result.due, rule.basis, rule.tag, result.is_provisional)  # type: ignore[arg-type]


def recordable_events(channel: str) -> list[str]:
    """The events the raw recorder offers on ``channel``'s cases: those no step records."""
    owned = owned_events(channel)
    return [code for code in channel_events(channel) if code not in owned]


# -- starting and meeting ---------------------------------------------------------------------------

#: an event whose periods depend on the party served: service abroad starts the 30-day defence
VARIANTS = {("adjudication", "request_served"): "request_served_abroad"}


def _variant(case: Case, event: str, parties: list[Party]) -> str:
    """Service on a respondent without a domicile in China starts the 30-day defence period
    instead of the 15-day one ([85]22)."""
    abroad = VARIANTS.get((str(case.channel), event))
    if abroad and any(p.role == PartyRole.respondent and not p.has_domestic_domicile for p in parties):
        return abroad
    return event


def _family(channel: str, event: str) -> list[Rule]:
    """The rules of ``channel`` that ``event`` (or its variant) triggers."""
    codes = {event, VARIANTS.get((channel, event), event)}
    return [r for r in RULES if r.trigger in codes and r.channel in (channel, "any") and r.is_clock and not r.follows]


#: a major (national-impact) case's own periods in place of the ordinary ones (§2.3, [68])
MAJOR_VARIANTS = {
    ("adjudication", "request_received"): ("request_received_major", frozenset({"adj.docket"})),
    ("adjudication", "docketed"): ("docketed_major", frozenset({"adj.time_limit"})),
}


def is_major(case: Case) -> bool:
    return bool(getattr(case, "is_major", False))


def _start(case: Case, rule: Rule, *, at: datetime, actor: User | None, party: Party | None = None) -> Deadline | None:
    """Start ``rule``; a rule whose end is a day of the case (``Rule.due_date_field``) runs to that
    day, and does not start when the case has none (or it is not after the trigger's day)."""
    if not rule.due_date_field:
        return start_deadline(case, rule.id, started_at=at, actor=actor, party=party)

    day = getattr(case, rule.due_date_field, None)
    if day is None or (day - local_date(at)).days < 1:
        return None
    deadline = start_deadline(case, rule.id, started_at=at, actor=actor, party=party)
    deadline.length = (day - local_date(at)).days
    recompute_deadline(deadline, actor=actor, reason=str(EVENT_LABELS.get(rule.trigger, rule.trigger)), notify=False)
    return deadline


def start_followers(deadline: Deadline, *, actor: User | None = None) -> list[Deadline]:
    """``deadline`` ended unmet: start the rules that follow its expiry, from its last instant
    (B4': 5 WD from the end of the statement period; [85]80: the right holder's 6 months after
    the office's 3). Never twice on a case."""

    case = deadline.case
    started = []
    for rule in followers(deadline.rule_id):
        if rule.channel in (str(case.channel), "any") and not _has_period(case, [rule.id], None):
            d = _start(case, rule, at=deadline.due_at, actor=actor)
            if d is not None:
                started.append(d)
    return started


def _has_period(case: Case, rule_ids: list[str], party: Party | None) -> bool:
    """Whether the case already has a period of these rules (for ``party``, when given)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id.in_(rule_ids))
    )
    if party is not None:
        stmt = stmt.where(Deadline.party_id == party.id)
    return bool(db.session.scalar(stmt))


def fire(case: Case, event: str, *, at: datetime, actor: User | None, party: Party | None = None) -> list[Deadline]:
    """Start every rule of the case's channel that ``event`` triggers.

    A rule that runs once per party (``Rule.per_party``) starts for ``party`` when the event
    happened to one party (a document served on it), or else for every party of its roles (a
    step that served them all); never twice for the same party. Without such a party on the case
    it starts once for the case. Other rules start once for the case; when the event happened to
    one party, only if no earlier event started them."""
    channel = str(case.channel)
    db.session.flush()
    respondents = [p for p in case.parties if p.role == PartyRole.respondent]
    started: list[Deadline] = []
    family = _family(channel, event)
    major = MAJOR_VARIANTS.get((channel, event))
    if major is not None and is_major(case):
        variant, replaced = major
        family = [r for r in family if r.id not in replaced]
        for rule in _family(channel, variant):
            if not (party is not None and _has_period(case, [rule.id], None)):
                d = _start(case, rule, at=at, actor=actor)
                started += [d] if d is not None else []
    for rule in family:
        if rule.per_party:
            eligible = [party] if party is not None else list(case.parties)
            eligible = [p for p in eligible if p.role.value in rule.per_party]
            family = [r.id for r in _family(channel, event) if r.per_party]
            for p in eligible:
                if rule.trigger == _variant(case, event, [p]) and not _has_period(case, family, p):
                    started.append(start_deadline(case, rule.id, started_at=at, actor=actor, party=p))
            if not eligible and party is None and rule.trigger == _variant(case, event, respondents):
                started.append(start_deadline(case, rule.id, started_at=at, actor=actor))
        elif rule.trigger == _variant(case, event, [party] if party is not None else respondents):
            if party is not None and _has_period(case, [rule.id], None):
                continue
            d = _start(case, rule, at=at, actor=actor)
            started += [d] if d is not None else []
    return started


def _record(
    case: Case, event: str, *, at: datetime, actor: User | None, party: Party | None = None
) -> tuple[list[Deadline], list[Deadline]]:
    if at > clock.now():
        raise DomainError(("at", _l("An event cannot be recorded in the future.")))
    if at < case.received_at:
        raise DomainError(("at", _l("An event cannot precede the case's receipt.")))
    record(
        case,
        "case.event",
        actor=actor,
        kind=EntryKind.positive,
        is_public=True,
        data={"event": str(EVENT_LABELS[event]), "at": clock.to_local(at).strftime("%Y-%m-%d %H:%M")},
    )
    met = meet_deadlines(case, event, actor=actor, at=at, party=party)
    started = fire(case, event, at=at, actor=actor, party=party)
    return met, started


def record_event(case: Case, event: str, *, at: datetime, actor: User) -> tuple[list[Deadline], list[Deadline]]:
    """The raw procedural-event recorder: the event happened at ``at``; meet the periods it
    fulfils, start the ones it triggers. Only for events no step records: an event a step
    records is refused, naming the step, so that no period is met without its step."""
    channel = str(case.channel)
    if event not in channel_events(channel):
        raise DomainError(("event", _l("This event does not apply to this case.")))
    owners = owned_events(channel).get(event)
    if owners:
        steps = ("；" if str(get_locale()).startswith("zh") else "; ").join(str(o) for o in owners)
        raise DomainError(
            (
                "event",
                _l(
                    "“%(event)s” is recorded by its step, which checks and records what this form cannot: "
                    "take that step instead (%(steps)s).",
                    event=EVENT_LABELS[event],
                    steps=steps,
                ),
            )
        )
    return _record(case, event, at=at, actor=actor)


def record_service_event(
    case: Case, event: str, *, party: Party, at: datetime, actor: User | None
) -> tuple[list[Deadline], list[Deadline]]:
    """A document served on ``party`` records ``event`` (the service record owns it): the periods
    that run per party start for that party, from this service."""
    if event not in EVENT_LABELS:
        raise DomainError(_l("This event does not apply to this case."))
    return _record(case, event, at=at, actor=actor, party=party)
