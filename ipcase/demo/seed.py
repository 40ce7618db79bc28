"""Demo data: the Chengdu organisations, one account per role and about thirty cases in the four channels.

Cases are opened through the real operations, so their numbers, timelines, identifier checks and
permission checks are exactly those of real use; only the history the operations cannot yet write
(states reached later, the date of each timeline entry) is filled in afterwards.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.auth.operations import create_user
from ipcase.cases import operations as ops
from ipcase.cases.enums import (
    AgentAuthority,
    AssignmentRole,
    CaseSource,
    Channel,
    IdType,
    JurisdictionBasis,
    LegalStatus,
    Origin,
    PartyKind,
    PartyRole,
    RightType,
)
from ipcase.cases.models import Case
from ipcase.channels.adjudication.states import AdjudicationState
from ipcase.channels.injunctions.states import InjunctionState
from ipcase.channels.mediation.models import MediationType
from ipcase.channels.mediation.states import MediationState
from ipcase.channels.registry import get_channel
from ipcase.channels.stations.states import StationState
from ipcase.core import clock
from ipcase.core.identifiers import patent_check_char, resident_id_check_char, uscc_check_char
from ipcase.deadlines.models import OPEN_STATES, Deadline, ExclusionKind
from ipcase.deadlines.operations import cancel_deadline, meet_deadlines, start_exclusion
from ipcase.deadlines.triggers import fire
from ipcase.extensions import db
from ipcase.organisations.models import HostType, Organisation, OrgKind

#: user name, password, role, display name, organisation code. Passwords never contain the user
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

# -- organisations ----------------------------------------------------------------------------

#: parents come before their children; ``exhibition`` is (start, end) in days from today, so the
#: demo always shows an exhibition that is running
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
        "exhibition": (-2, 2),
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


# -- parties and agents -----------------------------------------------------------------------


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def _resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def _company(
    name: str, uscc17: str, rep: str, title: str, address: str, postcode: str, phone: str, **kw: Any
) -> dict[str, Any]:
    return {
        "kind": PartyKind.legal_person,
        "name": name,
        "id_type": IdType.uscc,
        "id_number": _uscc(uscc17),
        "legal_rep_name": rep,
        "legal_rep_title": title,
        "address": address,
        "postcode": postcode,
        "phone": phone,
    } | kw


def _shop(name: str, uscc17: str, owner: str, address: str, postcode: str, phone: str) -> dict[str, Any]:
    """个体工商户: the operator is named as its representative ([85]23 joins the actual operator)."""
    return _company(name, uscc17, owner, "经营者", address, postcode, phone, kind=PartyKind.individual_business)


def _person(name: str, id17: str, address: str, postcode: str, phone: str) -> dict[str, Any]:
    return {
        "kind": PartyKind.natural_person,
        "name": name,
        "id_type": IdType.resident_id,
        "id_number": _resident_id(id17),
        "address": address,
        "postcode": postcode,
        "phone": phone,
    }


def _overseas(name: str, origin: Origin, reg_no: str, rep: str, title: str, address: str, phone: str) -> dict[str, Any]:
    """A respondent with no domicile in the PRC: its defence period is 30 days, not 15 ([85]22)."""
    return {
        "kind": PartyKind.legal_person,
        "name": name,
        "id_type": IdType.other,
        "id_number": reg_no,
        "legal_rep_name": rep,
        "legal_rep_title": title,
        "address": address,
        "phone": phone,
        "has_domestic_domicile": False,
        "origin": origin,
    }


_PARTIES: dict[str, dict[str, Any]] = {
    # right holders
    "tianfu": _company(
        "成都天府折叠家具有限公司",
        "91510112MA61Q2X7K",
        "罗志强",
        "董事长",
        "四川省成都市龙泉驿区经济技术开发区南四路168号",
        "610100",
        "028-84851166",
        email="legal@tianfu-furniture.example.com",
    ),
    "chuanweiyuan": _company(
        "四川川味源食品有限公司",
        "91510124MA6CJ8R4U",
        "陈淑芬",
        "总经理",
        "四川省成都市郫都区安德街道中国川菜产业园区川菜大道12号",
        "611730",
        "028-87921234",
    ),
    "ruixin": _company(
        "成都锐芯微电子科技有限公司",
        "91510100MA62N7H5W",
        "何嘉伟",
        "执行董事",
        "四川省成都市高新区天府大道中段1366号天府软件园E区6栋",
        "610041",
        "028-85187722",
    ),
    "qingcheng": _company(
        "都江堰青城雪芽茶业有限公司",
        "91510181MA6DG3K2P",
        "杨春华",
        "董事长",
        "四川省都江堰市青城山镇味江路88号",
        "611843",
        "028-87288866",
    ),
    "panda": _company(
        "成都熊猫星球文化创意有限公司",
        "91510104MA6AT9L1Y",
        "苏晓雨",
        "执行董事",
        "四川省成都市锦江区下东大街段99号",
        "610021",
        "028-86653388",
    ),
    "shuxiu": _company(
        "成都蜀绣坊工艺品有限公司",
        "91510105MA61FR8N3",
        "郝玉兰",
        "总经理",
        "四川省成都市青羊区宽巷子28号",
        "610031",
        "028-86258899",
    ),
    "zhixing": _company(
        "成都智行翼无人机科技有限公司",
        "91510116MA6B4WQ7E",
        "唐浩",
        "董事长",
        "四川省成都市双流区西航港街道空港一路一段588号",
        "610207",
        "028-85761234",
    ),
    "kangrui": _company(
        "成都康瑞医疗器械有限公司",
        "91510115MA62C5P8J",
        "冯建",
        "总经理",
        "四川省成都市温江区海峡两岸科技产业开发园新华大道二段1000号",
        "611130",
        "028-82665577",
    ),
    "zhang_deming": _person(
        "张德明",
        "51010619780312253",
        "四川省成都市金牛区蜀汉路218号3栋2单元501号",
        "610036",
        "13808001234",
    ),
    "minjiang": _company(
        "四川岷江电气设备有限公司",
        "91510114MA6C7UX9D",
        "邓国平",
        "董事长",
        "四川省成都市新都区工业东区龙虎大道399号",
        "610500",
        "028-83961122",
    ),
    "xiaomifeng": _company(
        "成都小蜜蜂教育科技有限公司",
        "91510107MA6DL2E5B",
        "魏明",
        "执行董事",
        "四川省成都市武侯区人民南路四段27号",
        "610041",
        "028-85226655",
    ),
    "malakongjian": _company(
        "成都麻辣空间餐饮管理有限公司",
        "91510108MA6AQ4N7G",
        "蒋勇",
        "总经理",
        "四川省成都市成华区建设路55号",
        "610051",
        "028-84332211",
    ),
    "shuwei_pot": _company(
        "成都蜀味锅具制造有限公司",
        "91510113MA6BH6T3C",
        "谢长林",
        "总经理",
        "四川省成都市青白江区大同街道工业集中发展区同心大道66号",
        "610300",
        "028-83667788",
    ),
    "yunjia_lock": _company(
        "成都云家智能锁业有限公司",
        "91510100MA6CRP2M8",
        "吴海涛",
        "董事长",
        "四川省成都市高新区西部园区新达路9号",
        "611731",
        "028-87856644",
        email="ip@yunjia-lock.example.com",
    ),
    "changyuan": _company(
        "成都长源汽车零部件有限公司",
        "91510112MA61X8D4R",
        "孙立新",
        "总经理",
        "四川省成都市龙泉驿区汽车城大道777号",
        "610100",
        "028-88451234",
    ),
    "mingde": _company(
        "成都明德日用品有限公司",
        "91510106MA6AK7W2T",
        "钱晓红",
        "执行董事",
        "四川省成都市金牛区金府路669号",
        "610036",
        "028-87519900",
    ),
    "shuhe_bags": _company(
        "成都蜀禾箱包有限公司",
        "91510106MA6B9QJ5F",
        "曾庆华",
        "总经理",
        "四川省成都市金牛区荷花池街道站东路1号",
        "610081",
        "028-83312266",
    ),
    "lvye": _company(
        "成都绿叶口腔护理用品有限公司",
        "91510122MA6C2HR8X",
        "郭文斌",
        "董事长",
        "四川省成都市双流区西南航空港经济开发区黄甲大道二段99号",
        "610207",
        "028-85738899",
    ),
    "jinsha_culture": _company(
        "成都金沙印象文化传播有限公司",
        "91510105MA6D3NL6A",
        "任思雨",
        "执行董事",
        "四川省成都市青羊区金沙遗址路2号",
        "610072",
        "028-87303030",
    ),
    # respondents
    "xinda_shop": _shop(
        "成都市金牛区鑫达家具经营部",
        "92510106MA6AY3B2L",
        "刘鑫",
        "四川省成都市金牛区一环路北三段家具城B区126号",
        "610081",
        "13980012345",
    ),
    "jike": _company(
        "深圳市极客智能科技有限公司",
        "91440300MA5FK2R7Q",
        "林子豪",
        "总经理",
        "广东省深圳市南山区粤海街道科技园南区高新南七道12号",
        "518057",
        "0755-86001234",
    ),
    "bayu": _company(
        "重庆巴渝味道食品有限公司",
        "91500112MA60TK3X5",
        "彭勇",
        "执行董事",
        "重庆市渝北区回兴街道宝圣大道126号",
        "401120",
        "023-67451234",
    ),
    "lianshen": _overseas(
        "联盛精密科技股份有限公司",
        Origin.taiwan,
        "统一编号 24681357",
        "黄志明",
        "董事长",
        "台湾地区新北市新庄区中正路566号",
        "+886-2-29901234",
    ),
    "chuangwei": _company(
        "东莞市创维塑胶制品有限公司",
        "91441900MA4W8PL2C",
        "邱国华",
        "总经理",
        "广东省东莞市长安镇乌沙社区兴发南路38号",
        "523860",
        "0769-85301234",
    ),
    "youjia": _company(
        "成都优家智能家居有限公司",
        "91510107MA6CB2T9H",
        "许磊",
        "执行董事",
        "四川省成都市武侯区武科西二路66号",
        "610045",
        "028-85001188",
    ),
    "hongyuan_power": _company(
        "成都弘远输变电设备有限公司",
        "91510114MA6BK4Y1N",
        "杜建华",
        "总经理",
        "四川省成都市新都区新繁街道工业园区繁江北路22号",
        "610505",
        "028-83051199",
    ),
    "chunxi_shop": _shop(
        "成都市锦江区春熙绣品店",
        "92510104MA6C8GL3W",
        "马玉琴",
        "四川省成都市锦江区春熙路北段45号附3号",
        "610016",
        "13666112233",
    ),
    "changxin": _company(
        "重庆长鑫汽车配件有限公司",
        "91500109MA5U7LQ4B",
        "秦刚",
        "董事长",
        "重庆市北碚区蔡家岗街道同兴工业园区汇业路10号",
        "400707",
        "023-68221234",
    ),
    "shunfa": _company(
        "义乌市顺发日用品有限公司",
        "91330782MA2EC7W6K",
        "楼建军",
        "总经理",
        "浙江省义乌市福田街道国际商贸城二区东门外大街88号",
        "322000",
        "0579-85551234",
    ),
    "hongda_hk": _overseas(
        "香港宏达国际贸易有限公司",
        Origin.hong_kong,
        "商业登记号码 61234567",
        "陈家豪",
        "董事",
        "香港九龙尖沙咀广东道33号中港城第5座12楼1201室",
        "+852-23681234",
    ),
    "sakura": _overseas(
        "樱花精工株式会社（SAKURA SEIKO CO., LTD.）",
        Origin.foreign,
        "法人番号 4120001098765",
        "山田太郎",
        "代表取缔役",
        "日本国大阪府大阪市北区梅田二丁目4番9号",
        "+81-6-63451234",
    ),
    "hanbit": _overseas(
        "韩光电子株式会社（HANBIT ELECTRONICS CO., LTD.）",
        Origin.foreign,
        "사업자등록번호 124-81-12345",
        "金成浩",
        "代表理事",
        "大韩民国京畿道城南市盆唐区板桥驿路235号",
        "+82-31-7011234",
    ),
    "li_tea": _shop(
        "成都市武侯区李记茶叶店",
        "92510107MA6B2KD7P",
        "李国强",
        "四川省成都市武侯区五大花园茶叶市场8号",
        "610041",
        "13908187766",
    ),
    "wang_xiaojun": _person(
        "王小军",
        "51012519850726181",
        "四川省成都市新都区大丰街道南丰大道256号",
        "610500",
        "15908201122",
    ),
    "hengfeng": _shop(
        "广州市白云区恒丰皮具商行",
        "92440111MA59Q3CL1",
        "黎海峰",
        "广东省广州市白云区三元里大道1008号皮具城A座302",
        "510405",
        "13602345678",
    ),
    "yunzhi": _company(
        "成都云智网络科技有限公司",
        "91510100MA6DHX3T2",
        "范晓东",
        "执行董事",
        "四川省成都市高新区天府五街200号菁蓉汇3号楼",
        "610041",
        "028-61551234",
    ),
    "yungou": _company(
        "杭州云购电子商务有限公司",
        "91330106MA2GL8P4R",
        "沈佳",
        "总经理",
        "浙江省杭州市西湖区文三路478号华星时代广场A座15楼",
        "310012",
        "0571-88001234",
    ),
    "jincheng_furniture": _company(
        "成都锦程家具有限公司",
        "91510117MA6AE5Y8T",
        "胡德胜",
        "总经理",
        "四川省成都市郫都区现代工业港北片区港通北三路88号",
        "611743",
        "028-87981234",
    ),
    "dayu_tech": _company(
        "绵阳大禹光电科技有限公司",
        "91510700MA6B3KX2G",
        "龚伟",
        "董事长",
        "四川省绵阳市高新区绵兴东路35号",
        "621000",
        "0816-2531234",
    ),
    "tianyi_bags": _company(
        "成都天逸皮具有限公司",
        "91510106MA6CMT4Q9",
        "罗晓燕",
        "总经理",
        "四川省成都市金牛区沙湾路258号",
        "610031",
        "028-87661234",
    ),
    "pinjia": _company(
        "成都品佳电器有限公司",
        "91510108MA6B7EU2Y",
        "黎明远",
        "执行董事",
        "四川省成都市成华区双林路388号",
        "610051",
        "028-84561234",
    ),
}

_AGENTS: dict[str, dict[str, Any]] = {
    "jincheng_ip": {
        "name": "周文涛",
        "firm": "成都锦诚知识产权代理有限公司",
        "licence_no": "专利代理师执业证 5110021356",
        "address": "四川省成都市高新区天府二街138号蜀都中心1号楼2206",
        "phone": "028-85321166",
        "email": "zhouwt@jincheng-ip.example.com",
        "authority": AgentAuthority.special,
        "authority_items": "代为承认、放弃、变更请求，进行和解，签收法律文书",
    },
    "shuwei_law": {
        "name": "林雪",
        "firm": "四川蜀卫律师事务所",
        "licence_no": "15101201510234567",
        "address": "四川省成都市锦江区红星路三段1号国际金融中心2号楼32层",
        "phone": "028-86671234",
        "email": "linxue@shuwei-law.example.com",
        "authority": AgentAuthority.special,
        "authority_items": "代为承认、放弃、变更请求，进行和解",
    },
    "huaxin_ip": {
        "name": "宋立群",
        "firm": "北京华信国际专利代理有限公司",
        "licence_no": "专利代理师执业证 1110087543",
        "address": "北京市海淀区知春路6号锦秋国际大厦A座1208",
        "phone": "010-62881234",
        "email": "songlq@huaxin-ip.example.com",
        "authority": AgentAuthority.general,
    },
    "tianfu_staff": {
        "name": "黄丽",
        "firm": "成都天府折叠家具有限公司（法务部）",
        "phone": "13880776655",
        "email": "huangli@tianfu-furniture.example.com",
        "authority": AgentAuthority.general,
    },
    "zhengda_law": {
        "name": "邓海波",
        "firm": "广东正达律师事务所",
        "licence_no": "14403201210987654",
        "address": "广东省深圳市福田区福华三路88号财富大厦26楼",
        "phone": "0755-83451234",
        "authority": AgentAuthority.special,
        "authority_items": "代为承认、放弃、变更请求，进行和解，提起反请求",
    },
}


# -- rights -----------------------------------------------------------------------------------


def _patent(
    year: int,
    type_digit: int,
    serial: int,
    title: str,
    holder: str,
    filed_on: date,
    granted_on: date,
    *,
    status: LegalStatus = LegalStatus.valid,
    claims: str = "权利要求1",
) -> dict[str, Any]:
    """A patent right whose number carries a correct check digit (domain.md §9)."""
    digits = f"{year}{type_digit}{serial:07d}"
    return {
        "right_type": RightType.patent,
        "number": f"ZL{digits}.{patent_check_char(digits)}",
        "title": title,
        "holder": holder,
        "filed_on": filed_on,
        "granted_on": granted_on,
        "legal_status": status,
        "asserted_claims": claims,
    }


def _mark(reg_no: str, title: str, holder: str, granted_on: date) -> dict[str, Any]:
    return {
        "right_type": RightType.trademark,
        "number": reg_no,
        "title": title,
        "holder": holder,
        "granted_on": granted_on,
        "legal_status": LegalStatus.valid,
    }


def _work(reg_no: str, title: str, holder: str, granted_on: date) -> dict[str, Any]:
    return {
        "right_type": RightType.copyright,
        "number": reg_no,
        "title": title,
        "holder": holder,
        "granted_on": granted_on,
        "legal_status": LegalStatus.valid,
    }


# -- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCase:
    """One demo case: who opened it where, its parties and right, and how far it has gone."""

    channel: Channel
    org: str
    actor: str
    source: CaseSource
    title: str
    #: received so many days ago, at this local hour and minute
    received: tuple[int, int, int]
    requester: str
    respondent: str
    right: dict[str, Any]
    state: str
    summary: str = ""
    channel_data: dict[str, Any] = field(default_factory=dict)
    jurisdiction: JurisdictionBasis | None = None
    docketed_after_days: int | None = None
    closed_after_days: int | None = None
    #: leader, member, member ([85]20: at least three, an odd number)
    panel: tuple[str, str, str] | None = None
    expert: bool = False
    #: (party role, agent key)
    agents: tuple[tuple[PartyRole, str], ...] = ()
    #: the ``party`` demo account is the requester's own account
    party_account: bool = False
    key: str = ""
    referred_from: str = ""
    main_case: str = ""


_TIANFU_CHAIR = _patent(
    2021,
    2,
    1583462,
    "一种折叠椅",
    "成都天府折叠家具有限公司",
    date(2021, 6, 18),
    date(2022, 3, 8),
    claims="权利要求1-5",
)
_RUIXIN_CHIP = _patent(
    2019,
    1,
    1047785,
    "一种低功耗蓝牙芯片的唤醒电路",
    "成都锐芯微电子科技有限公司",
    date(2019, 9, 2),
    date(2022, 7, 15),
    claims="权利要求1、3、6",
)
_ZHIXING_ARM = _patent(
    2020,
    1,
    1332906,
    "一种无人机折叠机臂锁紧结构",
    "成都智行翼无人机科技有限公司",
    date(2020, 11, 23),
    date(2023, 4, 11),
    claims="权利要求1-4",
)
_HOTPOT_BOX = _patent(
    2023,
    3,
    456218,
    "包装盒（火锅底料）",
    "四川川味源食品有限公司",
    date(2023, 2, 14),
    date(2023, 8, 22),
    claims="外观设计图片1-6",
)
_QINGCHENG_MARK = _mark(
    "第23456781号", "“青城雪芽”注册商标（第30类：茶）", "都江堰青城雪芽茶业有限公司", date(2018, 4, 7)
)

_CASES: list[DemoCase] = [
    # -- Channel A: administrative adjudication ----------------------------------------------
    DemoCase(
        key="chair",
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“一种折叠椅”实用新型专利侵权纠纷",
        received=(118, 9, 40),
        requester="tianfu",
        respondent="xinda_shop",
        right=_TIANFU_CHAIR,
        state=AdjudicationState.closed_decided,
        summary="请求人经公证购买被请求人门店销售的XD-08型户外折叠椅，认为其落入权利要求1-5的保护范围。",
        channel_data={
            "requests": "1. 责令被请求人立即停止销售、许诺销售侵犯涉案实用新型专利权的折叠椅；"
            "2. 责令被请求人销毁库存侵权产品。",
            "accused_product": "XD-08型户外折叠椅（公证购买于金牛区家具城B区126号）",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=3,
        closed_after_days=84,
        panel=("director", "examiner", "examiner2"),
        agents=((PartyRole.requester, "tianfu_staff"),),
        party_account=True,
    ),
    DemoCase(
        key="chip",
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.online,
        title="“一种低功耗蓝牙芯片的唤醒电路”发明专利侵权纠纷",
        received=(78, 14, 5),
        requester="ruixin",
        respondent="jike",
        right=_RUIXIN_CHIP,
        state=AdjudicationState.evidence,
        summary="被请求人生产的GK-BLE5蓝牙模组在成都多家电子市场销售，请求人认为其唤醒电路与专利方案相同。",
        channel_data={
            "requests": "责令被请求人停止制造、销售、许诺销售GK-BLE5蓝牙模组。",
            "accused_product": "GK-BLE5型蓝牙模组（成都赛格广场三楼3072号购得）",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=4,
        panel=("examiner", "examiner2", "director"),
        expert=True,
        agents=((PartyRole.requester, "jincheng_ip"), (PartyRole.respondent, "zhengda_law")),
    ),
    DemoCase(
        key="hotpot",
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.workstation,
        title="“包装盒（火锅底料）”外观设计专利侵权纠纷",
        received=(86, 10, 20),
        requester="chuanweiyuan",
        respondent="bayu",
        right=_HOTPOT_BOX,
        state=AdjudicationState.hearing_scheduled,
        summary="西博会维权工作站转来的投诉：被请求人展出的火锅底料包装盒与外观设计专利近似。",
        channel_data={
            "requests": "责令被请求人停止制造、销售使用被控外观设计的火锅底料包装盒。",
            "accused_product": "“巴渝老火锅”牛油火锅底料500g装包装盒",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=4,
        panel=("examiner2", "examiner", "director"),
        referred_from="expo-hotpot",
    ),
    DemoCase(
        key="drone",
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.exhibition,
        title="“一种无人机折叠机臂锁紧结构”发明专利侵权纠纷",
        received=(30, 11, 0),
        requester="zhixing",
        respondent="lianshen",
        right=_ZHIXING_ARM,
        state=AdjudicationState.defence_period,
        summary="被请求人在台湾地区无大陆住所，答辩期为三十日。",
        channel_data={
            "requests": "责令被请求人停止许诺销售、销售LS-X9型折叠无人机。",
            "accused_product": "LS-X9型折叠无人机",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=5,
        panel=("examiner", "examiner2", "director"),
        agents=((PartyRole.requester, "jincheng_ip"), (PartyRole.respondent, "huaxin_ip")),
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.walk_in,
        title="“一种一次性输液针头保护套”实用新型专利侵权纠纷",
        received=(49, 15, 30),
        requester="kangrui",
        respondent="chuangwei",
        right=_patent(
            2020,
            2,
            2746159,
            "一种一次性输液针头保护套",
            "成都康瑞医疗器械有限公司",
            date(2020, 12, 9),
            date(2021, 9, 28),
            status=LegalStatus.under_invalidation,
            claims="权利要求1-3",
        ),
        state=AdjudicationState.suspended,
        summary="被请求人已就涉案实用新型专利向国家知识产权局提出无效宣告请求并获受理，案件依法中止。",
        channel_data={"requests": "责令被请求人停止制造、销售被控侵权保护套。", "accused_product": "CW-36型针头保护套"},
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=2,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“一种多功能电动晾衣架”实用新型专利侵权纠纷",
        received=(31, 9, 15),
        requester="zhang_deming",
        respondent="youjia",
        right=_patent(2022, 2, 1037264, "一种多功能电动晾衣架", "张德明", date(2022, 4, 26), date(2022, 11, 15)),
        state=AdjudicationState.served,
        channel_data={
            "requests": "责令被请求人停止制造、销售YJ-L2型电动晾衣架。",
            "accused_product": "YJ-L2型电动晾衣架",
        },
        jurisdiction=JurisdictionBasis.respondent_domicile,
        docketed_after_days=3,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.online,
        title="“一种变压器散热装置”发明专利侵权纠纷",
        received=(8, 16, 10),
        requester="minjiang",
        respondent="hongyuan_power",
        right=_patent(
            2018, 1, 1215573, "一种变压器散热装置", "四川岷江电气设备有限公司", date(2018, 10, 15), date(2021, 2, 2)
        ),
        state=AdjudicationState.docketed,
        channel_data={
            "requests": "责令被请求人停止制造、销售、使用被控侵权散热装置。",
            "accused_product": "HY-S11型油浸式变压器",
        },
        jurisdiction=JurisdictionBasis.respondent_domicile,
        docketed_after_days=3,
        expert=True,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“刺绣挂件”外观设计专利侵权纠纷",
        received=(11, 10, 45),
        requester="shuxiu",
        respondent="chunxi_shop",
        right=_patent(2022, 3, 512847, "刺绣挂件", "成都蜀绣坊工艺品有限公司", date(2022, 8, 1), date(2023, 1, 10)),
        state=AdjudicationState.deficient,
        summary="请求书未附专利登记簿副本，已一次性告知补正。",
        channel_data={"requests": "责令被请求人停止销售被控侵权刺绣挂件。", "accused_product": "熊猫图案刺绣挂件"},
        jurisdiction=JurisdictionBasis.place_of_infringement,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.walk_in,
        title="“一种火锅用分格锅”实用新型专利侵权纠纷",
        received=(5, 14, 20),
        requester="shuwei_pot",
        respondent="pinjia",
        right=_patent(
            2023, 2, 1198734, "一种火锅用分格锅", "成都蜀味锅具制造有限公司", date(2023, 5, 6), date(2024, 1, 19)
        ),
        state=AdjudicationState.received,
        channel_data={"requests": "责令被请求人停止制造、销售九宫格电火锅。", "accused_product": "PJ-9G型九宫格电火锅"},
        jurisdiction=JurisdictionBasis.respondent_domicile,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.online,
        title="“一种智能门锁的防撬报警装置”发明专利侵权纠纷",
        received=(2, 10, 5),
        requester="yunjia_lock",
        respondent="hanbit",
        right=_patent(
            2020,
            1,
            1468820,
            "一种智能门锁的防撬报警装置",
            "成都云家智能锁业有限公司",
            date(2020, 12, 30),
            date(2023, 6, 6),
        ),
        state=AdjudicationState.received,
        summary="被请求人在中国境内无住所，其产品经成都代理商销售。",
        channel_data={
            "requests": "责令被请求人停止许诺销售、销售、进口HB-S7型智能门锁。",
            "accused_product": "HB-S7型智能门锁",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        party_account=True,
    ),
    DemoCase(
        key="seat",
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.walk_in,
        title="“一种汽车座椅调节机构”实用新型专利侵权纠纷",
        received=(72, 9, 30),
        requester="changyuan",
        respondent="changxin",
        right=_patent(
            2021, 2, 2864115, "一种汽车座椅调节机构", "成都长源汽车零部件有限公司", date(2021, 11, 3), date(2022, 6, 14)
        ),
        state=AdjudicationState.transferred,
        summary="被请求人在答辩期内提出管辖异议，侵权行为地与住所地均在重庆，异议成立，案件移送重庆市知识产权局。",
        channel_data={
            "requests": "责令被请求人停止制造、销售被控侵权调节机构。",
            "accused_product": "CX-220座椅调角器",
        },
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=4,
        closed_after_days=24,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cq-ipo",
        actor="admin",
        source=CaseSource.transfer,
        title="“一种汽车座椅调节机构”实用新型专利侵权纠纷",
        received=(47, 10, 0),
        requester="changyuan",
        respondent="changxin",
        right=_patent(
            2021, 2, 2864115, "一种汽车座椅调节机构", "成都长源汽车零部件有限公司", date(2021, 11, 3), date(2022, 6, 14)
        ),
        state=AdjudicationState.served,
        summary="成都市知识产权局移送。",
        channel_data={
            "requests": "责令被请求人停止制造、销售被控侵权调节机构。",
            "accused_product": "CX-220座椅调角器",
        },
        jurisdiction=JurisdictionBasis.respondent_domicile,
        docketed_after_days=3,
        referred_from="seat",
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ppc",
        actor="examiner",
        source=CaseSource.online,
        title="“保温杯（竹韵）”外观设计专利侵权纠纷",
        received=(16, 11, 30),
        requester="mingde",
        respondent="shunfa",
        right=_patent(
            2022, 3, 687413, "保温杯（竹韵）", "成都明德日用品有限公司", date(2022, 9, 20), date(2023, 2, 24)
        ),
        state=AdjudicationState.closed_mediated,
        summary="快速处理：经合议组主持调解，双方达成调解协议，被请求人停止销售并赔偿经济损失。",
        channel_data={"requests": "责令被请求人停止销售被控侵权保温杯。", "accused_product": "SF-500竹节保温杯"},
        jurisdiction=JurisdictionBasis.place_of_infringement,
        docketed_after_days=1,
        closed_after_days=12,
    ),
    DemoCase(
        channel=Channel.adjudication,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“一种声波电动牙刷”实用新型专利侵权纠纷",
        received=(57, 15, 50),
        requester="lvye",
        respondent="pinjia",
        right=_patent(
            2019, 2, 2113546, "一种声波电动牙刷", "成都绿叶口腔护理用品有限公司", date(2019, 12, 2), date(2020, 8, 18)
        ),
        state=AdjudicationState.rejected,
        summary="请求人已就同一纠纷向成都市中级人民法院提起诉讼，不符合受理条件，不予立案。",
        channel_data={"requests": "责令被请求人停止销售被控侵权电动牙刷。", "accused_product": "PJ-T1声波电动牙刷"},
        closed_after_days=4,
    ),
    # -- Channels B and C: mediation ----------------------------------------------------------
    DemoCase(
        channel=Channel.mediation,
        org="cd-med",
        actor="mediator",
        source=CaseSource.court_delegation,
        title="侵害外观设计专利权纠纷（诉前委派调解）",
        received=(104, 10, 30),
        requester="tianfu",
        respondent="jincheng_furniture",
        right=_patent(
            2022, 3, 298541, "折叠桌（户外）", "成都天府折叠家具有限公司", date(2022, 3, 15), date(2022, 9, 6)
        ),
        state=MediationState.closed_agreed,
        summary="成都市中级人民法院诉前委派调解，双方达成调解协议并申请司法确认。",
        channel_data={
            "mediation_type": MediationType.court_delegated,
            "claimed_amount": Decimal("300000.00"),
            "referring_court_case_no": "（2026）川01知民诉前调218号",
        },
        docketed_after_days=2,
        closed_after_days=38,
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-med",
        actor="mediator",
        source=CaseSource.walk_in,
        title="侵害商标权纠纷（“青城雪芽”）",
        received=(76, 9, 50),
        requester="qingcheng",
        respondent="li_tea",
        right=_QINGCHENG_MARK,
        state=MediationState.in_session,
        channel_data={"mediation_type": MediationType.peoples, "claimed_amount": Decimal("50000.00")},
        docketed_after_days=3,
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-med",
        actor="mediator",
        source=CaseSource.walk_in,
        title="专利实施许可合同纠纷（许可使用费）",
        received=(52, 14, 0),
        requester="ruixin",
        respondent="dayu_tech",
        right=_RUIXIN_CHIP,
        state=MediationState.confirmation_pending,
        summary="双方依仲裁条款申请仲裁，仲裁庭先行调解，已达成协议，待制作调解书。",
        channel_data={"mediation_type": MediationType.arbitral, "claimed_amount": Decimal("1200000.00")},
        docketed_after_days=2,
        agents=((PartyRole.requester, "shuwei_law"),),
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-med",
        actor="mediator",
        source=CaseSource.online,
        title="计算机软件著作权许可使用纠纷",
        received=(36, 16, 20),
        requester="xiaomifeng",
        respondent="yunzhi",
        right=_work("软著登字第9876543号", "小蜜蜂智慧课堂软件V2.0", "成都小蜜蜂教育科技有限公司", date(2022, 5, 20)),
        state=MediationState.docketed,
        channel_data={"mediation_type": MediationType.commercial, "claimed_amount": Decimal("180000.00")},
        docketed_after_days=2,
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-med",
        actor="mediator",
        source=CaseSource.court_delegation,
        title="侵害外观设计专利权纠纷（诉中委托调解）",
        received=(27, 10, 10),
        requester="shuhe_bags",
        respondent="tianyi_bags",
        right=_patent(2021, 3, 774402, "双肩包（熊猫）", "成都蜀禾箱包有限公司", date(2021, 7, 12), date(2021, 12, 28)),
        state=MediationState.closed_failed,
        summary="双方对赔偿数额分歧较大，调解不成，退回成都市中级人民法院审理。",
        channel_data={
            "mediation_type": MediationType.court_entrusted,
            "claimed_amount": Decimal("200000.00"),
            "referring_court_case_no": "（2026）川01知民初1532号",
        },
        docketed_after_days=1,
        closed_after_days=20,
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“一种折叠椅”实用新型专利侵权赔偿数额纠纷",
        received=(22, 9, 20),
        requester="tianfu",
        respondent="xinda_shop",
        right=_TIANFU_CHAIR,
        state=MediationState.awaiting_statement,
        summary="行政裁决认定侵权后，请求人就赔偿数额请求行政调解（专利法第六十五条）。",
        channel_data={"mediation_type": MediationType.administrative, "claimed_amount": Decimal("80000.00")},
        agents=((PartyRole.requester, "tianfu_staff"),),
        party_account=True,
    ),
    DemoCase(
        channel=Channel.mediation,
        org="cd-ppc",
        actor="examiner2",
        source=CaseSource.online,
        title="“一种多功能电动晾衣架”实用新型专利侵权赔偿数额纠纷",
        received=(3, 15, 40),
        requester="zhang_deming",
        respondent="youjia",
        right=_patent(2022, 2, 1037264, "一种多功能电动晾衣架", "张德明", date(2022, 4, 26), date(2022, 11, 15)),
        state=MediationState.received,
        channel_data={"mediation_type": MediationType.administrative, "claimed_amount": Decimal("60000.00")},
    ),
    # -- Channel D: workstations ----------------------------------------------------------------
    DemoCase(
        key="expo-hotpot",
        channel=Channel.station,
        org="cd-expo",
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“包装盒（火锅底料）”外观设计专利权投诉",
        received=(88, 13, 15),
        requester="chuanweiyuan",
        respondent="bayu",
        right=_HOTPOT_BOX,
        state=StationState.referred,
        summary="被投诉人拒不撤展并提交不侵权说明，工作站固定证据后移交成都市知识产权局立案处理。",
        channel_data={"booth": "5号馆 5B-031"},
        closed_after_days=1,
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-expo",
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“一种无人机折叠机臂锁紧结构”发明专利权投诉",
        received=(1, 10, 25),
        requester="zhixing",
        respondent="sakura",
        right=_ZHIXING_ARM,
        state=StationState.measures_taken,
        summary="被投诉人24小时内未提交不侵权证据，经主办方协调撤下展品。",
        channel_data={"booth": "3号馆 3B-118"},
        agents=((PartyRole.requester, "jincheng_ip"),),
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-expo",
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“熊猫滚滚”美术作品著作权投诉",
        received=(1, 15, 50),
        requester="panda",
        respondent="hongda_hk",
        right=_work(
            "国作登字-2021-F-00123456", "“熊猫滚滚”系列美术作品", "成都熊猫星球文化创意有限公司", date(2021, 3, 9)
        ),
        state=StationState.awaiting_response,
        channel_data={"booth": "1号馆 1C-305"},
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-expo",
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“金沙太阳神鸟”注册商标专用权投诉",
        received=(0, 9, 10),
        requester="jinsha_culture",
        respondent="shunfa",
        right=_mark(
            "第31245678号", "“金沙太阳神鸟”图形商标（第16类）", "成都金沙印象文化传播有限公司", date(2019, 11, 21)
        ),
        state=StationState.received,
        channel_data={"booth": "2号馆 2A-206"},
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-expo",
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“青城雪芽”注册商标专用权投诉",
        received=(66, 11, 40),
        requester="qingcheng",
        respondent="li_tea",
        right=_QINGCHENG_MARK,
        state=StationState.resolved,
        summary="被投诉人当场承认侵权并撤下涉案茶叶礼盒。",
        channel_data={"booth": "农博馆 N-088"},
        closed_after_days=1,
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-market",
        actor="examiner",
        source=CaseSource.workstation,
        title="市场摊位销售涉嫌侵犯“麻辣空间”注册商标专用权商品投诉",
        received=(41, 10, 30),
        requester="malakongjian",
        respondent="wang_xiaojun",
        right=_mark(
            "第27654321号", "“麻辣空间”文字商标（第30类：火锅底料）", "成都麻辣空间餐饮管理有限公司", date(2019, 2, 28)
        ),
        state=StationState.resolved,
        summary="摊主承诺停止销售并销毁剩余包装袋。",
        channel_data={"booth": "荷花池市场二楼B区218号"},
        closed_after_days=2,
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-market",
        actor="examiner2",
        source=CaseSource.workstation,
        title="市场商户销售涉嫌侵犯“双肩包（熊猫）”外观设计专利权商品投诉",
        received=(12, 14, 45),
        requester="shuhe_bags",
        respondent="hengfeng",
        right=_patent(2021, 3, 774402, "双肩包（熊猫）", "成都蜀禾箱包有限公司", date(2021, 7, 12), date(2021, 12, 28)),
        state=StationState.incomplete,
        summary="投诉人尚未提交专利权有效的证明，已通知补充。",
        channel_data={"booth": "荷花池市场一楼A区066号"},
    ),
    DemoCase(
        channel=Channel.station,
        org="cd-park",
        actor="examiner",
        source=CaseSource.workstation,
        title="网络店铺销售涉嫌侵犯计算机软件著作权产品投诉",
        received=(29, 16, 0),
        requester="xiaomifeng",
        respondent="yungou",
        right=_work("软著登字第9876543号", "小蜜蜂智慧课堂软件V2.0", "成都小蜜蜂教育科技有限公司", date(2022, 5, 20)),
        state=StationState.forwarded,
        summary="园区企业投诉电商平台店铺销售破解版软件激活码，已转成都市知识产权局。",
        channel_data={"booth": "网店“云智教育专营店”", "platform_link": "https://shop.example.com/item/6523419087"},
    ),
    # -- Channel E: administrative injunctions --------------------------------------------------
    DemoCase(
        channel=Channel.injunction,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.exhibition,
        title="申请责令停止展出涉嫌侵犯“一种无人机折叠机臂锁紧结构”发明专利权产品的行政禁令",
        received=(29, 16, 30),
        requester="zhixing",
        respondent="lianshen",
        right=_ZHIXING_ARM,
        state=InjunctionState.served,
        channel_data={
            "urgency_facts": "被申请人在中国西部国际博览会展出LS-X9型无人机，展会三日后闭幕，"
            "不及时制止将造成难以弥补的损害。",
            "requested_measures": "责令被申请人立即撤下LS-X9型无人机展品、封存宣传资料。",
            "bond_amount": Decimal("200000.00"),
            "bond_form": "银行保函",
        },
        main_case="drone",
    ),
    DemoCase(
        channel=Channel.injunction,
        org="cd-ipo",
        actor="examiner2",
        source=CaseSource.online,
        title="申请责令停止销售涉嫌侵犯“一种低功耗蓝牙芯片的唤醒电路”发明专利权产品的行政禁令",
        received=(74, 10, 0),
        requester="ruixin",
        respondent="jike",
        right=_RUIXIN_CHIP,
        state=InjunctionState.refused,
        summary="侵权可能性需技术比对方能判断，不符合情况紧急的条件，驳回申请。",
        channel_data={
            "urgency_facts": "“双十一”促销期间被申请人将大量销售GK-BLE5蓝牙模组。",
            "requested_measures": "责令被申请人停止销售GK-BLE5蓝牙模组。",
            "bond_amount": Decimal("500000.00"),
            "bond_form": "现金",
        },
        closed_after_days=2,
        main_case="chip",
    ),
    DemoCase(
        channel=Channel.injunction,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.online,
        title="申请责令电商平台店铺下架涉嫌侵犯“一种智能门锁的防撬报警装置”发明专利权产品的行政禁令",
        received=(1, 17, 20),
        requester="yunjia_lock",
        respondent="hanbit",
        right=_patent(
            2020,
            1,
            1468820,
            "一种智能门锁的防撬报警装置",
            "成都云家智能锁业有限公司",
            date(2020, 12, 30),
            date(2023, 6, 6),
        ),
        state=InjunctionState.under_review,
        channel_data={
            "urgency_facts": "被申请人经电商平台集中促销，每日销量逾千件。",
            "requested_measures": "责令被申请人在电商平台下架HB-S7型智能门锁链接。",
            "bond_amount": Decimal("100000.00"),
            "bond_form": "保险公司保函",
        },
    ),
]


# -- loading ----------------------------------------------------------------------------------


def seed_demo() -> int:
    """Load the demo organisations, accounts and cases; return the number of cases, or 0 if the
    demo organisations already exist. Flushes only: the caller commits."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.code.in_(DEMO_ORG_CODES)).limit(1)):
        return 0
    now = clock.now()
    orgs = _create_organisations(clock.today())
    users = _create_users(orgs)
    _create_pool_profiles(users, clock.today())
    opened: dict[str, Case] = {}
    # In order of receipt, as at a real front desk: numbers then rise with time, and a case
    # referred from another exists before the case it was referred to.
    for index, spec in sorted(enumerate(_CASES), key=lambda item: (-item[1].received[0], item[1].received[1:])):
        opened[spec.key or str(index)] = _open_case(spec, orgs, users, opened, now)
    _classify_rights(opened.values())
    db.session.flush()
    return len(opened)


