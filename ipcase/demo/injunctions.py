"""Demo scenarios of administrative injunctions (domain.md §6): one granted at an exhibition and in
force, with a compliance check, linked to its main adjudication case; one refused; one under the
48-hour urgent review. ``wd`` is working days before the demo day."""

from decimal import Decimal

from ipcase.cases.enums import CaseSource, Channel
from ipcase.channels.injunctions.states import InjunctionState as S
from ipcase.demo.rights import RUIXIN_CHIP, SMART_LOCK, ZHIXING_ARM
from ipcase.demo.script import On, Scenario, step

E = Channel.injunction
IPO = "cd-ipo"

SCENARIOS: list[Scenario] = [
    Scenario(
        key="drone-injunction",
        channel=E,
        org=IPO,
        actor="examiner",
        source=CaseSource.exhibition,
        title="申请责令停止展出涉嫌侵犯“一种无人机折叠机臂锁紧结构”发明专利权产品的行政禁令",
        received=(16, "16:30"),
        requester="zhixing",
        respondent="lianshen",
        right=ZHIXING_ARM,
        state=S.served,
        channel_data={
            "urgency_facts": "被申请人在中国西部国际博览会展出LS-X9型无人机，展会三日后闭幕，"
            "不及时制止将造成难以弥补的损害。",
            "requested_measures": "责令被申请人立即撤下LS-X9型无人机展品、封存宣传资料。",
            "bond_amount": Decimal("200000.00"),
            "bond_form": "银行保函",
        },
        steps=(
            step("main_case", 16, "16:35", case="drone"),
            step("start_review", 16, "16:40"),
            step(
                "grant",
                16,
                "17:20",
                by="director",
                measures="责令被申请人立即撤下LS-X9型无人机展品、封存宣传资料，展会期间不得再行展出。",
                duration_days=90,
            ),
            step("serve", 15, "10:00"),
            step(
                "check_compliance",
                14,
                "16:00",
                checked_on=On(14),
                checked_by="张晓明、刘婷",
                complied="complied",
                findings="展位已撤下LS-X9型无人机展品，宣传资料已封存。",
            ),
        ),
    ),
    Scenario(
        key="chip-injunction",
        channel=E,
        org=IPO,
        actor="examiner2",
        source=CaseSource.online,
        title="申请责令停止销售涉嫌侵犯“一种低功耗蓝牙芯片的唤醒电路”发明专利权产品的行政禁令",
        received=(52, "10:00"),
        requester="ruixin",
        respondent="jike",
        right=RUIXIN_CHIP,
        state=S.refused,
        summary="侵权可能性需技术比对方能判断，不符合情况紧急的条件，驳回申请。",
        channel_data={
            "urgency_facts": "“双十一”促销期间被申请人将大量销售GK-BLE5蓝牙模组。",
            "requested_measures": "责令被申请人停止销售GK-BLE5蓝牙模组。",
            "bond_amount": Decimal("500000.00"),
            "bond_form": "现金",
        },
        steps=(
            step("main_case", 52, "10:20", case="chip"),
            step("start_review", 52, "10:30"),
            step(
                "refuse",
                52,
                "16:30",
                by="director",
                reason="侵权可能性需经技术比对方能判断，不符合情况紧急的条件，驳回申请。",
            ),
        ),
    ),
    Scenario(
        key="lock-injunction",
        channel=E,
        org=IPO,
        actor="examiner",
        source=CaseSource.online,
        title="申请责令电商平台店铺下架涉嫌侵犯“一种智能门锁的防撬报警装置”发明专利权产品的行政禁令",
        received=(0, "09:25"),
        requester="yunjia_lock",
        respondent="hanbit",
        right=SMART_LOCK,
        state=S.under_review,
        channel_data={
            "urgency_facts": "被申请人经电商平台集中促销，每日销量逾千件。",
            "requested_measures": "责令被申请人在电商平台下架HB-S7型智能门锁链接。",
            "bond_amount": Decimal("100000.00"),
            "bond_form": "保险公司保函",
        },
        steps=(step("start_review", 0, "09:40"),),
    ),
]
