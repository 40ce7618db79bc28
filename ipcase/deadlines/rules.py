"""The catalogue of time limits: every period the system runs, with its legal basis.

Pure data (domain.md §2–§6, §8). ``tag`` says how sure the basis is: V verified against the rule
text, S from a secondary copy, R recalled and not verified — R rules are configurable local
assumptions and say so wherever they are shown. A rule has versions with effective dates; a
deadline keeps the version in force on the day its period started.
"""

from dataclasses import dataclass
from datetime import date

from ipcase.deadlines.calendar import Unit

#: 《专利纠纷行政裁决和调解办法》 (国家知识产权局令第81号), in force 2025-02-01
M85 = "《专利纠纷行政裁决和调解办法》"
M85_IN_FORCE = date(2025, 2, 1)

# The other instruments the catalogue cites, each with the day it took effect (domain.md §0). A rule
# carries the date of the law it cites; the certainty of each date is noted beside it.
PL = "《中华人民共和国专利法》"
#: 专利法 as amended in 2020, in force 2021-06-01 (V: the amendment's own text)
PL_IN_FORCE = date(2021, 6, 1)
IR = "《中华人民共和国专利法实施细则》"
#: 实施细则 as amended in 2023, in force 2024-01-20 (V: 国务院令第769号)
IR_IN_FORCE = date(2024, 1, 20)
BQ = "《最高人民法院关于审查知识产权纠纷行为保全案件适用法律若干问题的规定》"
#: 法释〔2018〕21号, in force 2019-01-01 (V: the interpretation's last article)
BQ_IN_FORCE = date(2019, 1, 1)
TI = "《最高人民法院关于技术调查官参与知识产权案件诉讼活动的若干规定》"
#: 法释〔2019〕2号, in force 2019-05-01 (V: the interpretation's last article)
TI_IN_FORCE = date(2019, 5, 1)
G78 = "《专利侵权纠纷行政裁决办案指南》"
#: 国知发保字〔2019〕57号: domain.md gives the year only; 2019-01-01 is the earliest day of that year
#: (R: the day is an assumption, the year is the document number's)
G78_IN_FORCE = date(2019, 1, 1)
M68 = "《重大专利侵权纠纷行政裁决办法》"
#: 国家知识产权局公告 of 2021: domain.md gives the year only (R: the day, 2021-05-26, from memory)
M68_IN_FORCE = date(2021, 5, 26)
EXPO = "《展会知识产权保护办法》"
#: 商务部等 2006年第1号, in force 2006-03-01 (S: third-party copies agree on the date)
EXPO_IN_FORCE = date(2006, 3, 1)
#: 《展会知识产权保护指引》: issuer and date not verified (R: assumed no earlier than [EXPO])
EXPO_G_IN_FORCE = EXPO_IN_FORCE
#: 《中华人民共和国人民调解法》, in force 2011-01-01 (S: the law's last article, quoted)
PMED_IN_FORCE = date(2011, 1, 1)
#: 《行政执法机关移送涉嫌犯罪案件的规定》 as revised by 国务院令第730号, 2020-08-07 (R: from memory)
CRIME_REFERRAL_IN_FORCE = date(2020, 8, 7)
#: local settings (no national rule): they apply from the day the system adopted Order 81
LOCAL_IN_FORCE = M85_IN_FORCE