def _create_organisations(today: date) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in _ORGANISATIONS:
        data = dict(spec)
        parent = data.pop("parent", None)
        if window := data.pop("exhibition", None):
            data["exhibition_starts_on"] = today + timedelta(days=window[0])
            data["exhibition_ends_on"] = today + timedelta(days=window[1])
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


def _open_case(
    spec: DemoCase, orgs: dict[str, Organisation], users: dict[str, User], opened: dict[str, Case], now: datetime
) -> Case:
    received_at = _received_at(spec.received, now)
    right = dict(spec.right)
    if right["right_type"] == RightType.patent:
        # the register extract (专利登记簿副本) is dated shortly before filing, as [85]14 expects
        right["status_checked_on"] = clock.to_local(received_at).date() - timedelta(days=3)
    actor = users[spec.actor]
    case = ops.open_case(
        channel=spec.channel,
        organisation=orgs[spec.org],
        actor=actor,
        source=spec.source,
        title=spec.title,
        received_at=received_at,
        summary=spec.summary,
        jurisdiction_basis=spec.jurisdiction,
        channel_data=spec.channel_data,
        parties=[
            {"role": PartyRole.requester, **_PARTIES[spec.requester]},
            {"role": PartyRole.respondent, **_PARTIES[spec.respondent]},
        ],
        rights=[right],
    )
    _backdate(case, start=0, at=received_at, step=timedelta(seconds=20), now=now)

    docketed_at = None
    if spec.docketed_after_days:
        docketed_at = min(received_at + timedelta(days=spec.docketed_after_days), now - timedelta(minutes=20))
    staffed_at = min(docketed_at or received_at + timedelta(hours=2), now)
    first_new = len(case.timeline)
    if spec.panel:
        leader, *members = spec.panel
        ops.assign_staff(case, users[leader], AssignmentRole.panel_leader, actor=users["director"])
        for username in members:
            ops.assign_staff(case, users[username], AssignmentRole.panel_member, actor=users["director"])
    if spec.expert:
        ops.assign_staff(case, users["expert"], AssignmentRole.tech_investigator, actor=users["director"])
    for role, agent in spec.agents:
        ops.add_agent(case.parties_in(role)[0], _AGENTS[agent], actor=actor)
    _backdate(case, start=first_new, at=staffed_at, step=timedelta(minutes=5), now=now)
    if spec.party_account:
        case.requesters[0].user = users["party"]

    # States are set last: the operations above refuse to touch a closed case.
    defn = get_channel(spec.channel)
    state = defn.states(spec.state)
    case.state = state.value
    case.docketed_at = docketed_at
    _replay_deadlines(case, state in defn.closed_states, actor=actor, docketed_at=docketed_at, now=now)
    if state in defn.closed_states:
        closed_after = timedelta(days=spec.closed_after_days or 1)
        case.closed_at = max(min(received_at + closed_after, now - timedelta(minutes=10)), docketed_at or received_at)
    if spec.referred_from:
        case.referred_from_id = opened[spec.referred_from].id
    if spec.main_case:
        case.main_case_id = opened[spec.main_case].id  # type: ignore[attr-defined]
    _step_details(case, actor=actor, now=now)
    return case


