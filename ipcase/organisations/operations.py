"""Creating and changing organisations (admin only)."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation, OrgKind

ORG_FIELDS = (
    "code",
    "name",
    "name_en",
    "abbr",
    "kind",
    "host_type",
    "region_code",
    "region_name",
    "parent_id",
    "address",
    "postcode",
    "phone",
    "exhibition_starts_on",
    "exhibition_ends_on",
    "is_active",
)


def _check(org: Organisation | None, data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    clash = sa.select(Organisation.id).where(sa.func.lower(Organisation.code) == data["code"].lower())
    if org is not None:
        clash = clash.where(Organisation.id != org.id)
    if db.session.scalar(clash):
        raise DomainError(("code", _l("This code is already used by another organisation.")))
    if data["kind"] == OrgKind.workstation:
        if not data.get("host_type"):
            raise DomainError(("host_type", _l("A workstation needs its host: exhibition, market or park.")))
    else:
        data["host_type"] = None
    starts, ends = data.get("exhibition_starts_on"), data.get("exhibition_ends_on")
    if bool(starts) != bool(ends):
        raise DomainError(("exhibition_ends_on", _l("Give both the first and the last day of the exhibition.")))
    if starts and ends and ends < starts:
        raise DomainError(("exhibition_ends_on", _l("The exhibition cannot end before it starts.")))
    parent_id = data.get("parent_id")
    if parent_id and org is not None:
        # Walk up from the new parent: meeting this organisation would close a cycle.
        seen = db.session.get(Organisation, parent_id)
        while seen is not None:
            if seen.id == org.id:
                raise DomainError(
                    ("parent_id", _l("An organisation cannot report to itself or to one of its own units."))
                )
            seen = seen.parent
    return data


def create_organisation(data: dict[str, Any]) -> Organisation:
    data = _check(None, data)
    org = Organisation(**{k: data.get(k) for k in ORG_FIELDS if k in data})
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, data: dict[str, Any]) -> None:
    data = _check(org, data)
    for key in ORG_FIELDS:
        if key in data:
            setattr(org, key, data[key])
    db.session.flush()
