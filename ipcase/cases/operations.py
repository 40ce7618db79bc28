"""Use cases that change a case file. Each checks, mutates, flushes and records one timeline
entry; none commits (the view or CLI command owns the transaction)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import (
    PANEL_ROLES,
    AgentAuthority,
    AssignmentRole,
    CaseSource,
    Channel,
    EntryKind,
    IdType,
    JurisdictionBasis,
    LegalStatus,
    Origin,
    PartyKind,
    PartyRole,
    RightType,
)
from ipcase.cases.models import Agent, Assignment, Case, IPRight, Party
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import enum_ref, record
from ipcase.cases.validation import canonical_id_number, canonical_ipc, canonical_patent
from ipcase.core import clock
from ipcase.core.db import lock_row, row_exists
from ipcase.core.errors import DomainError
from ipcase.core.events import assignment_checked, case_opened, staff_assigned
from ipcase.core.extensions import db
from ipcase.core.numbering import format_number, next_number
from ipcase.organisations.models import Organisation

PARTY_FIELDS = (
    "user",
    "role",
    "kind",
    "name",
    "id_type",
    "id_number",
    "legal_rep_name",
    "legal_rep_title",
    "address",
    "postcode",
    "phone",
    "email",
    "has_domestic_domicile",
    "origin",
)
AGENT_FIELDS = ("name", "firm", "licence_no", "address", "phone", "email", "authority", "authority_items")
RIGHT_FIELDS = (
    "right_type",
    "number",
    "patent_type",
    "title",
    "holder",
    "filed_on",
    "granted_on",
    "legal_status",
    "status_checked_on",
    "asserted_claims",
    "ipc_class",
)
CASE_FIELDS = ("title", "summary", "source", "jurisdiction_basis", "received_at")
#: channel-specific fields, by channel
CHANNEL_FIELDS: dict[Channel, tuple[str, ...]] = {
    Channel.adjudication: ("requests", "accused_product", "infringement_known_on"),
    Channel.mediation: (
        "mediation_type",
        "subject",
        "infringement_decision_no",
        "infringement_decision_on",
        "claimed_amount",
        "referring_court_case_no",
    ),
    Channel.station: ("booth", "platform_link"),
    Channel.injunction: ("urgency_facts", "requested_measures", "bond_amount", "bond_form"),
}


def open_case(
    *,
    channel: Channel,
    organisation: Organisation,
    actor: User | None,
    source: CaseSource,
    title: str,
    received_at: datetime,
    summary: str = "",
    jurisdiction_basis: str | None = None,
    channel_data: dict[str, Any] | None = None,
    parties: list[dict[str, Any]] = (),  # type: ignore[assignment]
    rights: list[dict[str, Any]] = (),  # type: ignore[assignment]
    assign_actor: bool = True,
) -> Case:
    """Open a case in a channel, number it, and record its parties and rights."""
    if actor is not None and organisation.id not in visible_org_ids(actor) and actor.role != Role.admin:
        raise DomainError(("organisation", _l("You cannot open cases for this organisation.")))
    if received_at > clock.now():
        raise DomainError(("received_at", _l("The time of receipt cannot be in the future.")))
    roles = {PartyRole(p["role"]) for p in parties}
    if PartyRole.requester not in roles or PartyRole.respondent not in roles:
        raise DomainError(_l("A case needs at least one requester and one respondent."))
    defn = get_channel(channel)
    extra = {k: v for k, v in (channel_data or {}).items() if k in CHANNEL_FIELDS[defn.key]}
    case = defn.model(
        channel=defn.key,
        state=defn.initial_state.value,
        organisation=organisation,
        source=source,
        title=title,
        summary=summary,
        received_at=received_at,
        jurisdiction_basis=jurisdiction_basis or None,
        created_by=actor,
        **extra,
    )
    db.session.add(case)
    db.session.flush()
    record(
        case,
        "case.opened",
        actor=actor,
        kind=EntryKind.positive,
        is_public=True,
        data={"channel": enum_ref(defn.key), "organisation": organisation.name},
    )
    assign_case_number(case, actor=actor)
    for pdata in parties:
        try:
            add_party(case, pdata, actor=actor)
        except DomainError as exc:
            raise exc.prefixed(PartyRole(pdata["role"]).value) from exc
    for rdata in rights:
        try:
            add_right(case, rdata, actor=actor)
        except DomainError as exc:
            raise exc.prefixed("right") from exc
    if assign_actor and actor is not None and actor.handles_cases:
        role = AssignmentRole.mediator if actor.role == Role.mediator else AssignmentRole.handler
        assign_staff(case, actor, role, actor=actor)
    case_opened.send(case, at=received_at, actor=actor)
    return case


def assign_case_number(case: Case, *, actor: User | None) -> str:
    """Give the case its number from the (organisation, channel, year) counter. Never reused."""
    if case.number:
        raise DomainError(_l("This case already has a number."))
    defn = get_channel(case.channel)
    year = clock.to_local(case.received_at).year
    seq = next_number(case.organisation.numbering_owner_id, f"case:{defn.key.value}", year)
    case.number = format_number(
        current_app.config["CASE_NUMBER_FORMAT"],
        org_abbr=case.organisation.abbr,
        type_code=defn.type_code,
        year=year,
        seq=seq,
    )
    db.session.flush()
    record(case, "case.numbered", actor=actor, kind=EntryKind.positive, is_public=True, data={"number": case.number})
    return case.number


def update_case(case: Case, data: dict[str, Any], *, actor: User) -> list[str]:
    """Change the case's details and channel-specific data; record which fields changed."""
    _require_open(case)
    if data.get("received_at") and data["received_at"] > clock.now():
        raise DomainError(("received_at", _l("The time of receipt cannot be in the future.")))
    allowed = CASE_FIELDS + CHANNEL_FIELDS[Channel(case.channel)]
    data = _enums(dict(data), {"source": CaseSource, "jurisdiction_basis": JurisdictionBasis})
    changed = _apply(case, data, allowed)
    if changed:
        db.session.flush()
        record(case, "case.updated", actor=actor, data={"fields": changed})
    return changed