def _step_details(case: Case, *, actor: User, now: datetime) -> None:
    """What the steps the state says were taken would have recorded: the sessions held and the
    agreement of a mediation, the measures taken on site, the injunction as granted."""
    from ipcase.channels.injunctions.states import expiry_day
    from ipcase.channels.mediation.models import MediationSession
    from ipcase.channels.mediation.states import FollowUp, SessionOutcome
    from ipcase.channels.stations.models import StationMeasure
    from ipcase.channels.stations.states import OnSiteMeasure

    start = case.docketed_at or case.received_at
    end = min(case.closed_at or now, now)

    def between(hours: float) -> datetime:
        return max(min(start + timedelta(hours=hours), end - timedelta(minutes=30)), start)

    if case.channel == Channel.mediation and case.docketed_at is not None:
        held = between(24 * 7)
        agreed = case.state in {MediationState.agreement_reached, MediationState.confirmation_pending}
        agreed = agreed or case.state == MediationState.closed_agreed
        adjourned = case.state == MediationState.in_session
        outcome = SessionOutcome.adjourned if adjourned else SessionOutcome.agreement_in_principle
        if case.state == MediationState.closed_failed:
            outcome = SessionOutcome.failed
        if case.state != MediationState.docketed:
            case.sessions.append(  # type: ignore[attr-defined]
                MediationSession(
                    held_at=held,
                    place=case.organisation.address or case.organisation.name,
                    requester_present=True,
                    respondent_present=True,
                    outcome=outcome,
                    next_session_at=now + timedelta(days=5) if adjourned else None,
                    recorded_by_id=actor.id,
                )
            )
        if agreed:
            claimed = case.claimed_amount or Decimal("0")  # type: ignore[attr-defined]
            case.agreed_at = between(24 * 7 + 2)  # type: ignore[attr-defined]
            case.agreed_amount = (claimed * Decimal("0.6")).quantize(Decimal("0.01"))  # type: ignore[attr-defined]
            case.payment_due_on = clock.to_local(case.agreed_at).date() + timedelta(days=30)  # type: ignore[attr-defined]
            case.instalments = 1  # type: ignore[attr-defined]
            case.agreement_terms = "被请求人停止制造、销售涉案产品，并销毁库存。"  # type: ignore[attr-defined]
            case.enforcement_undertaking = True  # type: ignore[attr-defined]
            if case.mediation_type == MediationType.arbitral:  # type: ignore[attr-defined]
                case.follow_up, case.follow_up_body = FollowUp.arbitral_award, "成都仲裁委员会"  # type: ignore[attr-defined]
            elif case.state != MediationState.agreement_reached:
                case.follow_up, case.follow_up_body = FollowUp.judicial_confirmation, "成都市中级人民法院"  # type: ignore[attr-defined]
            if case.state == MediationState.closed_agreed and case.follow_up:  # type: ignore[attr-defined]
                case.follow_up_result_no = "（2026）川01民特46号"  # type: ignore[attr-defined]
    elif case.channel == Channel.station and case.state in {StationState.measures_taken, StationState.resolved}:
        exhibition = case.organisation.host_type == HostType.exhibition
        kinds = (
            (OnSiteMeasure.withdraw_exhibits, OnSiteMeasure.seal_materials)
            if exhibition
            else (OnSiteMeasure.stop_sales,)
        )
        for kind in kinds:
            case.measures.append(  # type: ignore[attr-defined]
                StationMeasure(
                    kind=kind,
                    items=f"{case.booth}涉案商品及宣传资料",  # type: ignore[attr-defined]
                    respondent_complied=True,
                    taken_at=between(3),
                    recorded_by_id=actor.id,
                )
            )
    elif case.channel == Channel.injunction and case.state in {
        InjunctionState.granted,
        InjunctionState.served,
        InjunctionState.review_pending,
        InjunctionState.lifted,
        InjunctionState.expired,
    }:
        case.granted_at = between(20)  # type: ignore[attr-defined]
        case.ordered_measures = case.requested_measures  # type: ignore[attr-defined]
        case.duration_days = 90  # type: ignore[attr-defined]
        case.expires_on = expiry_day(clock.to_local(case.granted_at).date(), 90)  # type: ignore[attr-defined]


