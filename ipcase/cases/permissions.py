"""Who may see and change a case. The SQL filter and the per-object checks must agree;
``tests/cases/test_permissions.py`` holds them to each other."""

import sqlalchemy as sa
from flask import g, has_app_context

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.models import Agent, Assignment, Case, Party
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation


def visible_org_ids(user: User) -> list[int]:
    """A staff member's own organisation and the workstations or offices directly under it."""
    if user.organisation_id is None:
        return []
    cache = g.setdefault("visible_org_ids", {}) if has_app_context() else {}
    if user.id not in cache:
        children = db.session.scalars(
            sa.select(Organisation.id).where(Organisation.parent_id == user.organisation_id)
        ).all()
        cache[user.id] = [user.organisation_id, *children]
    return cache[user.id]


def case_visibility_clause(user: User) -> sa.ColumnElement[bool]:
    """WHERE clause selecting exactly the cases ``user`` may see."""
    if user.role == Role.admin:
        return sa.true()
    if user.role in CASE_HANDLERS:
        return Case.organisation_id.in_(visible_org_ids(user))
    if user.role == Role.expert:
        return Case.id.in_(sa.select(Assignment.case_id).where(Assignment.user_id == user.id))
    if user.role == Role.party:
        as_party = sa.select(Party.case_id).where(Party.user_id == user.id)
        as_agent = sa.select(Party.case_id).join(Agent).where(Agent.user_id == user.id)
        return Case.id.in_(as_party.union(as_agent))
    return sa.false()


def can_view(user: User, case: Case) -> bool:
    if user.role == Role.admin:
        return True
    if user.role in CASE_HANDLERS:
        return case.organisation_id in visible_org_ids(user)
    if user.role == Role.expert:
        return any(a.user_id == user.id for a in case.assignments)
    if user.role == Role.party:
        return any(p.user_id == user.id or any(a.user_id == user.id for a in p.agents) for p in case.parties)
    return False


def can_edit(user: User, case: Case) -> bool:
    """Change the case file (parties, rights, details): handlers of the case's organisation, while open."""
    return user.role in CASE_HANDLERS and not case.is_closed and case.organisation_id in visible_org_ids(user)


def can_assign(user: User, case: Case) -> bool:
    """Assign staff to a case: directors, examiners and mediators who may edit it."""
    return can_edit(user, case) and user.role in (Role.director, Role.examiner, Role.mediator)


def can_open_case(user: User) -> bool:
    return user.role in CASE_HANDLERS


def openable_organisations(user: User) -> list[Organisation]:
    """Organisations in which ``user`` may open a case."""
    if not can_open_case(user):
        return []
    ids = visible_org_ids(user)
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.id)))