# -- parties and agents -----------------------------------------------------------------------


def add_party(case: Case, data: dict[str, Any], *, actor: User | None) -> Party:
    """Add a requester, respondent or third party to the case."""
    _require_open(case)
    data = _clean_party(data)
    party = Party(case=case, **{k: data[k] for k in PARTY_FIELDS if k in data})
    db.session.add(party)
    db.session.flush()
    record(case, "party.added", actor=actor, is_public=True, data={"name": party.name, "role": enum_ref(party.role)})
    return party


def update_party(party: Party, data: dict[str, Any], *, actor: User) -> list[str]:
    case = party.case
    _require_open(case, party)
    data = _clean_party(data)
    if "role" in data and data["role"] != party.role:
        _require_other(case, party, party.role)
    changed = _apply(party, data, PARTY_FIELDS)
    if changed:
        db.session.flush()
        record(case, "party.updated", actor=actor, data={"name": party.name, "fields": changed})
    return changed


def remove_party(party: Party, *, actor: User) -> None:
    case = party.case
    _require_open(case, party)
    _require_other(case, party, party.role)
    record(
        case,
        "party.removed",
        actor=actor,
        kind=EntryKind.negative,
        is_public=True,
        data={"name": party.name, "role": enum_ref(party.role)},
    )
    case.parties.remove(party)
    db.session.flush()


def add_agent(party: Party, data: dict[str, Any], *, actor: User) -> Agent:
    """Add an agent; a party may have at most two ([85]17)."""
    _require_open(party.case, party)
    taken = {a.position for a in party.agents}
    free = [p for p in (1, 2) if p not in taken]
    if not free:
        raise DomainError(_l("A party may have at most two agents."))
    data = _enums(dict(data), {"authority": AgentAuthority})
    agent = Agent(party=party, position=free[0], **{k: data[k] for k in AGENT_FIELDS if k in data})
    db.session.add(agent)
    db.session.flush()
    record(party.case, "agent.added", actor=actor, data={"name": agent.name, "party": party.name})
    return agent


def update_agent(agent: Agent, data: dict[str, Any], *, actor: User) -> list[str]:
    _require_open(agent.party.case, agent)
    data = _enums(dict(data), {"authority": AgentAuthority})
    changed = _apply(agent, data, AGENT_FIELDS)
    if changed:
        db.session.flush()
        record(agent.party.case, "agent.updated", actor=actor, data={"name": agent.name, "fields": changed})
    return changed