#: what the deadline started at intake waits for, and the states in which it is still running
_INTAKE_DEADLINE: dict[Channel, tuple[str, frozenset[str]]] = {
    Channel.adjudication: ("docketed", frozenset({AdjudicationState.received, AdjudicationState.deficient})),
    Channel.mediation: ("notice_served", frozenset({MediationState.received})),
    Channel.station: ("forwarded", frozenset({StationState.received, StationState.incomplete})),
    Channel.injunction: ("decided", frozenset({InjunctionState.received, InjunctionState.under_review})),
}
#: states in which the intake period waits for the party to complete its material, and why
_AWAITING_CORRECTION: dict[str, str] = {
    AdjudicationState.deficient: "请求书需补正，补正后重新计算立案审查期限（[85]16）",
    StationState.incomplete: "投诉材料不全，补充完整后重新计算移交期限（[EXPO]9、11）",
}
#: adjudication states in which the request has been served on the respondent
_SERVED = frozenset(
    {
        AdjudicationState.served,
        AdjudicationState.defence_period,
        AdjudicationState.evidence,
        AdjudicationState.hearing_scheduled,
        AdjudicationState.heard,
        AdjudicationState.suspended,
        AdjudicationState.deliberation,
        AdjudicationState.closing_approval,
    }
)


