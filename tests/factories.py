"""Data builders for tests: the base organisations and accounts, and ``create_case``."""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.cases import operations as ops
from ipcase.cases.enums import CaseSource, Channel, PartyKind, PartyRole, RightType
from ipcase.cases.models import Case
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.organisations.models import HostType, Organisation, OrgKind

PASSWORD = "Test-password-2026"

#: code, name, abbr, kind, host type, region code, parent code
BASE_ORGS = [
    ("cdip", "成都市知识产权局", "成知", OrgKind.ip_office, None, "510100", None),
    ("cdexpo", "西部博览城维权工作站", "成知", OrgKind.workstation, HostType.exhibition, "510100", "cdip"),
    ("cdmed", "成都知识产权仲调衔接中心", "成仲调", OrgKind.mediation_centre, None, "510100", None),
    ("cqip", "重庆市知识产权局", "渝知", OrgKind.ip_office, None, "500000", None),
]

#: username, role, organisation code
BASE_USERS = [
    ("admin", Role.admin, None),
    ("director", Role.director, "cdip"),
    ("examiner", Role.examiner, "cdip"),
    ("examiner2", Role.examiner, "cdip"),
    ("examiner3", Role.examiner, "cdip"),
    ("mediator", Role.mediator, "cdmed"),
    ("station", Role.station_officer, "cdexpo"),
    ("expert", Role.expert, None),
    ("party", Role.party, None),
    ("party2", Role.party, None),
    ("cqexaminer", Role.examiner, "cqip"),
]

PATENT = "ZL201710601862.3"


def seed_base() -> None:
    orgs: dict[str, Organisation] = {}
    for code, name, abbr, kind, host, region, parent in BASE_ORGS:
        orgs[code] = Organisation(
            code=code,
            name=name,
            name_en=code,
            abbr=abbr,
            kind=kind,
            host_type=host,
            region_code=region,
            region_name="成都市" if region == "510100" else "重庆市",
            parent=orgs.get(parent) if parent else None,
        )
        db.session.add(orgs[code])
    db.session.flush()
    for username, role, org in BASE_USERS:
        user = User(
            username=username, display_name=username.title(), role=role, organisation=orgs[org] if org else None
        )
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.flush()


def base_users() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(sa.select(User))}


def org(code: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.code == code)).one()


def party_data(role: PartyRole, name: str, **kw: Any) -> dict[str, Any]:
    data = {
        "role": role,
        "kind": PartyKind.legal_person,
        "name": name,
        "id_type": None,
        "id_number": "",
        "legal_rep_name": "张三",
        "address": "成都市高新区天府大道100号",
        "has_domestic_domicile": True,
    }
    return data | kw


def create_case(
    channel: Channel = Channel.adjudication,
    *,
    organisation: str = "cdip",
    requester: str = "成都某某科技有限公司",
    respondent: str = "四川某某贸易有限公司",
    patent: str = PATENT,
    actor: User | None = None,
    received_at: datetime | None = None,
    state: str | None = None,
    channel_data: dict[str, Any] | None = None,
    **kw: Any,
) -> Case:
    """Open a case through the real operation; ``state`` may then force a state for tests."""
    defaults: dict[str, dict[str, Any]] = {
        Channel.mediation: {"mediation_type": "administrative"},
        Channel.injunction: {"urgency_facts": "展会明日闭幕", "requested_measures": "撤展"},
    }
    case = ops.open_case(
        channel=channel,
        organisation=org(organisation),
        actor=actor,
        source=kw.pop("source", CaseSource.walk_in),
        title=kw.pop("title", "“一种折叠椅”实用新型专利侵权纠纷"),
        received_at=received_at or clock.now() - timedelta(days=1),
        channel_data=(channel_data or defaults.get(channel, {})),
        parties=[party_data(PartyRole.requester, requester), party_data(PartyRole.respondent, respondent)],
        rights=[{"right_type": RightType.patent, "number": patent, "title": "一种折叠椅", "holder": requester}],
        **kw,
    )
    if state:
        case.state = state
    db.session.flush()
    return case