def remove_agent(agent: Agent, *, actor: User) -> None:
    party = agent.party
    _require_open(party.case, agent)
    record(
        party.case,
        "agent.removed",
        actor=actor,
        kind=EntryKind.negative,
        data={"name": agent.name, "party": party.name},
    )
    party.agents.remove(agent)
    db.session.flush()


# -- rights -----------------------------------------------------------------------------------


def add_right(case: Case, data: dict[str, Any], *, actor: User | None) -> IPRight:
    """Attach a right; a patent number is validated and its type read from the number."""
    _require_open(case)
    data = _clean_right(data)
    if any(r.number == data["number"] for r in case.rights):
        raise DomainError(("number", _l("This right is already recorded on the case.")))
    right = IPRight(case=case, **{k: data[k] for k in RIGHT_FIELDS if k in data})
    db.session.add(right)
    db.session.flush()
    record(case, "right.added", actor=actor, is_public=True, data={"number": right.number, "title": right.title})
    return right


def update_right(right: IPRight, data: dict[str, Any], *, actor: User) -> list[str]:
    _require_open(right.case, right)
    data = _clean_right(data)
    if any(r.number == data["number"] and r is not right for r in right.case.rights):
        raise DomainError(("number", _l("This right is already recorded on the case.")))
    changed = _apply(right, data, RIGHT_FIELDS)
    if changed:
        db.session.flush()
        record(right.case, "right.updated", actor=actor, data={"number": right.number, "fields": changed})
    return changed


def remove_right(right: IPRight, *, actor: User) -> None:
    case = right.case
    _require_open(case, right)
    record(case, "right.removed", actor=actor, kind=EntryKind.negative, data={"number": right.number})
    case.rights.remove(right)
    db.session.flush()


# -- staff ------------------------------------------------------------------------------------

#: which account roles may fill which case role
ELIGIBLE: dict[AssignmentRole, frozenset[Role]] = {
    AssignmentRole.handler: frozenset({Role.examiner, Role.director, Role.station_officer, Role.mediator}),
    AssignmentRole.panel_leader: frozenset({Role.examiner, Role.director}),
    AssignmentRole.panel_member: frozenset({Role.examiner, Role.director}),
    AssignmentRole.clerk: frozenset({Role.examiner, Role.station_officer}),
    AssignmentRole.mediator: frozenset({Role.mediator, Role.examiner}),
    AssignmentRole.tech_investigator: frozenset({Role.expert}),
}


def assign_staff(
    case: Case, user: User, role: AssignmentRole, *, actor: User | None, acknowledge_warnings: bool = False
) -> Assignment:
    """Put a staff member on the case in a role, after checking they may hold it and the
    recusal rules ([85]5, heard through ``core.events.assignment_checked``): a ground refuses; warnings refuse unless
    ``acknowledge_warnings``, and are then recorded on the timeline entry."""
    _require_open(case)
    role = AssignmentRole(role)
    if not user.is_active or user.role not in ELIGIBLE[role]:
        raise DomainError(("user", _l("%(name)s cannot serve as %(role)s.", name=user.display_name, role=role.label)))
    if user.role != Role.expert and case.organisation_id not in visible_org_ids(user):
        raise DomainError(
            ("user", _l("%(name)s does not work for the organisation handling this case.", name=user.display_name))
        )
    current = [(a.user_id, a.role) for a in case.assignments]
    if (user.id, role) in current:
        raise DomainError(("user", _l("%(name)s already holds this role on the case.", name=user.display_name)))
    if role in PANEL_ROLES and any(uid == user.id and r in PANEL_ROLES for uid, r in current):
        raise DomainError(("user", _l("%(name)s is already on the panel.", name=user.display_name)))
    if role == AssignmentRole.panel_leader and any(r == AssignmentRole.panel_leader for _, r in current):
        raise DomainError(("role", _l("The panel already has a leader; remove the current leader first.")))
    checked = assignment_checked.send(case, user=user, role=role, acknowledge_warnings=acknowledge_warnings)
    warnings = [warning for _receiver, found in checked for warning in found or ()]
    assignment = Assignment(case=case, user=user, role=role, assigned_by=actor)
    db.session.add(assignment)
    db.session.flush()
    data = {"user": user.display_name, "role": enum_ref(role)}
    if warnings:
        record(case, "assignment.added_with_warnings", actor=actor, data=data | {"warnings": warnings})
    else:
        record(case, "assignment.added", actor=actor, data=data)
    staff_assigned.send(case, assignment=assignment, actor=actor)
    return assignment


