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


#: the parties that receive a document and each get their own period from its service
RESPONDENTS = frozenset({"respondent"})
ALL_PARTIES = frozenset({"requester", "respondent", "third_party"})


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
        "《中华人民共和国专利法》第六十五条",
        "V",
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
        purpose="confirmation_applied",
        is_party_period=True,
    ),
    # -- workstations (§5) ----------------------------------------------------------------------
    Rule(
        "sta.forward",
        "station",
        "complaint_complete",
        Unit.hours,
        24,
        "投诉材料移交期限",
        "《展会知识产权保护办法》第十一条",
        "S",
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
        "参照《最高人民法院关于审查知识产权纠纷行为保全案件适用法律若干问题的规定》第十四条",
        "R",
        is_configurable=True,
        purpose="review_decided",
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
