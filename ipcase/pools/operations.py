"""Use cases of the pools: profiles, declarations, availability, the recusal check run when
staff are assigned to a case, and candidates for a case. Each change is audited in
``pool_changes``; none commits (the view owns the transaction)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Case
from ipcase.cases.operations import ELIGIBLE
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.validation import ipc_message
from ipcase.core import clock, ipc
from ipcase.core.errors import DomainError
from ipcase.core.events import assignment_checked
from ipcase.core.extensions import db
from ipcase.pools import rules
from ipcase.pools.messages import describe, finding_ref
from ipcase.pools.models import (
    Declaration,
    ExpertiseField,
    Pool,
    PoolChange,
    PoolMembership,
    PoolProfile,
    Unavailability,
)
from ipcase.pools.rules import Finding, Relation

#: the case role a member of each pool is assigned in
POOL_ASSIGNMENT: dict[Pool, AssignmentRole] = {
    Pool.tech_investigator: AssignmentRole.tech_investigator,
    # a technical expert (技术咨询专家) advises on technical facts as the investigator does
    Pool.expert: AssignmentRole.tech_investigator,
    Pool.mediator: AssignmentRole.mediator,
}


def pool_roles(pool: Pool) -> frozenset[Role]:
    """Account roles a pool admits: those that may hold its case role (``ELIGIBLE``); the
    expert pool only experts."""
    if pool == Pool.expert:
        return frozenset({Role.expert})
    return ELIGIBLE[POOL_ASSIGNMENT[pool]]


#: who may keep a profile (declarations, availability): everyone who can be put on a case
PROFILE_ROLES = frozenset().union(*ELIGIBLE.values())
#: case roles checked for recusal when assigned ([85]5: officials, investigators, clerks);
#: the handler is who received the case and is assigned when it is opened
CHECKED_ROLES = frozenset(set(AssignmentRole) - {AssignmentRole.handler})


class RecusalRefused(DomainError):
    """A ground of [85]5 bars the assignment."""

    def __init__(self, user: User, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            ("user", _l("%(name)s cannot be assigned to this case (recusal, [85]5):", name=user.display_name)),
            *[("user", describe(f)) for f in findings],
        )


class RecusalWarnings(DomainError):
    """Findings that allow the assignment only once the assigner confirms having read them."""

    def __init__(self, user: User, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            (
                "acknowledge_warnings",
                _l(
                    "%(name)s is assigned only once the assigner confirms having read these recusal warnings "
                    "(Staff on the case page):",
                    name=user.display_name,
                ),
            ),
            *[("acknowledge_warnings", describe(f)) for f in findings],
        )


# -- reading ----------------------------------------------------------------------------------


def get_profile(user: User) -> PoolProfile | None:
    return db.session.scalar(sa.select(PoolProfile).where(PoolProfile.user_id == user.id))


def person_facts(user: User, profile: PoolProfile | None = None) -> rules.Person:
    """What the rules know of a person: their account and name, and their profile if any."""
    profile = profile if profile is not None else get_profile(user)
    if profile is None:
        return rules.Person(user_id=user.id, name=user.display_name)
    return rules.Person(
        user_id=user.id,
        name=user.display_name,
        employer=profile.employer,
        declared_interests=profile.declared_interests,
        declarations=tuple(rules.Declared(d.kind, d.counterpart, d.since_on, d.until_on) for d in profile.declarations),
        is_available=profile.is_available,
        unavailable=tuple(rules.Period(p.from_on, p.to_on, p.reason) for p in profile.unavailability),
    )


def case_facts(case: Case) -> rules.CaseFacts:
    """What the rules know of a case: parties with their agents, rights with their holders."""
    return rules.CaseFacts(
        parties=tuple(
            rules.PartyFact(
                name=p.name,
                role=p.role.value,
                id_number=p.id_number or "",
                user_id=p.user_id,
                agents=tuple(rules.AgentFact(a.name, a.firm or "", a.user_id) for a in p.agents),
            )
            for p in case.parties
        ),
        rights=tuple(rules.RightFact(r.number, r.holder or "") for r in case.rights),
    )


def recusal_findings(case: Case, user: User, on: date | None = None) -> list[Finding]:
    """Every finding against putting ``user`` on ``case`` on ``on`` (today by default)."""
    return rules.check(person_facts(user), case_facts(case), on or clock.today())


def check_assignment(
    case: Case, user: User, role: AssignmentRole, *, acknowledge_warnings: bool = False, on: date | None = None
) -> list[dict[str, Any]]:
    """Run the recusal rules for an assignment. A refusal raises :class:`RecusalRefused`;
    warnings raise :class:`RecusalWarnings` unless acknowledged, and are then returned (as
    timeline text references) to be recorded with the assignment.

    Legal basis: [85]5 (recusal of officials, technical investigators, clerks …)."""
    if role not in CHECKED_ROLES:
        return []
    findings = recusal_findings(case, user, on)
    refused = rules.refusals(findings)
    if refused:
        raise RecusalRefused(user, refused)
    warned = rules.warnings(findings)
    if warned and not acknowledge_warnings:
        raise RecusalWarnings(user, warned)
    return [finding_ref(f) for f in warned]


@assignment_checked.connect
def _recusal_on_assignment(
    case: Case, *, user: User, role: AssignmentRole, acknowledge_warnings: bool, **_: Any
) -> list[dict[str, Any]]:
    """Every assignment of staff to a case (``cases.operations.assign_staff``) is checked here."""
    return check_assignment(case, user, role, acknowledge_warnings=acknowledge_warnings)


# -- profiles ---------------------------------------------------------------------------------

PROFILE_FIELDS = ("pools", "ipc_classes", "employer", "title", "declared_interests", "is_available")


def _canonical_ipc_list(raw: Any) -> list[str]:
    parts = raw if isinstance(raw, list | tuple) else [raw or ""]
    found: list[str] = []
    for part in parts:
        try:
            symbols = ipc.parse_ipc_list(part)
        except ipc.InvalidIPC as exc:
            raise DomainError(("ipc_classes", ipc_message(str(exc)))) from exc
        found.extend(s for s in symbols if s not in found)
    if len(found) > 30:
        raise DomainError(("ipc_classes", _l("Give at most 30 fields of expertise.")))
    return found


def ensure_profile(user: User, *, actor: User | None) -> PoolProfile:
    """The user's profile, created (empty, in no pool) on first use."""
    if user.role not in PROFILE_ROLES:
        raise DomainError(_l("%(name)s cannot be put on cases, so keeps no pool profile.", name=user.display_name))
    profile = get_profile(user)
    if profile is None:
        profile = PoolProfile(user=user)
        db.session.add(profile)
        db.session.flush()
        _audit(profile, "profile.created", actor=actor)
    return profile


