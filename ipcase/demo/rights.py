"""The demo's rights: patents whose numbers carry a correct check digit, trademarks and works,
with the IPC classes the expert pools match on."""

from datetime import date
from typing import Any

from ipcase.cases.enums import LegalStatus, RightType
from ipcase.core.identifiers import patent_check_char


def patent(
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


def mark(reg_no: str, title: str, holder: str, granted_on: date) -> dict[str, Any]:
    return {
        "right_type": RightType.trademark,
        "number": reg_no,
        "title": title,
        "holder": holder,
        "granted_on": granted_on,
        "legal_status": LegalStatus.valid,
    }


def work(reg_no: str, title: str, holder: str, granted_on: date) -> dict[str, Any]:
    return {
        "right_type": RightType.copyright,
        "number": reg_no,
        "title": title,
        "holder": holder,
        "granted_on": granted_on,
        "legal_status": LegalStatus.valid,
    }


TIANFU_CHAIR = patent(
    2021,
    2,
    1583462,
    "一种折叠椅",
    "成都天府折叠家具有限公司",
    date(2021, 6, 18),
    date(2022, 3, 8),
    claims="权利要求1-5",
)
RUIXIN_CHIP = patent(
    2019,
    1,
    1047785,
    "一种低功耗蓝牙芯片的唤醒电路",
    "成都锐芯微电子科技有限公司",
    date(2019, 9, 2),
    date(2022, 7, 15),
    claims="权利要求1、3、6",
)
ZHIXING_ARM = patent(
    2020,
    1,
    1332906,
    "一种无人机折叠机臂锁紧结构",
    "成都智行翼无人机科技有限公司",
    date(2020, 11, 23),
    date(2023, 4, 11),
    claims="权利要求1-4",
)
HOTPOT_BOX = patent(
    2023,
    3,
    456218,
    "包装盒（火锅底料）",
    "四川川味源食品有限公司",
    date(2023, 2, 14),
    date(2023, 8, 22),
    claims="外观设计图片1-6",
)
QINGCHENG_MARK = mark(
    "第23456781号", "“青城雪芽”注册商标（第30类：茶）", "都江堰青城雪芽茶业有限公司", date(2018, 4, 7)
)
TRANSFORMER = patent(
    2018, 1, 1215573, "一种变压器散热装置", "四川岷江电气设备有限公司", date(2018, 10, 15), date(2021, 2, 2)
)
FOLDING_TABLE = patent(
    2022, 3, 298541, "折叠桌（户外）", "成都天府折叠家具有限公司", date(2022, 3, 15), date(2022, 9, 6)
)
DRYER = patent(2022, 2, 1037264, "一种多功能电动晾衣架", "张德明", date(2022, 4, 26), date(2022, 11, 15))
SMART_LOCK = patent(
    2020, 1, 1468820, "一种智能门锁的防撬报警装置", "成都云家智能锁业有限公司", date(2020, 12, 30), date(2023, 6, 6)
)
PANDA_BACKPACK = patent(
    2021, 3, 774402, "双肩包（熊猫）", "成都蜀禾箱包有限公司", date(2021, 7, 12), date(2021, 12, 28)
)
SEAT = patent(
    2021, 2, 2864115, "一种汽车座椅调节机构", "成都长源汽车零部件有限公司", date(2021, 11, 3), date(2022, 6, 14)
)
SOFTWARE = work("软著登字第9876543号", "小蜜蜂智慧课堂软件V2.0", "成都小蜜蜂教育科技有限公司", date(2022, 5, 20))

#: IPC classes of the demo patents, so the pools suggest candidates of the field
IPC_BY_NUMBER = {
    TIANFU_CHAIR["number"]: "A47C 4/04",
    RUIXIN_CHIP["number"]: "H04W 52/02",
    ZHIXING_ARM["number"]: "B64C 1/30",
    TRANSFORMER["number"]: "H01F 27/08",
}
