"""Referral of a case to another channel or another office (移送, domain.md §8 and [85]8–9):
a new, linked case is opened there and the file travels with it — parties with their agents,
rights, the evidence list with its files, and the history of the original case.

Workflow steps (a mediation or complaint referred to adjudication, an unfinished exhibition
complaint transferred) call :func:`refer_case` from their ``apply``; the state of the original
case is theirs to change. The transfer panel on the case page calls :func:`transfer_case`, which
records the transfer and links both cases but leaves the original's state alone."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases import operations as ops
from ipcase.cases.enums import CaseSource, Channel, EntryKind
from ipcase.cases.evidence import copy_evidence
from ipcase.cases.mediation_terms import MediationType
from ipcase.cases.models import Case, Party, TimelineEntry
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import enum_ref, record
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation, OrgKind

#: organisations that decide disputes: IP offices and IP protection centres
OFFICE_KINDS = frozenset({OrgKind.ip_office, OrgKind.protection_centre})

#: which kinds of organisation can handle a case of each channel
HANDLED_BY: dict[Channel, frozenset[OrgKind]] = {
    Channel.adjudication: OFFICE_KINDS,
    Channel.injunction: OFFICE_KINDS,
    Channel.mediation: OFFICE_KINDS | {OrgKind.mediation_centre},
    Channel.station: frozenset({OrgKind.workstation}),
}

#: case fields a referral may set on the new case, besides the channel's own fields
CASE_FIELDS = ("title", "summary", "jurisdiction_basis")


def can_handle(organisation: Organisation, channel: Channel | str) -> bool:
    return organisation.kind in HANDLED_BY[Channel(channel)]


def why_not_refer(case: Case, channel: Channel | str, organisation: Organisation) -> Any:
    """Why ``case`` cannot go to ``channel`` at ``organisation`` (a message), or None."""
    channel = Channel(channel)
    if organisation.id == case.organisation_id and channel == case.channel:
        return _l("The case is already in this procedure at this organisation.")
    if not organisation.is_active:
        return _l("%(name)s no longer receives cases.", name=organisation.name)
    if not can_handle(organisation, channel):
        return _l(
            "%(name)s (%(kind)s) does not handle %(channel)s cases.",
            name=organisation.name,
            kind=organisation.kind.label,
            channel=channel.label,
        )
    return None


def refer_case(
    case: Case,
    *,
    channel: Channel,
    organisation: Organisation,
    actor: User | None,
    at: datetime,
    reason: str,
    fields: dict[str, Any] | None = None,
) -> Case:
    """Open a linked case in ``channel`` at ``organisation`` carrying the original's file.

    ``fields`` may give the new case's title, summary, jurisdiction basis and channel fields
    (e.g. ``mediation_type``); what it does not give is copied when the channels share the
    field. Records "referred to" on the original and "referred from" on the new case; refuses,
    changing nothing, a referral to the same procedure at the same organisation, to an inactive
    organisation, or to one that does not handle the channel."""
    channel = Channel(channel)
    ops.lock_case(case)  # held already when a step refers the case
    problem = why_not_refer(case, channel, organisation)
    if problem:
        raise DomainError(("organisation", problem))
    if actor is not None and actor.role != Role.admin:
        if actor.role not in CASE_HANDLERS or case.organisation_id not in visible_org_ids(actor):
            raise DomainError(_l("You may not act on this case."))
    if at > clock.now() or at < case.received_at:
        raise DomainError(("at", _l("The time must lie between the case's receipt and now.")))
    if not case.number:
        raise DomainError(_l("A case without a number cannot be referred."))
    fields = dict(fields or {})
    history = list(case.timeline)  # before this referral's own entries

    channel_data = {k: getattr(case, k) for k in ops.CHANNEL_FIELDS[channel] if case.channel == channel}
    if channel == Channel.mediation:
        channel_data.setdefault("mediation_type", "administrative")
    channel_data.update({k: v for k, v in fields.items() if k in ops.CHANNEL_FIELDS[channel]})
    if channel == Channel.mediation:
        channel_data = ops._enums(channel_data, {"mediation_type": MediationType})
    # the actor opens the new case in their own name where they work; otherwise the office
    # receiving it does (the new case's opening entries still name the actor below)
    opener = actor if actor is not None and _works_at(actor, organisation) else None
    new = ops.open_case(
        channel=channel,
        organisation=organisation,
        actor=opener,
        source=CaseSource.transfer,
        title=(fields.get("title") or case.title).strip(),
        summary=fields.get("summary", case.summary) or "",
        received_at=at,
        jurisdiction_basis=fields.get("jurisdiction_basis", case.jurisdiction_basis),
        channel_data=channel_data,
        parties=[_party_data(p) for p in case.parties],
        rights=[{k: getattr(r, k) for k in ops.RIGHT_FIELDS} for r in case.rights],
    )
    new.referred_from_id = case.id
    new.created_by = actor
    if opener is None and actor is not None:
        for entry in new.timeline:
            entry.actor = actor
    if channel == Channel.injunction and case.channel == Channel.adjudication and _same_org(case, organisation):
        new.main_case_id = case.id  # type: ignore[attr-defined]

    party_map = _copy_agents(case, new, actor)
    copy_evidence(case, new, party_map)
    for entry in history:
        data = dict(entry.data or {})
        data.setdefault("copied_from", case.number)  # an already copied entry keeps its origin
        db.session.add(
            TimelineEntry(
                case=new,
                at=entry.at,
                actor_id=entry.actor_id,
                kind=entry.kind,
                event=entry.event,
                data=data,
                is_public=entry.is_public,
            )
        )
    reason = (reason or "").strip()
    record(
        case,
        "case.referred_to",
        actor=actor,
        kind=EntryKind.change,
        is_public=True,
        data={
            "number": new.number,
            "organisation": organisation.name,
            "channel": enum_ref(channel),
            "reason": reason,
            "case_id": new.id,
        },
    )
    record(
        new,
        "case.referred_from",
        actor=actor,
        kind=EntryKind.positive,
        is_public=True,
        data={
            "number": case.number,
            "organisation": case.organisation.name,
            "channel": enum_ref(Channel(case.channel)),
            "reason": reason,
            "case_id": case.id,
        },
    )
    db.session.flush()
    return new


def transfer_case(
    case: Case,
    *,
    organisation: Organisation,
    channel: Channel,
    actor: User,
    reason: str,
    at: datetime | None = None,
) -> Case:
    """Transfer (移送) a case to another office by the head of the office: a linked case opens
    there. The original's state is not changed here: the procedures' own referral and transfer
    steps do that; this records the transfer and links the cases."""
    if actor.role != Role.director:
        raise DomainError(_l("Only the head of the office transfers a case to another office."))
    ops.lock_case(case)
    if case.is_closed:
        raise DomainError(_l("This case is closed and can no longer be changed."))
    if organisation.id == case.organisation_id:
        raise DomainError(("organisation", _l("Choose an organisation other than the case's own.")))
    if not (reason or "").strip():
        raise DomainError(("reason", _l("Give the reasons for the transfer.")))
    return refer_case(
        case, channel=channel, organisation=organisation, actor=actor, at=at or clock.now(), reason=reason
    )


def referral_steps(channel: Channel | str) -> list[Any]:
    """The steps of a channel's workflow that refer or transfer the case (labels): where they
    exist, the procedure's own step is the way to refer, since it also changes the state."""
    workflow = get_channel(channel).workflow
    if workflow is None:
        return []
    return [t.label for t in workflow.transitions if "refer" in t.action or "transfer" in t.action]