def save_profile(user: User, data: dict[str, Any], *, actor: User | None) -> list[str]:
    """Change the profile's fields given in ``data`` (creating the profile); return which changed."""
    profile = ensure_profile(user, actor=actor)
    changed = []
    if "pools" in data:
        pools = [Pool(p) for p in data["pools"] or []]
        refused = [p for p in pools if user.role not in pool_roles(p)]
        if refused:
            raise DomainError(
                (
                    "pools",
                    _l(
                        "%(name)s (%(role)s) cannot be in the pool: %(pools)s.",
                        name=user.display_name,
                        role=user.role.label,
                        pools=", ".join(str(p.label) for p in refused),
                    ),
                )
            )
        if set(pools) != set(profile.pools):
            profile.memberships = [m for m in profile.memberships if m.pool in pools]
            for pool in pools:
                if pool not in profile.pools:
                    profile.memberships.append(PoolMembership(pool=pool))
            changed.append("pools")
    if "ipc_classes" in data:
        symbols = _canonical_ipc_list(data["ipc_classes"])
        if symbols != profile.ipc_classes:
            keep = {f.ipc_class: f for f in profile.fields}
            profile.fields = [keep.get(s) or ExpertiseField(ipc_class=s) for s in symbols]
            for position, entry in enumerate(profile.fields):
                entry.position = position
            changed.append("ipc_classes")
    for key in ("employer", "title", "declared_interests"):
        if key in data:
            value = (data[key] or "").strip()
            if value != getattr(profile, key):
                setattr(profile, key, value)
                changed.append(key)
    if "is_available" in data and bool(data["is_available"]) != profile.is_available:
        profile.is_available = bool(data["is_available"])
        changed.append("is_available")
    if changed:
        db.session.flush()
        _audit(profile, "profile.updated", actor=actor, data={"fields": changed})
    return changed