def _replay_deadlines(case: Case, is_closed: bool, *, actor: User, docketed_at: datetime | None, now: datetime) -> None:
    """Bring the deadlines intake started in line with the state the case was put in, through the
    deadline operations: a step the state says is done must not be left running, or the sweep
    would report demo cases as overdue."""
    purpose, pending = _INTAKE_DEADLINE[case.channel]
    if case.state not in pending:
        done = docketed_at or min(case.received_at + timedelta(hours=20), now)
        _as_of(case, done, now, lambda: meet_deadlines(case, purpose, actor=actor, at=done))
    if reason := _AWAITING_CORRECTION.get(case.state):
        noticed = min(case.received_at + timedelta(hours=2), now)
        open_deadlines = sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
        for deadline in db.session.scalars(open_deadlines).all():
            _as_of(case, noticed, now, lambda d=deadline: cancel_deadline(d, actor=actor, reason=reason))
    if case.channel != Channel.adjudication or docketed_at is None or is_closed:
        return
    # the 3-month time limit ([85]37) and the 5-working-day service period run from docketing
    _as_of(case, docketed_at, now, lambda: fire(case, "docketed", at=docketed_at, actor=actor))
    if case.state in _SERVED:
        served = min(docketed_at + timedelta(days=2), now)
        _as_of(case, served, now, lambda: meet_deadlines(case, "request_served", actor=actor, at=served))
        if case.state == AdjudicationState.defence_period:
            # 15 days, or 30 for a respondent without a domicile in China ([85]22)
            abroad = any(not p.has_domestic_domicile for p in case.respondents)
            event = "request_served_abroad" if abroad else "request_served"
            _as_of(case, served, now, lambda: fire(case, event, at=served, actor=actor))
    if case.state == AdjudicationState.suspended:
        first_day = clock.to_local(docketed_at).date() + timedelta(days=12)
        reason = "涉案专利无效宣告请求已获受理（[85]28）"
        _as_of(
            case,
            clock.from_local(datetime.combine(first_day, time(10))),
            now,
            lambda: start_exclusion(case, ExclusionKind.suspension, first_day, actor=actor, reason=reason),
        )