def referred_to(case: Case) -> list[Case]:
    """The cases opened by referring this one, oldest first."""
    return list(db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id).order_by(Case.id)))


def dispute_ids(case: Case) -> set[int]:
    """The ids of every case in ``case``'s referral chain (where it came from, where it went,
    and so on): one dispute, however many channels and offices it passed through."""
    found = {case.id}
    frontier = {case.id}
    while frontier:
        up = set(db.session.scalars(sa.select(Case.referred_from_id).where(Case.id.in_(frontier))))
        down = set(db.session.scalars(sa.select(Case.id).where(Case.referred_from_id.in_(frontier))))
        frontier = (up | down) - {None} - found
        found |= frontier
    return found


def dispute_root_id(case: Case) -> int:
    """The first case of the referral chain ``case`` belongs to."""
    seen = {case.id}
    current = case
    while current.referred_from_id is not None and current.referred_from_id not in seen:
        parent = db.session.get(Case, current.referred_from_id)
        if parent is None:
            break
        seen.add(parent.id)
        current = parent
    return current.id


def _works_at(user: User, organisation: Organisation) -> bool:
    return user.role == Role.admin or (user.handles_cases and organisation.id in visible_org_ids(user))


def _same_org(case: Case, organisation: Organisation) -> bool:
    return case.organisation_id == organisation.id


def _party_data(party: Party) -> dict[str, Any]:
    return {k: getattr(party, k) for k in ops.PARTY_FIELDS}


def _copy_agents(case: Case, new: Case, actor: User | None) -> dict[int, int]:
    """Give each copied party the original's agents (with their online accounts); map the ids."""
    party_map = {}
    for old, copy in zip(case.parties, new.parties, strict=True):
        party_map[old.id] = copy.id
        for agent in old.agents:
            made = ops.add_agent(copy, {k: getattr(agent, k) for k in ops.AGENT_FIELDS}, actor=actor)  # type: ignore[arg-type]
            made.user_id = agent.user_id
    db.session.flush()
    return party_map