def add_declaration(user: User, data: dict[str, Any], *, actor: User | None) -> Declaration:
    """Record a relation the person declares (for the recusal check of [85]5)."""
    try:
        kind = Relation(data.get("kind"))
    except ValueError:
        raise DomainError(("kind", _l("Choose one of the listed values."))) from None
    counterpart = (data.get("counterpart") or "").strip()
    if not counterpart:
        raise DomainError(("counterpart", _l("Name the person, company or patent the relation is with.")))
    since_on, until_on = data.get("since_on"), data.get("until_on")
    if since_on and until_on and until_on < since_on:
        raise DomainError(("until_on", _l("The end date cannot be before the start date.")))
    if kind in (Relation.attorney_for_patent, Relation.examiner_of_patent) and rules.patent_key(counterpart):
        counterpart = rules.patent_key(counterpart) or counterpart
    profile = ensure_profile(user, actor=actor)
    declaration = Declaration(
        kind=kind, counterpart=counterpart, since_on=since_on, until_on=until_on, note=(data.get("note") or "").strip()
    )
    profile.declarations.append(declaration)
    db.session.flush()
    _audit(profile, "declaration.added", actor=actor, data={"kind": kind.value, "counterpart": counterpart})
    return declaration


def remove_declaration(declaration: Declaration, *, actor: User | None) -> None:
    profile = declaration.profile
    _audit(
        profile,
        "declaration.removed",
        actor=actor,
        data={"kind": declaration.kind.value, "counterpart": declaration.counterpart},
    )
    profile.declarations.remove(declaration)
    db.session.flush()


def add_unavailability(user: User, data: dict[str, Any], *, actor: User | None) -> Unavailability:
    """Record a period (both days included) in which the person cannot be assigned."""
    from_on, to_on = data.get("from_on"), data.get("to_on")
    if not from_on or not to_on:
        raise DomainError(("from_on", _l("Give the first and the last day of the period.")))
    if to_on < from_on:
        raise DomainError(("to_on", _l("The last day cannot be before the first day.")))
    profile = ensure_profile(user, actor=actor)
    period = Unavailability(from_on=from_on, to_on=to_on, reason=(data.get("reason") or "").strip())
    profile.unavailability.append(period)
    db.session.flush()
    _audit(profile, "unavailability.added", actor=actor, data={"from": from_on.isoformat(), "to": to_on.isoformat()})
    return period


def remove_unavailability(period: Unavailability, *, actor: User | None) -> None:
    profile = period.profile
    _audit(
        profile,
        "unavailability.removed",
        actor=actor,
        data={"from": period.from_on.isoformat(), "to": period.to_on.isoformat()},
    )
    profile.unavailability.remove(period)
    db.session.flush()


def history(profile: PoolProfile) -> list[PoolChange]:
    return list(
        db.session.scalars(
            sa.select(PoolChange)
            .where(PoolChange.profile_id == profile.id)
            .order_by(PoolChange.at.desc(), PoolChange.id.desc())
        )
    )


