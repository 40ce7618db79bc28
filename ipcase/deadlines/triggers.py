"""Procedural events: each meets the periods it fulfils and starts the periods it triggers.

One vocabulary serves both sides of the rules catalogue: a rule's ``trigger`` and its
``purpose`` are event codes, so recording "docketed" meets the docketing period and starts the
service period and the three-month time limit at once."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import EntryKind, PartyRole
from ipcase.cases.models import Case
from ipcase.cases.timeline import record
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.deadlines.models import Deadline
from ipcase.deadlines.operations import meet_deadlines, start_deadline
from ipcase.deadlines.rules import RULES

#: the event each channel's intake stands for
INTAKE_EVENT = {
    "adjudication": "request_received",
    "mediation": "request_received",
    "station": "complaint_complete",
    "injunction": "application_received",
}

EVENT_LABELS: dict[str, Any] = {
    "request_received": _l("Request received"),
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
}


def channel_events(channel: str) -> list[str]:
    """The events that matter to ``channel``'s periods, intake excluded, in catalogue order."""
    seen: list[str] = []
    for rule in RULES:
        if rule.channel in (channel, "any"):
            for code in (rule.trigger, rule.purpose):
                if code and code != INTAKE_EVENT.get(channel) and code not in seen and code in EVENT_LABELS:
                    seen.append(code)
    return seen


def fire(case: Case, event: str, *, at: datetime, actor: User | None) -> list[Deadline]:
    """Start every rule of the case's channel that ``event`` triggers. Service on a respondent
    without a domicile in China starts the 30-day defence period instead of the 15-day one ([85]22)."""
    channel = str(case.channel)
    if (
        event == "request_served"
        and channel == "adjudication"
        and any(not p.has_domestic_domicile for p in case.parties if p.role == PartyRole.respondent)
    ):
        event = "request_served_abroad"
    started = []
    for rule in RULES:
        if rule.trigger == event and rule.channel in (channel, "any"):
            started.append(start_deadline(case, rule.id, started_at=at, actor=actor))
    return started


def record_event(case: Case, event: str, *, at: datetime, actor: User) -> tuple[list[Deadline], list[Deadline]]:
    """The event happened at ``at``: meet the periods it fulfils, start the ones it triggers."""
    if event not in channel_events(str(case.channel)):
        raise DomainError(("event", _l("This event does not apply to this case.")))
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
    met = meet_deadlines(case, event, actor=actor, at=at)
    started = fire(case, event, at=at, actor=actor)
    return met, started
