"""Demo data: the Chengdu organisations, one account per role and about thirty cases in the four
channels, built around the day it runs.

Each case is a scenario (``adjudication.py``, ``mediation.py``, ``stations.py``,
``injunctions.py``) played through the real operations and the channels' workflow engine at
simulated instants, working days before the demo day (``script.py``): numbers, timelines,
procedural events, statutory periods, identifier, permission and recusal checks are exactly those
of real use. Whoever tries the demo next year sees the same picture relative to that day."""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.auth.operations import create_user
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.demo import adjudication, injunctions, mediation, stations
from ipcase.demo.parties import AGENTS, PARTIES
from ipcase.demo.rights import HOTPOT_BOX, IPC_BY_NUMBER
from ipcase.demo.script import Player, Scenario, simulated_clock
from ipcase.organisations.models import HostType, Organisation, OrgKind
from ipcase.pools import operations as pools

#: name, which ``check_password_strength`` refuses.
DEMO_ACCOUNTS: list[tuple[str, str, Role, str, str | None]] = [
    ("admin", "ipcase-adm-2026", Role.admin, "王建国", None),
    ("director", "ipcase-dir-2026", Role.director, "李文华", "cd-ipo"),
    ("examiner", "ipcase-exa-2026", Role.examiner, "张晓明", "cd-ipo"),
    ("examiner2", "ipcase-exb-2026", Role.examiner, "刘婷", "cd-ipo"),
    ("mediator", "ipcase-med-2026", Role.mediator, "陈静", "cd-med"),
    ("station", "ipcase-sta-2026", Role.station_officer, "赵磊", "cd-expo"),
    ("expert", "ipcase-exp-2026", Role.expert, "周志远", None),
    ("party", "ipcase-pty-2026", Role.party, "黄丽", None),
]

#: every demo case, by channel
SCENARIOS: list[Scenario] = [
    *adjudication.SCENARIOS,
    *mediation.SCENARIOS,
    *stations.SCENARIOS,
    *injunctions.SCENARIOS,
]
#: the organisations, accounts and pools exist so many working days before the demo day
SET_UP = (95, "08:30")

# -- organisations ----------------------------------------------------------------------------

#: parents come before their children; ``exhibition`` is (start, end): the exhibition opened so many
#: working days before the demo day and closes so many days after today, so it is always running
_ORGANISATIONS: list[dict[str, Any]] = [
    {
        "code": "sc-ipo",
        "name": "四川省知识产权局",
        "name_en": "Sichuan Intellectual Property Office",
        "abbr": "川知",
        "kind": OrgKind.ip_office,
        "region_code": "510000",
        "region_name": "四川省",
        "address": "四川省成都市青羊区东城根上街95号",
        "postcode": "610015",
        "phone": "028-86701234",
    },
    {
        "code": "cd-ipo",
        "name": "成都市知识产权局",
        "name_en": "Chengdu Intellectual Property Office",
        "abbr": "成知",
        "kind": OrgKind.ip_office,
        "region_code": "510100",
        "region_name": "成都市",
        "parent": "sc-ipo",
        "address": "四川省成都市高新区锦城大道366号",
        "postcode": "610041",
        "phone": "028-61882345",
    },
    {
        "code": "cd-ppc",
        "name": "中国（成都）知识产权保护中心",
        "name_en": "China (Chengdu) Intellectual Property Protection Center",
        "abbr": "成保",
        "kind": OrgKind.protection_centre,
        "region_code": "510100",
        "region_name": "成都市",
        "parent": "cd-ipo",
        "address": "四川省成都市高新区天府大道北段1700号环球中心W6区",
        "postcode": "610041",
        "phone": "028-61883456",
    },
    {
        "code": "cd-med",
        "name": "成都知识产权仲调衔接中心",
        "name_en": "Chengdu IP Arbitration-Mediation Linkage Centre",
        "abbr": "成知仲调",
        "kind": OrgKind.mediation_centre,
        "region_code": "510100",
        "region_name": "成都市",
        "address": "四川省成都市武侯区人民南路三段17号",
        "postcode": "610041",
        "phone": "028-85214567",
    },
    {
        "code": "cd-expo",
        "name": "中国西部国际博览城展会维权工作站",
        "name_en": "Western China International Expo City Exhibition IP Workstation",
        "abbr": "成知博",
        "kind": OrgKind.workstation,
        "host_type": HostType.exhibition,
        "region_code": "510100",
        "region_name": "成都市",
        "parent": "cd-ipo",
        "address": "四川省成都市天府新区福州路东段88号中国西部国际博览城3号馆服务区",
        "postcode": "610213",
        "phone": "028-68886789",
        "exhibition": (2, 2),
    },
    {
        "code": "cd-market",
        "name": "荷花池市场维权工作站",
        "name_en": "Hehuachi Market IP Workstation",
        "abbr": "成知荷",
        "kind": OrgKind.workstation,
        "host_type": HostType.market,
        "region_code": "510100",
        "region_name": "成都市",
        "parent": "cd-ipo",
        "address": "四川省成都市金牛区站东路92号荷花池市场管理处二楼",
        "postcode": "610081",
        "phone": "028-83327890",
    },
    {
        "code": "cd-park",
        "name": "天府软件园维权工作点",
        "name_en": "Tianfu Software Park IP Service Point",
        "abbr": "成知软",
        "kind": OrgKind.workstation,
        "host_type": HostType.industrial_park,
        "region_code": "510100",
        "region_name": "成都市",
        "parent": "cd-ipo",
        "address": "四川省成都市高新区天府大道中段1268号天府软件园C区1栋",
        "postcode": "610041",
        "phone": "028-85338901",
    },
    {
        "code": "cq-ipo",
        "name": "重庆市知识产权局",
        "name_en": "Chongqing Intellectual Property Office",
        "abbr": "渝知",
        "kind": OrgKind.ip_office,
        "region_code": "500000",
        "region_name": "重庆市",
        "address": "重庆市渝北区青枫北路18号",
        "postcode": "401147",
        "phone": "023-63012345",
    },
]
DEMO_ORG_CODES = tuple(o["code"] for o in _ORGANISATIONS)


