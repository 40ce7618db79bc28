"""The ``apply`` of the adjudication steps that establish the facts: the evidence period and its
extension ([85]54), appraisal ([85]53), investigation and registration preservation
([85]44–50), and the technical investigator's opinion ([85]52). Each checks and stores the
step's details and may refuse with a DomainError."""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Case
from ipcase.channels.adjudication import forms as f
from ipcase.channels.adjudication.guards import evidence_period_running
from ipcase.channels.adjudication.helpers import _detail_name, _end_exclusion, _latest, _party, _start_exclusion
from ipcase.channels.adjudication.states import AppraisalStage
from ipcase.channels.workflow import records
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, ExcludedPeriod, ExclusionKind
from ipcase.deadlines.operations import meet_deadlines, recompute_deadline, start_deadline
from ipcase.deadlines.rules import RULES, get_rule
from ipcase.organisations.models import Organisation


@records("evidence_notice_received")
def serve_evidence_notice(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The evidence period runs from the parties' receipt of the notice for the days it gives,
    at least 15 ([85]54). The step records the event ``evidence_notice_received`` itself, because
    the period's length is the notice's, not the rule's default."""
    days = int(details["days"])
    meet_deadlines(case, "evidence_notice_received", actor=actor, at=at)
    for rule in RULES:
        if rule.trigger == "evidence_notice_received" and rule.channel == "adjudication":
            deadline = start_deadline(case, rule.id, started_at=at, actor=actor)
            if deadline.length != days:
                deadline.length = days
                recompute_deadline(
                    deadline,
                    actor=actor,
                    reason=str(_l("Evidence period set by the notice: %(days)d days", days=days)),
                    notify=False,
                )


def extend_evidence_period(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A party's request extends the evidence period; the extension is excluded from the time
    limit ([85]37), as the days following the period's former last day."""
    party = _party(case, details["party"])
    days = int(details["days"])
    deadline = _latest(case, "adj.evidence_period")
    if deadline is None or deadline.state not in OPEN_STATES or deadline.due_on is None:
        raise DomainError(evidence_period_running(case))
    _detail_name(details, "party", party.name, party.id)
    former_last = deadline.due_on
    deadline.extended_by += days
    reason = str(ExclusionKind.evidence_extension.label)
    recompute_deadline(deadline, actor=actor, reason=reason)
    db.session.add(
        ExcludedPeriod(
            case_id=case.id,
            kind=ExclusionKind.evidence_extension,
            starts_on=former_last + timedelta(days=1),
            ends_on=former_last + timedelta(days=days),
            reason=f"{reason}: {party.name}"[:500],
            created_by_id=actor.id if actor is not None else None,
        )
    )
    db.session.flush()
    for d in db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
    ).all():
        if get_rule(d.rule_id, d.rule_version).is_pausable:
            recompute_deadline(d, actor=actor, reason=reason)


def request_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Requested in writing before the evidence period expires ([85]53)."""
    party = _party(case, details["party"])
    period = _latest(case, "adj.evidence_period")
    if period is not None and at > period.due_at:
        raise DomainError(
            (
                "at",
                _l(
                    "The evidence period ended on %(day)s: appraisal is requested before it expires ([85]53).",
                    day=clock.to_local(period.due_at).date().isoformat(),
                ),
            )
        )
    _detail_name(details, "party", party.name, party.id)
    case.appraisal_stage = AppraisalStage.requested  # type: ignore[attr-defined]


def decide_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = AppraisalStage.needed if details["decision"] == "needed" else None  # type: ignore[attr-defined]


def commission_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The parties agree the appraiser and the cost; without agreement on the cost there is no
    appraisal ([85]53). The appraisal's time is excluded from the time limit ([85]37)."""
    if not details.get("cost_agreed"):
        raise DomainError(
            (
                "cost_agreed",
                _l(
                    "Without the parties' agreement on the cost there is no appraisal ([85]53): "
                    "record “No appraisal” instead."
                ),
            )
        )
    case.appraisal_stage = AppraisalStage.commissioned  # type: ignore[attr-defined]
    _start_exclusion(case, ExclusionKind.appraisal, actor, at, _l("Appraisal by %(who)s", who=details["appraiser"]))


def abandon_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = None  # type: ignore[attr-defined]


def receive_appraisal_opinion(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = None  # type: ignore[attr-defined]
    _end_exclusion(case, ExclusionKind.appraisal, actor, at)


def request_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    if details.get("party") is not None:
        party = _party(case, details["party"])
        _detail_name(details, "party", party.name, party.id)
    else:
        details["party"] = str(_l("The office, of its own motion"))


def decide_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Decided by the head of the office within 7 days, with the list of items ([85]49)."""
    if details["decision"] == "granted":
        if not details.get("items"):
            raise DomainError(("items", _l("List the items placed under preservation.")))
        case.is_evidence_preserved = True  # type: ignore[attr-defined]


def release_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.is_evidence_preserved = False  # type: ignore[attr-defined]


def request_assistance(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A request to another office for help in gathering evidence ([85]50)."""
    org = db.session.get(Organisation, details["organisation"])
    if org is None or org.id not in {oid for oid, _ in f.other_offices(case)}:
        raise DomainError(("organisation", _l("Choose another active office that decides patent disputes.")))
    _detail_name(details, "organisation", org.name, org.id)


def receive_tech_opinion(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    investigator = next(
        (
            a.user
            for a in case.assignments
            if a.user_id == details["investigator"] and a.role == AssignmentRole.tech_investigator
        ),
        None,
    )
    if investigator is None:
        raise DomainError(("investigator", _l("Choose the technical investigator assigned to this case.")))
    _detail_name(details, "investigator", investigator.display_name, investigator.id)
