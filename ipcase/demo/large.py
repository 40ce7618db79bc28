"""Synthetic volume for benchmarks: many plausible cases written with Core bulk inserts.

The operations open one case in about fifteen statements, far too slow for 100,000 cases, so this
module writes the same rows directly: the case and its channel row, two parties, one right, one
handler assignment and the opening timeline entry. Case numbers come from the same counters real
intake uses, and the counters are advanced, so cases opened afterwards get fresh numbers.
"""

import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from psycopg import sql as pg_sql
from psycopg.types.json import Json

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.auth.operations import create_user
from ipcase.cases.enums import (
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
    PatentType,
    RightType,
)
from ipcase.cases.mediation_terms import MediationType
from ipcase.cases.models import Assignment, Case, IPRight, Party, TimelineEntry
from ipcase.cases.registry import ChannelDef, get_channel
from ipcase.channels.adjudication.models import AdjudicationCase
from ipcase.channels.injunctions.models import InjunctionCase
from ipcase.channels.mediation.models import MediationCase
from ipcase.channels.stations.models import StationComplaint
from ipcase.core import clock
from ipcase.core.db import conflict_insert
from ipcase.core.extensions import db
from ipcase.core.identifiers import USCC_ALPHABET, patent_check_char, resident_id_check_char, uscc_check_char
from ipcase.core.numbering import Counter, format_number
from ipcase.organisations.models import Organisation, OrgKind

CHUNK_SIZE = 5_000
#: cases are received over this many days before now
SPREAD_DAYS = 365

#: 字号 of the synthetic companies; benchmarks search for one of them
TRADE_NAMES = (
    "锦华", "蜀联", "天诚", "宏达", "瑞丰", "金桥", "鑫源", "恒通", "华西", "川能", "兴蓉", "蓉欧",
    "天府", "岷山", "峨眉", "青羊", "锦江", "巴蜀", "长虹", "九洲", "新希望", "德康", "川大", "西电",
    "博瑞", "明达", "中科", "远景", "晨光", "启明", "拓普", "立信", "嘉禾", "安泰", "盛世", "宏图",
    "汇通", "凯越", "联创", "永丰",
)  # fmt: skip
_PLACES = (
    ("成都", "510100", "四川省成都市高新区天府大道中段{n}号"),
    ("成都", "510107", "四川省成都市武侯区武侯大道{n}号"),
    ("四川", "510000", "四川省成都市锦江区东大街{n}号"),
    ("重庆", "500000", "重庆市渝北区金开大道{n}号"),
    ("深圳市", "440300", "广东省深圳市南山区科技园{n}号"),
    ("东莞市", "441900", "广东省东莞市长安镇振安中路{n}号"),
    ("义乌市", "330782", "浙江省义乌市稠城街道工人北路{n}号"),
    ("杭州", "330100", "浙江省杭州市滨江区江南大道{n}号"),
    ("绵阳", "510700", "四川省绵阳市涪城区临园路{n}号"),
    ("德阳", "510600", "四川省德阳市旌阳区长江西路{n}号"),
)
_TRADES = ("科技", "家居用品", "电子", "食品", "机械制造", "服饰", "文化传媒", "医疗器械", "新材料", "贸易")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
_GIVEN = (
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
    "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "晓东", "海燕",
)  # fmt: skip
_PRODUCTS: dict[PatentType, tuple[str, ...]] = {
    PatentType.invention: (
        "一种锂电池负极材料的制备方法", "一种无人机避障控制方法", "一种低功耗无线传感器节点",
        "一种中药提取物的纯化工艺", "一种光伏组件清洁机器人", "一种轨道交通轴承的检测装置",
    ),
    PatentType.utility_model: (
        "一种折叠椅", "一种多功能电动晾衣架", "一种火锅用分格锅", "一种便携式充电宝", "一种儿童安全座椅",
        "一种防滑拖鞋", "一种保温饭盒", "一种LED台灯",
    ),
    PatentType.design: ("包装盒（火锅底料）", "保温杯", "双肩包", "刺绣挂件", "蓝牙音箱", "茶叶罐", "玩具熊猫"),
}  # fmt: skip
_PATENT_TYPE_LABEL = {PatentType.invention: "发明", PatentType.utility_model: "实用新型", PatentType.design: "外观设计"}
_PATENT_TYPE_DIGIT = {PatentType.invention: 1, PatentType.utility_model: 2, PatentType.design: 3}
_MARKS = ("蜀锦坊", "青城雪芽", "麻辣空间", "熊猫家园", "川味源", "锦里", "天府人家")
_WORKS = ("“熊猫滚滚”系列美术作品", "智慧课堂软件V2.0", "川剧变脸动漫形象", "金沙太阳神鸟文创图案")