@dataclass(frozen=True)
class Rule:
    id: str
    channel: str
    #: the case event that starts the period
    trigger: str
    unit: Unit
    length: int
    #: short Chinese title, e.g. 立案审查期限
    title: str
    #: instrument and article, in Chinese
    basis: str
    tag: str
    effective_from: date = M85_IN_FORCE
    #: may an organisation set its own length (local assumptions, minimums)
    is_configurable: bool = False
    #: what meets the period, e.g. the case docketed
    purpose: str = ""
    #: the longest extension a director may approve, in the rule's unit (0: none)
    director_extension: int = 0
    #: the longest further extension a superior office may approve (0: none)
    superior_extension: int = 0
    #: how the extension is measured, when not in the rule's own unit
    extension_unit: Unit | None = None
    #: periods that excluded time (suspension, appraisal …) pushes back ([85]37)
    is_pausable: bool = False
    #: runs for the party (a window to act), not for the office
    is_party_period: bool = False
    #: the party roles for which the period runs once per party, each from the service on that
    #: party (A16: "within 15 days of receiving the decision"); empty: once for the case
    per_party: frozenset[str] = frozenset()
    #: who decides an extension requested at the first level: "director", or "panel_leader" (the
    #: case's panel leader, e.g. the defence period, A4: reasons and the 合议组's approval)
    extension_approver: str = "director"
    #: the case attribute holding the day the period ends (the agreement's payment date, the
    #: injunction's expiry): the length is counted from the trigger to that day, and a case
    #: without that day does not start the period
    due_date_field: str = ""
    #: starts when that rule's period ends unmet, from its last instant (B4': 5 WD from the
    #: expiry of the respondent's statement period; [85]80: the right holder's 6 months after
    #: the office's 3)
    follows: str = ""
    #: False: information shown to staff (the 3-year limitation), never a clock on a case
    is_clock: bool = True
    #: the act must come at least ``length`` before the trigger's day (ask to reschedule 3 days
    #: before the hearing): checked by the step, not a clock
    counts_back: bool = False

    @property
    def runs_for_party(self) -> bool:
        """A window for a party to act (defence, evidence, recusal, lawsuit …), not the office's
        own period: a deciding step may not cut it short (``channels.workflow.party_period_cut_short``)."""
        return self.is_party_period or bool(self.per_party)


#: the parties that receive a document and each get their own period from its service
RESPONDENTS = frozenset({"respondent"})
REQUESTERS = frozenset({"requester"})
ALL_PARTIES = frozenset({"requester", "respondent", "third_party"})

#: the longest extension of the defence period the panel may grant (R: [85]22 gives no figure)
DEFENCE_EXTENSION_DAYS = 15


