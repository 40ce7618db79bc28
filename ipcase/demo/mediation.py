"""Demo scenarios of mediation (domain.md §3, §4): court-delegated and court-entrusted mediation,
people's, commercial and arbitral mediation at the linkage centre, and administrative mediation
of damages at the office — from a request just received to an agreement judicially confirmed.
``wd`` is working days before the demo day; ``{year}`` in a text is the year of its day."""

from decimal import Decimal

from ipcase.cases.enums import CaseSource, Channel, PartyRole
from ipcase.cases.mediation_terms import MediationType
from ipcase.channels.mediation.states import MediationState as S
from ipcase.demo.rights import (
    DRYER,
    FOLDING_TABLE,
    PANDA_BACKPACK,
    QINGCHENG_MARK,
    RUIXIN_CHIP,
    SOFTWARE,
    TIANFU_CHAIR,
)
from ipcase.demo.script import At, On, Scenario, step

M = Channel.mediation
CENTRE = "cd-med"
ROOM = "成都知识产权仲调衔接中心第二调解室（武侯区人民南路三段17号）"


def _consent(served: int, stated: int, docketed: int) -> tuple:
    """The notice to state views served, the respondent's consent, docketing with the mediator
    already on the case ([85]65–66)."""
    return (
        step("serve_notice", served, "10:00"),
        step("receive_statement", stated, "15:00"),
        step("docket", docketed, "10:00"),
    )


def _session(wd: int, at: str, outcome: str, **extra: object) -> object:
    return step(
        "hold_session",
        wd,
        "17:00",
        held_at=At(wd, at),
        place=ROOM,
        requester_present=True,
        respondent_present=True,
        outcome=outcome,
        **extra,
    )