def _audit(profile: PoolProfile, event: str, *, actor: User | None, data: dict[str, Any] | None = None) -> None:
    db.session.add(PoolChange(profile_id=profile.id, event=event, actor=actor, data=dict(data or {})))


# -- lists and suggestions --------------------------------------------------------------------


@dataclass
class PoolFilters:
    pool: str = ""
    #: a canonical IPC prefix (``ipc.ipc_prefix``)
    ipc: str = ""
    available_on: date | None = None
    q: str = ""


def list_profiles(filters: PoolFilters, limit: int = 200) -> list[PoolProfile]:
    """Profiles of active users matching the filters, by name."""
    stmt = sa.select(PoolProfile).join(User, PoolProfile.user_id == User.id).where(User.is_active)
    if filters.pool:
        stmt = stmt.where(
            PoolProfile.id.in_(sa.select(PoolMembership.profile_id).where(PoolMembership.pool == filters.pool))
        )
    if filters.ipc:
        escaped = filters.ipc.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            PoolProfile.id.in_(
                sa.select(ExpertiseField.profile_id).where(ExpertiseField.ipc_class.like(f"{escaped}%", escape="\\"))
            )
        )
    if filters.available_on is not None:
        day = filters.available_on
        stmt = stmt.where(
            PoolProfile.is_available,
            ~PoolProfile.id.in_(
                sa.select(Unavailability.profile_id).where(Unavailability.from_on <= day, Unavailability.to_on >= day)
            ),
        )
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.display_name).like(like),
                sa.func.lower(User.username).like(like),
                sa.func.lower(PoolProfile.employer).like(like),
                sa.func.lower(PoolProfile.title).like(like),
            )
        )
    return list(db.session.scalars(stmt.order_by(User.display_name, PoolProfile.id).limit(limit)))


@dataclass
class Candidate:
    profile: PoolProfile
    #: the pools the person is suggested from (the expert and investigator pools give one role)
    pools: list[Pool]
    role: AssignmentRole
    #: 3 same IPC group as a right of the case, 2 same subclass, 1 same class, 0 no class to compare
    affinity: int
    matched: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_refused(self) -> bool:
        return bool(rules.refusals(self.findings))


def case_ipc_classes(case: Case) -> list[str]:
    return [r.ipc_class for r in case.rights if getattr(r, "ipc_class", None)]


def suggest_candidates(case: Case, on: date | None = None) -> list[Candidate]:
    """Available pool members who may hold their pool's role on the case and whose fields match
    the IPC classes of its rights (all available members when no right has a class), each
    with their recusal findings; by role, then closest field first."""
    on = on or clock.today()
    wanted = case_ipc_classes(case)
    facts = case_facts(case)
    held = {(a.user_id, a.role) for a in case.assignments}
    found: dict[tuple[int, AssignmentRole], Candidate] = {}
    for profile in list_profiles(PoolFilters(available_on=on), limit=1000):
        user = profile.user
        affinity = max((ipc.ipc_affinity(s, w) for s in profile.ipc_classes for w in wanted), default=0)
        if wanted and not affinity:
            continue
        for pool in profile.pools:
            role = POOL_ASSIGNMENT[pool]
            if (user.id, role) in held or user.role not in ELIGIBLE[role]:
                continue
            if user.role != Role.expert and case.organisation_id not in visible_org_ids(user):
                continue
            if (user.id, role) in found:
                found[user.id, role].pools.append(pool)
                continue
            matched = [s for s in profile.ipc_classes if any(ipc.ipc_affinity(s, w) for w in wanted)]
            findings = rules.check(person_facts(user, profile), facts, on)
            found[user.id, role] = Candidate(profile, [pool], role, affinity, matched, findings)
    roles = list(AssignmentRole)
    return sorted(
        found.values(), key=lambda c: (roles.index(c.role), -c.affinity, c.profile.user.display_name, c.profile.id)
    )