RULES: tuple[Rule, ...] = (
    # -- adjudication (§2) ----------------------------------------------------------------------
    Rule(
        "adj.docket",
        "adjudication",
        "request_received",
        Unit.working_days,
        5,
        "立案审查期限",
        f"{M85}第二十条",
        "V",
        purpose="docketed",
        director_extension=5,
    ),
    Rule(
        "adj.cure",
        "adjudication",
        "deficiency_notified",
        Unit.days,
        15,
        "补正期限（补正通知书指定）",
        f"{M85}第十六条",
        "V",
        is_configurable=True,
        purpose="request_received",
        is_party_period=True,
        per_party=frozenset({"requester"}),
    ),
    Rule(
        "adj.serve_request",
        "adjudication",
        "docketed",
        Unit.working_days,
        5,
        "送达请求书副本期限",
        f"{M85}第二十二条",
        "V",
        purpose="request_served",
    ),
    Rule(
        "adj.defence",
        "adjudication",
        "request_served",
        Unit.days,
        15,
        "答辩期限",
        f"{M85}第二十二条",
        "V",
        purpose="defence_received",
        is_party_period=True,
        per_party=RESPONDENTS,
        # A4: an extension needs reasons and the panel's approval; [85]22 sets no cap, the
        # 15 days are a local assumption (R)
        director_extension=DEFENCE_EXTENSION_DAYS,
        extension_unit=Unit.days,
        extension_approver="panel_leader",
    ),
    Rule(
        "adj.defence_abroad",
        "adjudication",
        "request_served_abroad",
        Unit.days,
        30,
        "答辩期限（被请求人在中国境内无经常居所或营业所）",
        f"{M85}第二十二条",
        "V",
        purpose="defence_received",
        is_party_period=True,
        per_party=RESPONDENTS,
        # A4: an extension needs reasons and the panel's approval; [85]22 sets no cap, the
        # 15 days are a local assumption (R)
        director_extension=DEFENCE_EXTENSION_DAYS,
        extension_unit=Unit.days,
        extension_approver="panel_leader",
    ),
    Rule(
        "adj.forward_defence",
        "adjudication",
        "defence_received",
        Unit.working_days,
        5,
        "转送答辩书期限",
        f"{M85}第二十二条",
        "V",
        purpose="defence_forwarded",
    ),
    Rule(
        "adj.jurisdiction_objection",
        "adjudication",
        "jurisdiction_objection_received",
        Unit.working_days,
        5,
        "管辖权异议审查期限",
        f"{M85}第九条",
        "V",
        purpose="objection_decided",
    ),
    Rule(
        "adj.recusal_application",
        "adjudication",
        "officials_notified",
        Unit.working_days,
        3,
        "申请回避期限",
        f"{M85}第五条",
        "V",
        purpose="recusal_applied",
        is_party_period=True,
    ),
    Rule(
        "adj.evidence_period",
        "adjudication",
        "evidence_notice_received",
        Unit.days,
        15,
        "举证期限（不少于15日）",
        f"{M85}第五十四条",
        "V",
        is_configurable=True,
        purpose="evidence_closed",
        is_party_period=True,
    ),
    Rule(
        "adj.preservation_decision",
        "adjudication",
        "preservation_requested",
        Unit.days,
        7,
        "登记保存决定期限",
        f"{M85}第四十九条",
        "V",
        purpose="preservation_decided",
    ),
    Rule(
        "adj.time_limit",
        "adjudication",
        "docketed",
        Unit.months,
        3,
        "办案期限（结案）",
        f"{M85}第三十七条",
        "V",
        purpose="closed",
        director_extension=1,
        superior_extension=2,
        extension_unit=Unit.months,
        is_pausable=True,
    ),
    Rule(
        "adj.publication",
        "adjudication",
        "decided",
        Unit.working_days,
        20,
        "裁决公开期限",
        f"{M85}第八十三条",
        "V",
        purpose="published",
    ),
    Rule(
        "adj.lawsuit_window",
        "adjudication",
        "decision_served",
        Unit.days,
        15,
        "提起行政诉讼期限",
        f"{PL}第六十五条",
        "V",
        effective_from=PL_IN_FORCE,
        purpose="lawsuit_filed",
        is_party_period=True,
        per_party=ALL_PARTIES,
    ),
    Rule(
        "adj.performance_demand",
        "adjudication",
        "demand_served",
        Unit.days,
        10,
        "催告后履行期限",
        f"{M85}第八十条",
        "V",
        purpose="performed",
        is_party_period=True,
        per_party=RESPONDENTS,
    ),
    Rule(
        "adj.enforcement_application",
        "adjudication",
        "performance_period_expired",
        Unit.months,
        3,
        "申请法院强制执行期限",
        f"{M85}第八十条",
        "V",
        purpose="enforcement_applied",
    ),
    # -- adjudication, issue 12: the rest of §2 -------------------------------------------------
    Rule(
        "adj.advisory_after_receipt",
        "adjudication",
        "warning_demand_received",
        Unit.months,
        1,
        "咨询意见请求等待期（权利人收到书面催告之日起一个月）",
        f"{M85}第十三条",
        "V",
        purpose="warning_answered",
        # the warned person's route to an advisory opinion, not a window of the proceedings:
        # a decision on the case does not cut it short
    ),
    Rule(
        "adj.advisory_after_sending",
        "adjudication",
        "warning_demand_sent",
        Unit.months,
        2,
        "咨询意见请求等待期（书面催告发出之日起二个月）",
        f"{M85}第十三条",
        "V",
        purpose="warning_answered",
        # the warned person's route to an advisory opinion, not a window of the proceedings:
        # a decision on the case does not cut it short
    ),
    Rule(
        "adj.limitation",
        "adjudication",
        "infringement_known",
        Unit.years,
        3,
        "请求处理时效（自权利人知道或者应当知道之日起三年）",
        f"{M85}第十九条",
        "V",
        purpose="request_received",
        is_clock=False,
    ),
    Rule(
        "adj.defence_resubmission",
        "adjudication",
        "unsigned_defence_returned",
        Unit.days,
        3,
        "补交签章答辩书期限",
        f"{G78}（答辩书未签名或者盖章的补正）",
        "V",
        effective_from=G78_IN_FORCE,
        purpose="defence_received",
        is_party_period=True,
        per_party=RESPONDENTS,
    ),
    Rule(
        "adj.hearing_reply",
        "adjudication",
        "hearing_notice_received",
        Unit.days,
        3,
        "口头审理回执交回期限",
        f"{G78}（口头审理通知书及回执）",
        "V",
        effective_from=G78_IN_FORCE,
        purpose="hearing_reply_received",
        is_party_period=True,
        per_party=ALL_PARTIES,
    ),
    Rule(
        "adj.reschedule_request",
        "adjudication",
        "hearing_scheduled",
        Unit.days,
        3,
        "申请变更口头审理日期期限（口头审理三日前）",
        f"{G78}（口头审理通知书）",
        "V",
        effective_from=G78_IN_FORCE,
        is_clock=False,
        counts_back=True,
    ),
    Rule(
        "adj.tech_investigator_notice",
        "adjudication",
        "tech_investigator_assigned",
        Unit.days,
        3,
        "告知当事人技术调查官期限",
        # [TI] (domain.md §8: "tell the parties within 3 days of assigning or changing one");
        # the article is not pinned down there, so none is cited
        f"参照{TI}（技术调查官的确定和告知）",
        "V",
        effective_from=TI_IN_FORCE,
        purpose="tech_investigator_notified",
    ),
    Rule(
        "adj.collect_preserved",
        "adjudication",
        "preservation_released",
        Unit.months,
        3,
        "领回登记保存物品期限",
        f"{G78}（解除证据登记保存决定书）",
        "V",
        effective_from=G78_IN_FORCE,
        purpose="preserved_items_collected",
    ),
    Rule(
        "adj.publication_of_change",
        "adjudication",
        "decision_changed_by_court",
        Unit.working_days,
        20,
        "裁决经诉讼变更后的公开期限",
        f"{M85}第八十三条",
        "V",
        purpose="change_published",
    ),
    Rule(
        "adj.rightholder_enforcement",
        "adjudication",
        "office_enforcement_lapsed",
        Unit.months,
        6,
        "权利人申请法院强制执行期限（行政机关三个月期满后六个月内）",
        f"{M85}第八十条",
        "V",
        purpose="rightholder_enforcement_applied",
        follows="adj.enforcement_application",
        is_party_period=True,
    ),
    # -- adjudication: the major (national-impact) variant, §2.3, P9 --------------------------------
    Rule(
        "adj.major_docket",
        "adjudication",
        "request_received_major",
        Unit.working_days,
        5,
        "重大案件立案审查期限",
        M68,
        "V",
        effective_from=M68_IN_FORCE,
        purpose="docketed",
        director_extension=5,
    ),
    Rule(
        "adj.major_time_limit",
        "adjudication",
        "docketed_major",
        Unit.months,
        3,
        "重大案件办案期限（变更请求或者追加当事人的，重新计算）",
        f"{M68}第二十二条",
        "V",
        effective_from=M68_IN_FORCE,
        purpose="closed",
        director_extension=1,
        # "经批准，可以合理延长": no fixed figure; the second level is capped at 2 months like
        # [85]37 until the office sets its own (R)
        superior_extension=2,
        extension_unit=Unit.months,
        is_pausable=True,
    ),
    # -- mediation (§3, §4) ---------------------------------------------------------------------
    Rule(
        "med.serve_statement_notice",
        "mediation",
        "request_received",
        Unit.working_days,
        5,
        "送达陈述意见通知书期限",
        f"{M85}第六十五条",
        "V",
        purpose="notice_served",
    ),
    Rule(
        "med.respondent_statement",
        "mediation",
        "notice_served",
        Unit.days,
        15,
        "提交意见陈述书期限",
        f"{M85}第六十五条",
        "V",
        purpose="statement_received",
        is_party_period=True,
        per_party=RESPONDENTS,
    ),
    Rule(
        "med.docket",
        "mediation",
        "statement_received",
        Unit.working_days,
        5,
        "调解立案或不予立案通知期限",
        f"{M85}第六十六条",
        "V",
        purpose="docketed",
    ),
    Rule(
        "med.ownership_time_limit",
        "mediation",
        "docketed_ownership",
        Unit.months,
        2,
        "权属纠纷调解期限",
        f"{M85}第七十条",
        "V",
        purpose="closed",
        director_extension=1,
        extension_unit=Unit.months,
    ),
    Rule(
        "med.time_limit",
        "mediation",
        "docketed",
        Unit.days,
        30,
        "调解期限（本地设定）",
        "本中心调解工作规则（本地设定，无全国性规定）",
        "R",
        effective_from=LOCAL_IN_FORCE,
        is_configurable=True,
        purpose="closed",
        director_extension=30,
        extension_unit=Unit.days,
    ),
    Rule(
        "med.judicial_confirmation",
        "mediation",
        "agreement_effective",
        Unit.days,
        30,
        "申请司法确认期限",
        "《中华人民共和国人民调解法》第三十三条",
        "S",
        effective_from=PMED_IN_FORCE,
        purpose="confirmation_applied",
        is_party_period=True,
    ),
    # -- mediation, issue 12 -----------------------------------------------------------------------
    Rule(
        "med.refusal_after_silence",
        "mediation",
        "statement_period_expired",
        Unit.working_days,
        5,
        "被请求人逾期未答复的不予立案通知期限",
        f"{M85}第六十六条",
        "V",
        purpose="refused_after_silence",
        follows="med.respondent_statement",
    ),
    Rule(
        "med.ownership_resume_request",
        "mediation",
        "ownership_agreement_effective",
        Unit.days,
        15,
        "权属纠纷达成协议后请求国家知识产权局恢复程序期限",
        f"{M85}第七十条；{IR}第一百零三条",
        "V",
        purpose="cnipa_resumption_requested",
        is_party_period=True,
    ),
    Rule(
        "med.ownership_copy_documents",
        "mediation",
        "ownership_agreement_effective",
        Unit.working_days,
        5,
        "权属纠纷结案后抄送国家知识产权局期限",
        f"{M85}第七十条",
        "V",
        purpose="documents_copied_to_cnipa",
    ),
    Rule(
        "med.cnipa_resumption",
        "mediation",
        "cnipa_suspended",
        Unit.years,
        1,
        "国家知识产权局中止程序期满自行恢复",
        f"{IR}第一百零三条",
        "V",
        effective_from=IR_IN_FORCE,
        purpose="cnipa_resumed",
    ),
    Rule(
        "med.payment_due",
        "mediation",
        "agreement_effective",
        Unit.days,
        1,
        "调解协议约定的履行（付款）日期",
        "调解协议约定（提醒，非法定期限）",
        "R",
        effective_from=LOCAL_IN_FORCE,
        is_configurable=True,
        purpose="payment_made",
        due_date_field="payment_due_on",
    ),
    # -- workstations (§5) ----------------------------------------------------------------------
    Rule(
        "sta.forward",
        "station",
        "complaint_complete",
        Unit.hours,
        24,
        "投诉材料移交期限",
        f"{EXPO}第十一条",
        "S",
        effective_from=EXPO_IN_FORCE,
        purpose="forwarded",
    ),
    Rule(
        "sta.respondent_response",
        "station",
        "respondent_notified",
        Unit.hours,
        24,
        "被投诉人答辩期限",
        "《展会知识产权保护指引》第十四条",
        "S",
        effective_from=EXPO_G_IN_FORCE,
        is_configurable=True,
        purpose="response_filed",
        is_party_period=True,
    ),
    Rule(
        "sta.transfer_after_exhibition",
        "station",
        "exhibition_closed",
        Unit.working_days,
        15,
        "展会结束后移交期限",
        "展会知识产权保护工作惯例（本地设定）",
        "R",
        effective_from=LOCAL_IN_FORCE,
        is_configurable=True,
        purpose="transferred",
    ),
    # -- injunctions (§6) -----------------------------------------------------------------------
    Rule(
        "inj.decision",
        "injunction",
        "application_received",
        Unit.hours,
        48,
        "行政禁令审查决定期限",
        "本地行政禁令工作规则（本地设定，参照民事诉讼法诉前行为保全）",
        "R",
        effective_from=LOCAL_IN_FORCE,
        is_configurable=True,
        purpose="decided",
    ),
    Rule(
        "inj.review_decision",
        "injunction",
        "review_applied",
        Unit.days,
        10,
        "复议决定期限",
        f"参照{BQ}第十四条",
        "R",
        effective_from=BQ_IN_FORCE,
        is_configurable=True,
        purpose="review_decided",
    ),
    Rule(
        "inj.review_application",
        "injunction",
        "injunction_served",
        Unit.days,
        5,
        "申请复议期限",
        f"参照{BQ}第十四条（收到裁定之日起五日内）",
        "R",
        effective_from=BQ_IN_FORCE,
        is_configurable=True,
        purpose="review_applied",
        is_party_period=True,
        per_party=RESPONDENTS,
    ),
    Rule(
        "inj.follow_on_filing",
        "injunction",
        "injunction_granted",
        Unit.days,
        30,
        "禁令后提起处理请求或者诉讼期限",
        "本地行政禁令工作规则（本地设定，参照民事诉讼法诉前行为保全三十日）",
        "R",
        effective_from=LOCAL_IN_FORCE,
        is_configurable=True,
        purpose="main_case_filed",
        is_party_period=True,
    ),
    Rule(
        "inj.renewal",
        "injunction",
        "injunction_granted",
        Unit.days,
        1,
        "申请续行期限（期限届满前七日内提出）",
        f"参照{BQ}第十三条",
        # [BQ]13 is verified for courts; applying it to an administrative injunction is an analogy
        "R",
        effective_from=BQ_IN_FORCE,
        is_configurable=True,
        purpose="renewal_requested",
        due_date_field="expires_on",
        is_party_period=True,
    ),
    # -- crime referral (§8) --------------------------------------------------------------------
    Rule(
        "ref.crime_decision",
        "any",
        "crime_suspected",
        Unit.days,
        3,
        "涉嫌犯罪案件移送审批期限",
        "《行政执法机关移送涉嫌犯罪案件的规定》第五条",
        "R",
        effective_from=CRIME_REFERRAL_IN_FORCE,
        is_configurable=True,
        purpose="referral_decided",
    ),
    Rule(
        "ref.crime_transfer",
        "any",
        "referral_approved",
        Unit.hours,
        24,
        "涉嫌犯罪案件移送期限",
        "《行政执法机关移送涉嫌犯罪案件的规定》第五条",
        "R",
        effective_from=CRIME_REFERRAL_IN_FORCE,
        is_configurable=True,
        purpose="referred",
    ),
)

_BY_ID: dict[str, list[Rule]] = {}
for _rule in RULES:
    _BY_ID.setdefault(_rule.id, []).append(_rule)


class UnknownRule(KeyError):
    pass


def get_rule(rule_id: str, on: date | None = None) -> Rule:
    """The version of ``rule_id`` in force on ``on`` (the latest version when ``on`` is None)."""
    versions = _BY_ID.get(rule_id)
    if not versions:
        raise UnknownRule(rule_id)
    ordered = sorted(versions, key=lambda r: r.effective_from)
    if on is None:
        return ordered[-1]
    in_force = [r for r in ordered if r.effective_from <= on]
    # Periods that started before the first version in the catalogue use that first version.
    return in_force[-1] if in_force else ordered[0]


def rules_for(channel: str) -> list[Rule]:
    return [r for r in RULES if r.channel in (channel, "any")]


def followers(rule_id: str) -> list[Rule]:
    """The rules that start when ``rule_id``'s period ends unmet (``Rule.follows``)."""
    return [r for r in RULES if r.follows == rule_id]