def seed_demo() -> int:
    """Load the demo organisations, accounts and cases; return the number of cases, or 0 if the
    demo organisations already exist. Flushes only: the caller commits."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.code.in_(DEMO_ORG_CODES)).limit(1)):
        return 0
    now = clock.now()
    player = Player(load_calendar(), now, PARTIES, AGENTS)
    with simulated_clock(player.instant(*SET_UP)):
        player.orgs = _create_organisations(player, clock.local_day(now))
        player.users = _create_users(player.orgs)
        _create_pool_profiles(player.users, clock.local_day(now))
    player.play(SCENARIOS)
    for case in player.cases.values():
        for right in case.rights:
            right.ipc_class = IPC_BY_NUMBER.get(right.number, right.ipc_class)
    db.session.flush()
    return len(player.cases)


def _create_organisations(player: Player, today: date) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in _ORGANISATIONS:
        data = dict(spec)
        parent = data.pop("parent", None)
        if window := data.pop("exhibition", None):
            data["exhibition_starts_on"] = player.day(window[0])
            data["exhibition_ends_on"] = max(player.day0, today) + timedelta(days=window[1])
        orgs[data["code"]] = Organisation(parent=orgs[parent] if parent else None, **data)
        db.session.add(orgs[data["code"]])
    db.session.flush()
    return orgs


def _create_users(orgs: dict[str, Organisation]) -> dict[str, User]:
    return {
        username: create_user(
            username=username,
            password=password,
            display_name=name,
            role=role,
            organisation=orgs[org] if org else None,
            email=f"{username}@example.com",
        )
        for username, password, role, name, org in DEMO_ACCOUNTS
    }


# -- expert and mediator pools ----------------------------------------------------------------


def _create_pool_profiles(users: dict[str, User], today: date) -> None:
    """The expert in the technical-investigator and expert pools, with declarations that the
    recusal check ([85]5) reads: a former employer (a warning on the drone case) and a patent
    examined before (a refusal on the hot-pot packaging case); the mediator in the mediator pool."""
    director = users["director"]
    expert = users["expert"]
    pools.save_profile(
        expert,
        {
            "pools": ["tech_investigator", "expert"],
            "ipc_classes": ["H04W 52/02", "H03K 17/22", "H01F 27/08"],
            "employer": "西南交通大学电气工程学院",
            "title": "教授级高级工程师",
            "declared_interests": "担任四川省电子学会理事；未持有任何电子、电气企业股份。",
            "is_available": True,
        },
        actor=director,
    )
    pools.add_declaration(
        expert,
        {
            "kind": "employed_by",
            "counterpart": "成都智行翼无人机科技有限公司",
            "since_on": date(2016, 3, 1),
            "until_on": date(2019, 6, 30),
            "note": "技术顾问",
        },
        actor=expert,
    )
    pools.add_declaration(
        expert,
        {"kind": "examiner_of_patent", "counterpart": HOTPOT_BOX["number"], "note": "国知局审查协作中心借调期间"},
        actor=expert,
    )
    pools.add_unavailability(
        expert,
        {"from_on": today + timedelta(days=20), "to_on": today + timedelta(days=27), "reason": "赴京参加学术会议"},
        actor=expert,
    )
    pools.save_profile(
        users["mediator"],
        {"pools": ["mediator"], "ipc_classes": ["A47C", "B65D"], "employer": "成都知识产权仲裁调解中心"},
        actor=director,
    )