def unassign_staff(assignment: Assignment, *, actor: User) -> None:
    case = assignment.case
    _require_open(case, assignment)
    record(
        case,
        "assignment.removed",
        actor=actor,
        kind=EntryKind.negative,
        data={"user": assignment.user.display_name, "role": enum_ref(assignment.role)},
    )
    case.assignments.remove(assignment)
    db.session.flush()


def panel_problems(case: Case) -> list[Any]:
    """Why the collegial panel is not yet valid: at least three, an odd number, one leader ([85]20)."""
    members = [a for a in case.assignments if a.role in PANEL_ROLES]
    problems = []
    if len(members) < 3 or len(members) % 2 == 0:
        problems.append(_l("A collegial panel needs at least three members and an odd number of them."))
    if not any(a.role == AssignmentRole.panel_leader for a in members):
        problems.append(_l("The panel has no leader."))
    return problems


# -- helpers ----------------------------------------------------------------------------------


def lock_case(case: Case, *still: Any) -> None:
    """Hold the case's row until the transaction ends, reloading what the session holds (of two
    changes racing on one case, the second waits and checks again on what the first left); refuses
    when one of ``still`` (a party, an agent, a right, an assignment…) was removed meanwhile."""
    lock_row(case)
    if not all(row_exists(obj) for obj in still):
        raise DomainError(_l("The case changed meanwhile: this entry was removed. Check the case and try again."))


def _require_open(case: Case, *still: Any) -> None:
    """Lock the case (:func:`lock_case`), then refuse if it is closed."""
    lock_case(case, *still)
    if case.is_closed:
        raise DomainError(_l("This case is closed and can no longer be changed."))


def _require_other(case: Case, party: Party, role: PartyRole) -> None:
    if role in (PartyRole.requester, PartyRole.respondent) and not any(
        p is not party and p.role == role for p in case.parties
    ):
        raise DomainError(_l("A case needs at least one requester and one respondent."))


def _enums(data: dict[str, Any], types: dict[str, Any]) -> dict[str, Any]:
    """Turn enum values that arrive as strings (from forms, CLI) into the enum members."""
    for key, enum_cls in types.items():
        if data.get(key) not in (None, ""):
            try:
                data[key] = enum_cls(data[key])
            except ValueError as exc:
                raise DomainError((key, _l("Choose one of the listed values."))) from exc
    return data


def _clean_party(data: dict[str, Any]) -> dict[str, Any]:
    data = _enums(dict(data), {"role": PartyRole, "kind": PartyKind, "id_type": IdType, "origin": Origin})
    if "account" in data:
        username = data.pop("account").strip()
        data["user"] = None
        if username:
            user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))
            if user is None or user.role != Role.party or not user.is_active:
                raise DomainError(("account", _l("There is no active party account with this user name.")))
            data["user"] = user
    data["id_number"] = canonical_id_number(data.get("id_type"), data.get("id_number", ""))
    if not data.get("id_type"):
        data["id_type"] = None
    return data


def _clean_right(data: dict[str, Any]) -> dict[str, Any]:
    data = _enums(dict(data), {"right_type": RightType, "legal_status": LegalStatus})
    if data.get("right_type") == RightType.patent:
        data["number"], data["patent_type"] = canonical_patent(data.get("number", ""), data.get("patent_type"))
    else:
        data["patent_type"] = None
        data["number"] = (data.get("number") or "").strip()
        if not data["number"]:
            raise DomainError(("number", _l("Enter the registration number of the right.")))
    if data.get("filed_on") and data.get("granted_on") and data["granted_on"] < data["filed_on"]:
        raise DomainError(("granted_on", _l("The grant date cannot be before the filing date.")))
    if "ipc_class" in data:
        data["ipc_class"] = canonical_ipc(data["ipc_class"])
    return data


def _apply(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    changed = []
    for key in fields:
        if key in data and getattr(obj, key) != data[key]:
            setattr(obj, key, data[key])
            changed.append(key)
    return changed
