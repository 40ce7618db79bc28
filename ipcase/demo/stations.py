"""Demo scenarios of the rights-protection workstations (domain.md §5): complaints at the
exhibition running now and at earlier ones, at the Hehuachi market and the software park —
forwarded within 24 hours, the respondent's 24 hours to answer, on-site measures, a complaint
referred for adjudication. ``wd`` is working days before the demo day."""

from datetime import date

from ipcase.cases.enums import CaseSource, Channel, PartyRole
from ipcase.channels.stations.states import StationState as S
from ipcase.demo.rights import HOTPOT_BOX, PANDA_BACKPACK, QINGCHENG_MARK, SOFTWARE, ZHIXING_ARM, mark, work
from ipcase.demo.script import Office, Scenario, step

D = Channel.station
EXPO = "cd-expo"


def _forwarded(wd: int, at: str, notified: str, method: str = "in_person", received_by: str = "") -> tuple:
    """Forwarded to the office ([EXPO]11) and the respondent told ([EXPO]12)."""
    return (
        step("forward", wd, at, organisation=Office("cd-ipo")),
        step("notify_respondent", wd, notified, method=method, received_by=received_by),
    )


SCENARIOS: list[Scenario] = [
    Scenario(
        key="expo-hotpot",
        channel=D,
        org=EXPO,
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“包装盒（火锅底料）”外观设计专利权投诉",
        received=(53, "13:15"),
        requester="chuanweiyuan",
        respondent="bayu",
        right=HOTPOT_BOX,
        state=S.referred,
        summary="被投诉人拒不撤展并提交不侵权说明，工作站固定证据后移交成都市知识产权局立案处理。",
        channel_data={"booth": "5号馆 5B-031"},
        steps=(
            *_forwarded(53, "13:45", "14:00", received_by="彭勇（参展商负责人）"),
            step(
                "receive_response",
                53,
                "17:00",
                position="denies",
                summary="被投诉人称包装盒系自行设计，提交了设计底稿，拒绝撤展。",
            ),
            step("refer_to_adjudication", 52, "10:00", organisation=Office("cd-ipo")),
        ),
    ),
    Scenario(
        key="expo-drone",
        channel=D,
        org=EXPO,
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“一种无人机折叠机臂锁紧结构”发明专利权投诉",
        received=(2, "10:25"),
        requester="zhixing",
        respondent="sakura",
        right=ZHIXING_ARM,
        state=S.measures_taken,
        summary="被投诉人24小时内未提交不侵权证据，经主办方协调撤下展品。",
        channel_data={"booth": "3号馆 3B-118"},
        agents=((PartyRole.requester, "jincheng_ip"),),
        steps=(
            *_forwarded(2, "10:50", "11:10", method="organiser", received_by="展会主办方客户服务部"),
            step("response_lapsed", 1, "11:30"),
            step(
                "take_measures",
                1,
                "14:00",
                reason="被投诉人在24小时内未提交书面答辩及证据（《展会知识产权保护指引》第十四条）。",
                measures=["withdraw_exhibits", "seal_materials"],
                items="3B-118展位SK-F7型折叠无人机展品2台及宣传册150份",
                respondent_complied=True,
            ),
        ),
    ),
    Scenario(
        key="expo-panda",
        channel=D,
        org=EXPO,
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“熊猫滚滚”美术作品著作权投诉",
        received=(0, "09:10"),
        requester="panda",
        respondent="hongda_hk",
        right=work(
            "国作登字-2021-F-00123456", "“熊猫滚滚”系列美术作品", "成都熊猫星球文化创意有限公司", date(2021, 3, 9)
        ),
        state=S.awaiting_response,
        channel_data={"booth": "1号馆 1C-305"},
        steps=_forwarded(0, "09:20", "09:35", method="phone", received_by="陈家豪（参展商董事）"),
    ),
    Scenario(
        key="expo-jinsha",
        channel=D,
        org=EXPO,
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“金沙太阳神鸟”注册商标专用权投诉",
        received=(0, "09:50"),
        requester="jinsha_culture",
        respondent="shunfa",
        right=mark(
            "第31245678号", "“金沙太阳神鸟”图形商标（第16类）", "成都金沙印象文化传播有限公司", date(2019, 11, 21)
        ),
        state=S.received,
        channel_data={"booth": "2号馆 2A-206"},
    ),
    Scenario(
        key="expo-tea",
        channel=D,
        org=EXPO,
        actor="station",
        source=CaseSource.exhibition,
        title="展会参展商品涉嫌侵犯“青城雪芽”注册商标专用权投诉",
        received=(45, "11:40"),
        requester="qingcheng",
        respondent="li_tea",
        right=QINGCHENG_MARK,
        state=S.resolved,
        summary="被投诉人当场承认侵权并撤下涉案茶叶礼盒。",
        channel_data={"booth": "农博馆 N-088"},
        steps=(
            *_forwarded(45, "12:00", "12:10", received_by="李国强（经营者）"),
            step("receive_response", 45, "15:00", position="admits", summary="被投诉人当场承认侵权，同意撤下礼盒。"),
            step(
                "take_measures",
                45,
                "15:30",
                reason="被投诉人承认侵权（《展会知识产权保护指引》第十四条）。",
                measures=["withdraw_exhibits"],
                items="N-088展位“青城雪芽”茶叶礼盒36盒",
                respondent_complied=True,
            ),
            step("resolve", 44, "10:00"),
        ),
    ),
    Scenario(
        key="market-hotpot",
        channel=D,
        org="cd-market",
        actor="examiner",
        source=CaseSource.workstation,
        title="市场摊位销售涉嫌侵犯“麻辣空间”注册商标专用权商品投诉",
        received=(28, "10:30"),
        requester="malakongjian",
        respondent="wang_xiaojun",
        right=mark(
            "第27654321号", "“麻辣空间”文字商标（第30类：火锅底料）", "成都麻辣空间餐饮管理有限公司", date(2019, 2, 28)
        ),
        state=S.resolved,
        summary="摊主承诺停止销售并销毁剩余包装袋。",
        channel_data={"booth": "荷花池市场二楼B区218号"},
        steps=(
            *_forwarded(28, "11:00", "11:30", received_by="王小军（摊主）"),
            step("receive_response", 28, "16:00", position="admits", summary="摊主承认销售，承诺停止销售。"),
            step(
                "take_measures",
                27,
                "10:00",
                reason="被投诉人承认侵权并同意停止销售。",
                measures=["stop_sales"],
                items="“麻辣空间”火锅底料包装袋420个及成品68袋",
                respondent_complied=True,
            ),
            step("resolve", 26, "15:00"),
        ),
    ),
    Scenario(
        key="market-backpack",
        channel=D,
        org="cd-market",
        actor="examiner2",
        source=CaseSource.workstation,
        title="市场商户销售涉嫌侵犯“双肩包（熊猫）”外观设计专利权商品投诉",
        received=(8, "14:45"),
        requester="shuhe_bags",
        respondent="hengfeng",
        right=PANDA_BACKPACK,
        state=S.incomplete,
        summary="投诉人尚未提交专利权有效的证明，已通知补充。",
        channel_data={"booth": "荷花池市场一楼A区066号"},
        steps=(step("request_supplement", 8, "15:30", reason="请补充提交专利权评价报告或专利登记簿副本（[EXPO]9）。"),),
    ),
    Scenario(
        key="park-software",
        channel=D,
        org="cd-park",
        actor="examiner",
        source=CaseSource.workstation,
        title="网络店铺销售涉嫌侵犯计算机软件著作权产品投诉",
        received=(20, "16:00"),
        requester="xiaomifeng",
        respondent="yungou",
        right=SOFTWARE,
        state=S.forwarded,
        summary="园区企业投诉电商平台店铺销售破解版软件激活码，已转成都市知识产权局。",
        channel_data={"booth": "网店“云智教育专营店”", "platform_link": "https://shop.example.com/item/6523419087"},
        steps=(step("forward", 20, "16:40", organisation=Office("cd-ipo")),),
    ),
]