def _as_of(case: Case, when: datetime, now: datetime, action: Callable[[], Any]) -> None:
    """Run a deadline operation and date the timeline entries it writes at ``when``."""
    first_new = len(case.timeline)
    action()
    _backdate(case, start=first_new, at=when, step=timedelta(minutes=1), now=now)


def _received_at(received: tuple[int, int, int], now: datetime) -> datetime:
    days_ago, hour, minute = received
    day = clock.to_local(now).date() - timedelta(days=days_ago)
    at = clock.from_local(datetime.combine(day, time(hour, minute)))
    # a case "received today at 09:10" must not lie in the future when the demo is loaded at dawn
    return min(at, now - timedelta(minutes=30))


def _backdate(case: Case, *, start: int, at: datetime, step: timedelta, now: datetime) -> None:
    """Date the timeline entries from ``start`` on as if written when the step happened, not at
    seeding time, so the demo timeline reads like a real file."""
    for offset, entry in enumerate(case.timeline[start:]):
        entry.at = min(at + offset * step, now)


# -- expert and mediator pools ----------------------------------------------------------------

#: IPC classes of the demo patents, so the pools suggest candidates of the field
_TRANSFORMER_DIGITS = "201811215573"
_IPC_BY_NUMBER = {
    _TIANFU_CHAIR["number"]: "A47C 4/04",
    _RUIXIN_CHIP["number"]: "H04W 52/02",
    _ZHIXING_ARM["number"]: "B64C 1/30",
    f"ZL{_TRANSFORMER_DIGITS}.{patent_check_char(_TRANSFORMER_DIGITS)}": "H01F 27/08",
}


def _create_pool_profiles(users: dict[str, User], today: date) -> None:
    """The expert in the technical-investigator and expert pools, with declarations that the
    recusal check ([85]5) reads: a former employer (a warning on the drone case) and a patent
    examined before (a refusal on the hot-pot packaging case); the mediator in the mediator pool."""
    from ipcase.pools import operations as pools

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
        {"kind": "examiner_of_patent", "counterpart": _HOTPOT_BOX["number"], "note": "国知局审查协作中心借调期间"},
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


def _classify_rights(cases: Any) -> None:
    for case in cases:
        for right in case.rights:
            right.ipc_class = _IPC_BY_NUMBER.get(right.number, right.ipc_class)
