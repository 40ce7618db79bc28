"""Referral of suspected crime to the police or procuratorate (行刑衔接, domain.md §8), on any channel.

Found → reported (the head decides within 3 days) → approved: handed over within 24 hours, or
declined with reasons. Each step meets and starts the periods of rules ref.crime_decision and
ref.crime_transfer; each is a timeline entry the parties do not see. A procedure of every channel,
so it sits with the channels' engine, above the periods it meets and starts."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case
from ipcase.cases.operations import lock_case
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.timeline import record
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline
from ipcase.deadlines.operations import meet_deadlines
from ipcase.deadlines.triggers import Owner, fire, register_owners

#: the procedural events these steps record (on every channel), each with the step that records it
EVENTS = {
    "crime_suspected": _l("Report to the head"),
    "referral_decided": _l("Decide"),
    "referral_approved": _l("Decide"),
    "referred": _l("Record the hand-over"),
}


@register_owners
def _owned_events(channel: str) -> list[tuple[str, Owner]]:
    """The events above, on every channel, for the procedural-event recorder."""
    return [(event, Owner(_l("Referral of suspected crime"), step)) for event, step in EVENTS.items()]


def _running(case: Case, rule_id: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Deadline)
            .where(Deadline.case_id == case.id, Deadline.rule_id == rule_id, Deadline.state.in_(OPEN_STATES))
        )
    )


def stage(case: Case) -> str:
    """none, awaiting_decision or awaiting_handover."""
    if _running(case, "ref.crime_transfer"):
        return "awaiting_handover"
    if _running(case, "ref.crime_decision"):
        return "awaiting_decision"
    return "none"


def _check(case: Case, actor: User, *, director: bool = False) -> None:
    """Lock the case (the second of two racing steps then sees the first's stage), then check
    that ``actor`` may take the step."""
    lock_case(case)
    if actor.role not in CASE_HANDLERS or case.organisation_id not in visible_org_ids(actor):
        raise DomainError(_l("You may not act on this case."))
    if director and actor.role != Role.director:
        raise DomainError(_l("Only the head of the office decides on a referral to the police."))


def _at(at: datetime | None, case: Case) -> datetime:
    at = at or clock.now()
    if at > clock.now() or at < case.received_at:
        raise DomainError(("at", _l("The time must lie between the case's receipt and now.")))
    return at


def report_suspected_crime(case: Case, *, actor: User, facts: str, at: datetime | None = None) -> None:
    """The facts that suggest a crime go to the head, who decides within 3 days."""

    _check(case, actor)
    if stage(case) != "none":
        raise DomainError(_l("A referral to the police is already under way on this case."))
    if not facts.strip():
        raise DomainError(("facts", _l("Describe the facts that suggest a crime.")))
    at = _at(at, case)
    record(case, "crime.reported", actor=actor, kind=EntryKind.negative, data={"facts": facts.strip()})
    fire(case, "crime_suspected", at=at, actor=actor)


def decide_crime_referral(case: Case, *, approve: bool, actor: User, reasons: str, at: datetime | None = None) -> None:
    """The head approves (hand-over within 24 hours) or declines with reasons."""

    _check(case, actor, director=True)
    if stage(case) != "awaiting_decision":
        raise DomainError(_l("No referral to the police is awaiting a decision."))
    if not approve and not reasons.strip():
        raise DomainError(("reasons", _l("Give the reasons for not referring the case.")))
    at = _at(at, case)
    meet_deadlines(case, "referral_decided", actor=actor, at=at)
    record(case, "crime.approved" if approve else "crime.declined", actor=actor, data={"reasons": reasons.strip()})
    if approve:
        fire(case, "referral_approved", at=at, actor=actor)


def hand_over_to_police(case: Case, *, actor: User, authority: str, at: datetime | None = None) -> None:
    """The file is handed over to the police or procuratorate."""

    _check(case, actor)
    if stage(case) != "awaiting_handover":
        raise DomainError(_l("The referral has not been approved yet."))
    if not authority.strip():
        raise DomainError(("authority", _l("Name the authority that received the case.")))
    at = _at(at, case)
    meet_deadlines(case, "referred", actor=actor, at=at)
    record(case, "crime.handed_over", actor=actor, kind=EntryKind.change, data={"authority": authority.strip()})