#: which channels an organisation of each kind receives, and how often
_CHANNEL_MIX: dict[OrgKind, tuple[tuple[Channel, int], ...]] = {
    OrgKind.ip_office: ((Channel.adjudication, 6), (Channel.mediation, 3), (Channel.injunction, 1)),
    OrgKind.protection_centre: ((Channel.adjudication, 5), (Channel.mediation, 4), (Channel.injunction, 1)),
    OrgKind.mediation_centre: ((Channel.mediation, 1),),
    OrgKind.workstation: ((Channel.station, 1),),
}
#: relative case load by kind of organisation
_ORG_WEIGHT = {OrgKind.ip_office: 4, OrgKind.protection_centre: 2, OrgKind.mediation_centre: 2, OrgKind.workstation: 1}
#: states in which a case has not (yet) been docketed
_UNDOCKETED = frozenset({"received", "deficient", "rejected", "awaiting_statement", "statement_received", "refused"})


@dataclass(frozen=True)
class _Home:
    """An organisation that can receive cases, with the staff who may handle them there."""

    org_id: int
    abbr: str
    name: str
    kind: OrgKind
    channels: tuple[Channel, ...]
    channel_weights: tuple[int, ...]
    handlers: tuple[tuple[int, Role], ...]


@dataclass(frozen=True)
class _Company:
    name: str
    uscc: str
    address: str
    origin: Origin


