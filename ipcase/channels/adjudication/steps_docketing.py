"""The ``apply`` of the adjudication steps up to the hearing of the case: the deficiency notice and
the refusal to docket ([85]12, [85]16), the jurisdiction objection and the transfer it may lead
to ([85]9), recusal ([85]5) and joinder ([85]23–24). Each checks and stores the step's details
and may refuse with a DomainError."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import Channel, EntryKind, PartyRole
from ipcase.cases.models import Case
from ipcase.cases.operations import assign_staff, unassign_staff
from ipcase.cases.timeline import record
from ipcase.cases.transfers import refer_case
from ipcase.channels.adjudication import forms as f
from ipcase.channels.adjudication.guards import party_to_join, request_served
from ipcase.channels.adjudication.helpers import (
    _detail_name,
    _end_exclusion,
    _latest,
    _party,
    _start_exclusion,
    parties_joined,
)
from ipcase.channels.adjudication.states import RefusalGround
from ipcase.channels.workflow import choice_detail, records
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, ExclusionKind
from ipcase.deadlines.operations import recompute_deadline, start_deadline
from ipcase.organisations.models import Organisation


@records("deficiency_notified")
def notify_deficiency(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The deficiency notice gives the requester a date to correct the request ([85]16): the
    period to cure runs for each requester until that day, and the correction meets it."""
    cure_by = details.get("cure_by")
    notice_day = clock.local_day(at)
    if cure_by is None or cure_by <= notice_day:
        raise DomainError(("cure_by", _l("The date to correct by must be after the notice's day.")))
    days = (cure_by - notice_day).days
    for party in case.parties_in(PartyRole.requester):
        deadline = start_deadline(case, "adj.cure", started_at=at, actor=actor, party=party)
        if deadline.length != days:
            deadline.length = days
            recompute_deadline(
                deadline,
                actor=actor,
                reason=str(_l("Date to correct by: %(day)s", day=cure_by.isoformat())),
                notify=False,
            )


def refuse_docketing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Refusal on its ground ([85]12, [85]20). Deficiencies not corrected ([85]16): only once the
    period to cure given by a deficiency notice has ended."""
    ground = choice_detail(details, "ground", RefusalGround, _l("Choose the ground of the refusal."))
    if ground != RefusalGround.not_cured:
        return
    periods = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.cure")
    ).all()
    if not periods:
        raise DomainError(("ground", _l("No deficiency notice was given: there was nothing to correct ([85]16).")))
    running = [d for d in periods if d.state in OPEN_STATES]
    if running:
        raise DomainError(
            (
                "ground",
                _l(
                    "The period to correct the request runs until %(day)s ([85]16): refuse for want of "
                    "correction only once it has ended uncorrected.",
                    day=max(d.due_on for d in running if d.due_on).isoformat(),
                ),
            )
        )


def receive_objection(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]9: raised within the defence period; its decision time is excluded ([85]37)."""
    party = _party(case, details["party"], PartyRole.respondent)
    defence = _latest(case, "adj.defence", "adj.defence_abroad")
    if defence is None:
        raise DomainError(("at", request_served(case)))
    if at > defence.due_at:
        raise DomainError(
            (
                "at",
                _l(
                    "The defence period ended on %(day)s: a jurisdiction objection must be raised within it ([85]9).",
                    day=clock.to_local(defence.due_at).date().isoformat(),
                ),
            )
        )
    _detail_name(details, "party", party.name, party.id)
    _start_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at, _l("Jurisdiction objection"))


def dismiss_objection(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _end_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at)


def transfer_to_competent_office(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The objection is upheld: a linked case opens at the competent office with the file ([85]9)."""
    org = db.session.get(Organisation, details["organisation"])
    if org is None or org.id not in {oid for oid, _ in f.other_offices(case)}:
        raise DomainError(("organisation", _l("Choose another active office that decides patent disputes.")))
    _end_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at)
    new = refer_case(
        case,
        channel=Channel.adjudication,
        organisation=org,
        actor=actor,
        at=at,
        reason=str(_l("Jurisdiction objection upheld ([85]9).")),
    )
    _detail_name(details, "organisation", org.name, org.id)
    details["new_case"] = new.number


def apply_for_recusal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]5: the official named stops work until the director decides (urgent measures apart)."""
    party = _party(case, details["party"])
    official = next((a.user for a in case.assignments if a.user_id == details["official"]), None)
    if official is None:
        raise DomainError(("official", _l("Choose someone assigned to this case.")))
    _detail_name(details, "party", party.name, party.id)
    _detail_name(details, "official", official.display_name, official.id)
    case.recusal_official_id = official.id  # type: ignore[attr-defined]
    record(
        case,
        "adjudication.recusal_pending",
        actor=actor,
        kind=EntryKind.negative,
        data={"user": official.display_name},
    )


def decide_recusal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Granted: the official leaves every role on the case, a replacement may take over; refused:
    the official resumes work."""
    official = db.session.get(User, case.recusal_official_id)  # type: ignore[attr-defined]
    replacement_id = details.get("replacement")
    case.recusal_official_id = None  # type: ignore[attr-defined]
    if official is None:
        raise DomainError(_l("No recusal application is awaiting decision."))
    _detail_name(details, "official", official.display_name, official.id)
    if details["decision"] != "granted":
        if replacement_id:
            raise DomainError(("replacement", _l("A replacement is named only when the recusal is granted.")))
        details.pop("replacement", None)
        return
    roles = [a for a in case.assignments if a.user_id == official.id]
    for assignment in roles:
        unassign_staff(assignment, actor=actor)  # type: ignore[arg-type]
    if replacement_id:
        replacement = db.session.get(User, replacement_id)
        if replacement is None or replacement_id not in {uid for uid, _ in f.replacements(case)}:
            raise DomainError(("replacement", _l("Choose a member of this office's staff not yet on the case.")))
        for assignment in roles:
            assign_staff(case, replacement, assignment.role, actor=actor)
        _detail_name(details, "replacement", replacement.display_name, replacement.id)
    else:
        details.pop("replacement", None)


def record_joinder(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    if details["party"] not in parties_joined(case):
        raise DomainError(("party", party_to_join(case) or _l("Choose a party added since docketing.")))
    party = _party(case, details["party"])
    _detail_name(details, "party", party.name, party.id)
