"""Read-side queries of the workbench: the filtered, searched, paginated case list."""

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from ipcase.auth.models import User
from ipcase.cases.models import Assignment, Case, IPRight, Party
from ipcase.cases.permissions import case_visibility_clause
from ipcase.core.extensions import db
from ipcase.core.identifiers import InvalidIdentifier, parse_patent_number


@dataclass
class CaseFilters:
    q: str = ""
    channel: str = ""
    state: str = ""
    assignee_id: int | None = None
    organisation_id: int | None = None
    closed: str = ""
    page: int = 1


CASE_NUMBER_SHAPE = re.compile(r"[〔\[]\d{4}[〕\]]第?\d+号$")


def search_clause(q: str) -> sa.ColumnElement[bool]:
    """Match a case number, a party's name, or a right's number; a valid patent number in any
    spelling (with or without ZL, dots, spaces) is matched exactly through its canonical form."""
    try:
        canonical = parse_patent_number(q).canonical
    except InvalidIdentifier:
        canonical = None
    if canonical:
        return Case.id.in_(sa.select(IPRight.case_id).where(IPRight.number == canonical))
    if CASE_NUMBER_SHAPE.search(q):
        # looks like a whole case number (…〔2026〕12号): the unique index answers at once
        return Case.number == q.replace("[", "〔").replace("]", "〕")
    return sa.or_(
        Case.number.icontains(q, autoescape=True),
        Case.id.in_(sa.select(Party.case_id).where(Party.name.icontains(q, autoescape=True))),
        Case.id.in_(sa.select(IPRight.case_id).where(IPRight.number.icontains(q, autoescape=True))),
    )


def case_list_query(user: User, f: CaseFilters) -> sa.Select[Any]:
    stmt = sa.select(Case).where(case_visibility_clause(user))
    if f.q:
        stmt = stmt.where(search_clause(f.q))
    if f.channel:
        stmt = stmt.where(Case.channel == f.channel)
    if f.state:
        stmt = stmt.where(Case.state == f.state)
    if f.organisation_id:
        stmt = stmt.where(Case.organisation_id == f.organisation_id)
    if f.assignee_id:
        stmt = stmt.where(Case.id.in_(sa.select(Assignment.case_id).where(Assignment.user_id == f.assignee_id)))
    if f.closed == "open":
        stmt = stmt.where(Case.closed_at.is_(None))
    elif f.closed == "closed":
        stmt = stmt.where(Case.closed_at.is_not(None))
    return stmt


def list_cases(user: User, f: CaseFilters, per_page: int) -> Pagination:
    """One page of cases with parties, organisation and staff loaded in a fixed number of queries."""
    stmt = (
        case_list_query(user, f)
        .options(
            joinedload(Case.organisation),
            selectinload(Case.parties),
            selectinload(Case.assignments).joinedload(Assignment.user),
        )
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    return db.paginate(stmt, page=f.page, per_page=per_page, error_out=False, count=True)