def seed_large(count: int, *, chunk_size: int = CHUNK_SIZE, seed: int = 2026) -> float:
    """Insert ``count`` synthetic cases spread over the handling organisations, channels and
    states; commit per chunk and return the seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    homes = _homes()
    weights = [_ORG_WEIGHT[h.kind] for h in homes]
    companies = _companies(rng)
    people = [rng.choice(_SURNAMES) + rng.choice(_GIVEN) for _ in range(500)]
    numbers = _NumberBook()
    now = clock.now()
    # oldest first, so that numbers rise with the time of receipt as they do at a real desk
    ages = sorted((rng.randint(600, SPREAD_DAYS * 86_400) for _ in range(count)), reverse=True)
    for offset in range(0, count, chunk_size):
        cases = [
            _synth_case(rng, rng.choices(homes, weights)[0], now - timedelta(seconds=age), now)
            for age in ages[offset : offset + chunk_size]
        ]
        for case in cases:
            case["number"] = numbers.take(case["_home"], case["channel"], case["received_at"])
        _insert_chunk(rng, cases, companies, people, now)
        numbers.save()
        db.session.commit()
    return time.perf_counter() - started


# -- where cases go ---------------------------------------------------------------------------


def _homes() -> list[_Home]:
    """Active organisations that have a case handler of their own or in the office above them
    (who may open cases for workstations under it); if none exist, create one with a handler."""
    orgs = list(db.session.scalars(sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.id)))
    staff: dict[int, list[tuple[int, Role]]] = defaultdict(list)
    for user_id, role, org_id in db.session.execute(
        sa.select(User.id, User.role, User.organisation_id)
        .where(User.role.in_(CASE_HANDLERS), User.is_active, User.organisation_id.is_not(None))
        .order_by(User.id)
    ):
        staff[org_id].append((user_id, role))
    homes = []
    for org in orgs:
        handlers = staff[org.id] + (staff[org.parent_id] if org.parent_id else [])
        mix = _CHANNEL_MIX[org.kind]
        if handlers:
            homes.append(
                _Home(
                    org.id,
                    org.abbr,
                    org.name,
                    org.kind,
                    tuple(c for c, _ in mix),
                    tuple(w for _, w in mix),
                    tuple(handlers),
                )
            )
    if homes:
        return homes
    org = Organisation(
        code=f"bench-{secrets.token_hex(3)}",
        name="基准测试知识产权局",
        name_en="Benchmark IP Office",
        abbr="基准",
        kind=OrgKind.ip_office,
        region_code="510100",
        region_name="成都市",
    )
    db.session.add(org)
    db.session.flush()
    create_user(
        username=f"bench-{org.id}",
        password=f"bench-{secrets.token_hex(8)}",
        display_name="基准测试",
        role=Role.examiner,
        organisation=org,
    )
    db.session.commit()
    return _homes()


class _NumberBook:
    """Hands out case numbers from the real counters and writes the counters back.

    Numbers only carry the organisation's abbreviation, so two organisations sharing one would
    print the same number from their separate counters; here one sequence runs per
    (abbreviation, channel, year) and every counter of that abbreviation is advanced to its end.
    """

    def __init__(self) -> None:
        self.template: str = current_app.config["CASE_NUMBER_FORMAT"]
        self.org_ids_by_abbr: dict[str, list[int]] = defaultdict(list)
        for org_id, abbr in db.session.execute(sa.select(Organisation.id, Organisation.abbr)):
            self.org_ids_by_abbr[abbr].append(org_id)
        abbr_of = {org_id: abbr for abbr, ids in self.org_ids_by_abbr.items() for org_id in ids}
        self.last: dict[tuple[str, str, int], int] = defaultdict(int)
        for org_id, kind, year, value in db.session.execute(
            sa.select(Counter.organisation_id, Counter.kind, Counter.year, Counter.value)
        ):
            key = (abbr_of[org_id], kind, year)
            self.last[key] = max(self.last[key], value)
        self.dirty: set[tuple[str, str, int]] = set()
        self.type_codes = {ch: get_channel(ch).type_code for ch in Channel}

    def take(self, home: _Home, channel: Channel, received_at: datetime) -> str:
        year = clock.to_local(received_at).year
        key = (home.abbr, f"case:{channel.value}", year)
        self.last[key] += 1
        self.dirty.add(key)
        return format_number(
            self.template, org_abbr=home.abbr, type_code=self.type_codes[channel], year=year, seq=self.last[key]
        )

    def save(self) -> None:
        if not self.dirty:
            return
        rows = [
            {"organisation_id": org_id, "kind": kind, "year": year, "value": self.last[(abbr, kind, year)]}
            for abbr, kind, year in sorted(self.dirty)
            for org_id in self.org_ids_by_abbr[abbr]
        ]
        stmt = conflict_insert(db.session, _table(Counter))
        stmt = stmt.on_conflict_do_update(
            index_elements=["organisation_id", "kind", "year"], set_={"value": stmt.excluded.value}
        )
        db.session.execute(stmt, rows)
        self.dirty.clear()


# -- synthetic content ------------------------------------------------------------------------


def _companies(rng: random.Random) -> list[_Company]:
    found = []
    for trade_name in TRADE_NAMES:
        for city, region, street in _PLACES:
            trade = rng.choice(_TRADES)
            body = f"91{region}MA6{''.join(rng.choices(USCC_ALPHABET, k=6))}"
            found.append(
                _Company(
                    name=f"{city}{trade_name}{trade}有限公司",
                    uscc=body + uscc_check_char(body),
                    address=street.format(n=rng.randint(1, 2000)),
                    origin=Origin.mainland,
                )
            )
    for trade_name in TRADE_NAMES[:8]:
        found.append(_Company(f"香港{trade_name}国际贸易有限公司", "", "香港九龙尖沙咀广东道33号", Origin.hong_kong))
        found.append(
            _Company(f"{trade_name}精密科技股份有限公司", "", "台湾地区新北市新庄区中正路566号", Origin.taiwan)
        )
    return found


def _synth_case(rng: random.Random, home: _Home, received_at: datetime, now: datetime) -> dict[str, Any]:
    channel = rng.choices(home.channels, home.channel_weights)[0]
    defn = get_channel(channel)
    age = now - received_at
    # older cases are mostly closed, recent ones mostly open
    closed = rng.random() < (0.85 if age > timedelta(days=120) else 0.25)
    state = _pick_state(rng, defn, closed)
    docketed_at = closed_at = None
    if channel in (Channel.adjudication, Channel.mediation) and state not in _UNDOCKETED:
        docketed_at = received_at + min(age, timedelta(days=rng.uniform(0.5, 7)))
    if closed:
        start = docketed_at or received_at
        closed_at = start + (now - start) * rng.uniform(0.05, 0.9)
    user_id, role = rng.choice(home.handlers)
    return {
        "_home": home,
        "_handler": (user_id, role),
        "channel": channel,
        "state": state,
        "organisation_id": home.org_id,
        "received_at": received_at,
        "docketed_at": docketed_at,
        "closed_at": closed_at,
        "created_by_id": user_id,
    }


def _pick_state(rng: random.Random, defn: ChannelDef, closed: bool) -> str:
    pool = [s for s in defn.states if (s in defn.closed_states) == closed]
    return rng.choice(pool).value


def _right(rng: random.Random, channel: Channel, holder: str, received_on: date) -> dict[str, Any]:
    """A patent with a valid check digit, or at workstations now and then a trademark or work."""
    roll = rng.random()
    if channel == Channel.station and roll < 0.3:
        mark = rng.choice(_MARKS)
        return _right_row(
            RightType.trademark, f"第{rng.randint(10_000_000, 69_999_999)}号", None, f"“{mark}”注册商标", holder
        )
    if channel == Channel.station and roll < 0.45:
        work_no = f"国作登字-{rng.randint(2015, 2025)}-F-{rng.randint(1, 99_999_999):08d}"
        return _right_row(RightType.copyright, work_no, None, rng.choice(_WORKS), holder)
    patent_type = rng.choices(list(PatentType), (2, 5, 3))[0]
    year = rng.randint(2012, min(received_on.year - 1, 2025))
    digits = f"{year}{_PATENT_TYPE_DIGIT[patent_type]}{rng.randint(0, 9_999_999):07d}"
    filed_on = date(year, rng.randint(1, 12), rng.randint(1, 28))
    row = _right_row(
        RightType.patent,
        f"ZL{digits}.{patent_check_char(digits)}",
        patent_type,
        rng.choice(_PRODUCTS[patent_type]),
        holder,
    )
    row["filed_on"] = filed_on
    row["granted_on"] = filed_on + timedelta(days=900 if patent_type == PatentType.invention else 240)
    row["status_checked_on"] = received_on - timedelta(days=3)
    return row


def _right_row(
    right_type: RightType, number: str, patent_type: PatentType | None, title: str, holder: str
) -> dict[str, Any]:
    return {
        "right_type": right_type.value,
        "number": number,
        "patent_type": patent_type.value if patent_type else None,
        "title": title,
        "holder": holder,
        "filed_on": None,
        "granted_on": None,
        "legal_status": LegalStatus.valid.value,
        "status_checked_on": None,
        "asserted_claims": "权利要求1" if patent_type else "",
    }


def _title(channel: Channel, right: dict[str, Any]) -> str:
    """The 案由 in the form the office writes it, e.g. “一种折叠椅”实用新型专利侵权纠纷."""
    if right["patent_type"]:
        subject = f"“{right['title']}”{_PATENT_TYPE_LABEL[PatentType(right['patent_type'])]}专利"
        entitlement = f"{subject}权"
    else:
        subject = right["title"]
        entitlement = subject + ("专用权" if right["right_type"] == RightType.trademark else "著作权")
    if channel == Channel.adjudication:
        return f"{subject}侵权纠纷"
    if channel == Channel.mediation:
        return f"{subject}侵权赔偿纠纷"
    if channel == Channel.station:
        return f"涉嫌侵犯{entitlement}的投诉"
    return f"申请责令停止侵犯{entitlement}行为的行政禁令"


_CHANNEL_DATA: dict[Channel, Callable[[random.Random], dict[str, Any]]] = {
    Channel.adjudication: lambda rng: {
        "requests": "责令被请求人停止制造、销售、许诺销售侵权产品。",
        "accused_product": f"{rng.choice('ABCDEFGHJK')}-{rng.randint(10, 999)}型产品",
    },
    Channel.mediation: lambda rng: {
        "mediation_type": rng.choice(list(MediationType)).value,
        "claimed_amount": Decimal(rng.randrange(10_000, 2_000_000, 1_000)),
        "referring_court_case_no": "",
    },
    Channel.station: lambda rng: {
        "booth": f"{rng.randint(1, 9)}号馆 {rng.choice('ABC')}-{rng.randint(1, 300):03d}",
        "platform_link": "",
    },
    Channel.injunction: lambda rng: {
        "urgency_facts": "展会即将闭幕，侵权产品正在大量销售。",
        "requested_measures": "责令被申请人立即撤展并停止销售。",
        "bond_amount": Decimal(rng.randrange(50_000, 1_000_000, 10_000)),
        "bond_form": rng.choice(("银行保函", "现金", "保险公司保函")),
        "main_case_id": None,
    },
}


def _table(model: type[Any]) -> sa.Table:
    return cast(sa.Table, model.__table__)


_CHANNEL_TABLES = {
    Channel.adjudication: _table(AdjudicationCase),
    Channel.mediation: _table(MediationCase),
    Channel.station: _table(StationComplaint),
    Channel.injunction: _table(InjunctionCase),
}
_SOURCES = {
    Channel.adjudication: (CaseSource.walk_in, CaseSource.online, CaseSource.workstation, CaseSource.transfer),
    Channel.mediation: (CaseSource.walk_in, CaseSource.online, CaseSource.court_delegation),
    Channel.station: (CaseSource.exhibition, CaseSource.workstation),
    Channel.injunction: (CaseSource.online, CaseSource.exhibition),
}


def _party_row(
    rng: random.Random, case_id: int, role: PartyRole, company: _Company | None, person: str, now: datetime
) -> dict[str, Any]:
    if company is None:
        body = f"510{rng.randint(100, 199)}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        body += f"{rng.randint(0, 999):03d}"
        kind, name, id_type = PartyKind.natural_person, person, IdType.resident_id
        id_number, rep, address = body + resident_id_check_char(body), "", "四川省成都市金牛区蜀汉路218号"
        origin = Origin.mainland
    else:
        kind, name, rep, address, origin = PartyKind.legal_person, company.name, person, company.address, company.origin
        id_type = IdType.uscc if company.uscc else IdType.other
        id_number = company.uscc or f"{rng.randint(10_000_000, 99_999_999)}"
    return {
        "case_id": case_id,
        "role": role.value,
        "kind": kind.value,
        "name": name,
        "id_type": id_type.value,
        "id_number": id_number,
        "legal_rep_name": rep,
        "legal_rep_title": rng.choice(("董事长", "总经理", "执行董事")) if rep else "",
        "address": address,
        "postcode": "",
        "phone": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
        "email": "",
        "has_domestic_domicile": origin == Origin.mainland,
        "origin": origin.value,
        "user_id": None,
        "created_at": now,
        "updated_at": now,
    }


def _insert_chunk(
    rng: random.Random, cases: list[dict[str, Any]], companies: list[_Company], people: list[str], now: datetime
) -> None:
    mainland = [c for c in companies if c.origin == Origin.mainland]
    case_rows, extras, parties, rights, assignments, entries = [], [], [], [], [], []
    for case in cases:
        channel: Channel = case["channel"]
        requester = rng.choice(mainland)
        right = _right(rng, channel, requester.name, clock.to_local(case["received_at"]).date())
        extras.append(_CHANNEL_DATA[channel](rng))
        case_rows.append(
            {
                "number": case["number"],
                "channel": channel.value,
                "state": case["state"],
                "organisation_id": case["organisation_id"],
                "source": rng.choice(_SOURCES[channel]).value,
                "jurisdiction_basis": JurisdictionBasis.place_of_infringement.value
                if channel == Channel.adjudication
                else None,
                "title": _title(channel, right),
                "summary": "",
                "received_at": case["received_at"],
                "docketed_at": case["docketed_at"],
                "closed_at": case["closed_at"],
                "created_by_id": case["created_by_id"],
                "referred_from_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        case["_requester"], case["_right"] = requester, right
    table = _table(Case)
    _bulk_insert(table, case_rows)
    # Read the new ids back by their unique numbers: RETURNING in parameter order falls back to
    # one INSERT per row on SQLite, several times slower.
    numbers = [c["number"] for c in cases]
    id_of = dict(db.session.execute(sa.select(table.c.number, table.c.id).where(table.c.number.in_(numbers))).all())
    ids = [id_of[number] for number in numbers]
    by_channel: dict[Channel, list[dict[str, Any]]] = defaultdict(list)
    for case_id, case, extra in zip(ids, cases, extras, strict=True):
        by_channel[case["channel"]].append({"id": case_id, **extra})
        # one respondent in ten is a natural person (a market stall), a few are overseas
        respondent = None if rng.random() < 0.1 else rng.choice(companies)
        parties.append(_party_row(rng, case_id, PartyRole.requester, case["_requester"], rng.choice(people), now))
        parties.append(_party_row(rng, case_id, PartyRole.respondent, respondent, rng.choice(people), now))
        rights.append({"case_id": case_id, **case["_right"], "created_at": now, "updated_at": now})
        user_id, role = case["_handler"]
        assignments.append(
            {
                "case_id": case_id,
                "user_id": user_id,
                "role": (AssignmentRole.mediator if role == Role.mediator else AssignmentRole.handler).value,
                "assigned_by_id": user_id,
                "created_at": case["received_at"],
                "updated_at": case["received_at"],
            }
        )
        entries.append(
            {
                "case_id": case_id,
                "at": case["received_at"],
                "actor_id": user_id,
                "kind": EntryKind.positive.value,
                "event": "case.opened",
                "data": {
                    "channel": {"enum": "Channel", "value": case["channel"].value},
                    "organisation": case["_home"].name,
                },
                "is_public": True,
            }
        )
    for channel, rows in by_channel.items():
        _bulk_insert(_CHANNEL_TABLES[channel], rows)
    _bulk_insert(_table(Party), parties)
    _bulk_insert(_table(IPRight), rights)
    _bulk_insert(_table(Assignment), assignments)
    _bulk_insert(_table(TimelineEntry), entries)


def _bulk_insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(table, rows)
    else:
        db.session.execute(sa.insert(table), rows)


def _copy(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """COPY the rows in. psycopg runs an executemany as one INSERT per row, which made 100,000
    cases take twice as long (about 60 s against 30 s).

    COPY skips SQLAlchemy's bind processing, so the rows must already hold what the columns
    store: enum values as strings and aware UTC datetimes, as the builders above produce."""
    columns = list(rows[0])
    json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
    statement = pg_sql.SQL("COPY {} ({}) FROM STDIN").format(
        pg_sql.Identifier(table.name), pg_sql.SQL(", ").join(map(pg_sql.Identifier, columns))
    )
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([Json(row[c]) if c in json_columns else row[c] for c in columns])