SCENARIOS: list[Scenario] = [
    Scenario(
        key="table-mediation",
        channel=M,
        org=CENTRE,
        actor="mediator",
        source=CaseSource.court_delegation,
        title="侵害外观设计专利权纠纷（诉前委派调解）",
        received=(72, "10:30"),
        requester="tianfu",
        respondent="jincheng_furniture",
        right=FOLDING_TABLE,
        state=S.closed_agreed,
        summary="成都市中级人民法院诉前委派调解，双方达成调解协议并申请司法确认。",
        channel_data={
            "mediation_type": MediationType.court_delegated,
            "claimed_amount": Decimal("300000.00"),
            "referring_court_case_no": "（{year}）川01知民诉前调218号",
        },
        steps=(
            *_consent(71, 67, 65),
            _session(60, "09:30", "progress", next_session_at=At(55, "14:00")),
            _session(55, "14:00", "agreement_in_principle"),
            step(
                "reach_agreement",
                54,
                "11:00",
                amount=Decimal("180000.00"),
                terms="被请求人停止制造、销售涉案折叠桌，并销毁库存。",
                due_on=On(54, 30),
                instalments=1,
                enforcement_undertaking=True,
            ),
            step(
                "apply_confirmation",
                52,
                "10:00",
                court="成都市中级人民法院",
                court_case_no="（{year}）川01民特46号",
            ),
            step("follow_up_completed", 40, "15:00", number="（{year}）川01民特46号民事裁定书", issued_on=On(41)),
        ),
    ),
    Scenario(
        key="tea-mediation",
        channel=M,
        org=CENTRE,
        actor="mediator",
        source=CaseSource.walk_in,
        title="侵害商标权纠纷（“青城雪芽”）",
        received=(22, "09:50"),
        requester="qingcheng",
        respondent="li_tea",
        right=QINGCHENG_MARK,
        state=S.in_session,
        channel_data={"mediation_type": MediationType.peoples, "claimed_amount": Decimal("50000.00")},
        steps=(
            *_consent(21, 16, 12),
            _session(8, "14:30", "adjourned", next_session_at=At(-3, "14:30")),
        ),
    ),
    Scenario(
        key="licence-mediation",
        channel=M,
        org=CENTRE,
        actor="mediator",
        source=CaseSource.walk_in,
        title="专利实施许可合同纠纷（许可使用费）",
        received=(36, "14:00"),
        requester="ruixin",
        respondent="dayu_tech",
        right=RUIXIN_CHIP,
        state=S.confirmation_pending,
        summary="双方依仲裁条款申请仲裁，仲裁庭先行调解，已达成协议，待制作调解书。",
        channel_data={"mediation_type": MediationType.arbitral, "claimed_amount": Decimal("1200000.00")},
        agents=((PartyRole.requester, "shuwei_law"),),
        steps=(
            *_consent(35, 31, 29),
            _session(25, "09:30", "agreement_in_principle"),
            step(
                "reach_agreement",
                24,
                "11:00",
                amount=Decimal("720000.00"),
                terms="被请求人按约定费率补缴许可使用费，双方续签许可合同。",
                due_on=On(24, 60),
                instalments=3,
                enforcement_undertaking=True,
            ),
            step(
                "apply_award",
                22,
                "10:00",
                commission="成都仲裁委员会",
                form="mediation_statement",
                arbitration_case_no="（{year}）成仲案字第1186号",
            ),
        ),
    ),
    Scenario(
        key="software-mediation",
        channel=M,
        org=CENTRE,
        actor="mediator",
        source=CaseSource.online,
        title="计算机软件著作权许可使用纠纷",
        received=(12, "16:20"),
        requester="xiaomifeng",
        respondent="yunzhi",
        right=SOFTWARE,
        state=S.docketed,
        channel_data={"mediation_type": MediationType.commercial, "claimed_amount": Decimal("180000.00")},
        steps=_consent(11, 7, 5),
    ),
    Scenario(
        key="backpack-mediation",
        channel=M,
        org=CENTRE,
        actor="mediator",
        source=CaseSource.court_delegation,
        title="侵害外观设计专利权纠纷（诉中委托调解）",
        received=(19, "10:10"),
        requester="shuhe_bags",
        respondent="tianyi_bags",
        right=PANDA_BACKPACK,
        state=S.closed_failed,
        summary="双方对赔偿数额分歧较大，调解不成，退回成都市中级人民法院审理。",
        channel_data={
            "mediation_type": MediationType.court_entrusted,
            "claimed_amount": Decimal("200000.00"),
            "referring_court_case_no": "（{year}）川01知民初1532号",
        },
        steps=(
            *_consent(19, 16, 15),
            _session(12, "09:30", "failed"),
            step(
                "mediation_failed",
                11,
                "10:00",
                reason="双方对赔偿数额分歧较大，经两次协商未能达成一致，退回成都市中级人民法院审理。",
                ground="amount",
            ),
        ),
    ),
    Scenario(
        key="chair-damages",
        channel=M,
        org="cd-ipo",
        actor="examiner",
        source=CaseSource.walk_in,
        title="“一种折叠椅”实用新型专利侵权赔偿数额纠纷",
        received=(7, "09:20"),
        requester="tianfu",
        respondent="xinda_shop",
        right=TIANFU_CHAIR,
        state=S.awaiting_statement,
        summary="行政裁决认定侵权后，请求人就赔偿数额请求行政调解（专利法第六十五条）。",
        channel_data={"mediation_type": MediationType.administrative, "claimed_amount": Decimal("80000.00")},
        agents=((PartyRole.requester, "tianfu_staff"),),
        party_account=True,
        steps=(step("serve_notice", 3, "10:00"),),
    ),
    Scenario(
        key="dryer-damages",
        channel=M,
        org="cd-ppc",
        actor="examiner2",
        source=CaseSource.online,
        title="“一种多功能电动晾衣架”实用新型专利侵权赔偿数额纠纷",
        received=(2, "15:40"),
        requester="zhang_deming",
        respondent="youjia",
        right=DRYER,
        state=S.received,
        channel_data={"mediation_type": MediationType.administrative, "claimed_amount": Decimal("60000.00")},
    ),
]
