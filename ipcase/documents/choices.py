"""The choices whose value a document prints: for each, (value, the label staff see in their
language, the official Chinese wording the document prints). The forms offer them
(``documents.forms``, ``documents.channel_forms``) and the snapshot extras print their Chinese
(``documents.snapshots``); neither imports the other for them. A table of data."""

from typing import Any

from flask_babel import lazy_gettext as _l


def zh(table: list[tuple[str, Any, str]]) -> dict[str, str]:
    """value → the Chinese wording printed on the document."""
    return {v: text_zh for v, _lab, text_zh in table}


# -- adjudication (domain.md §2, §7) ------------------------------------------------------------

REFUSAL_GROUNDS: list[tuple[str, Any, str]] = [
    ("not_right_holder", _l("Not the patentee or an interested party"), "请求人不是专利权人或者利害关系人"),
    ("no_respondent", _l("No definite respondent"), "没有明确的被请求人"),
    ("no_claims", _l("No definite claims, facts or reasons"), "没有明确的请求事项和具体事实、理由"),
    ("outside_jurisdiction", _l("Outside the office's remit or jurisdiction"), "不属于本部门受案范围和管辖"),
    ("in_court", _l("A party has sued in court or another forum was agreed"), "当事人已就该专利侵权纠纷向人民法院起诉"),
    ("not_cured", _l("Deficiencies not corrected in time"), "请求人未在指定期限内补正或者补正后仍不符合要求"),
    ("other", _l("Other"), "其他不符合受理条件的情形"),
]


SUSPENSION_GROUNDS: list[tuple[str, Any, str]] = [
    (
        "invalidation",
        _l("Invalidation of the utility model or design accepted (无效宣告)"),
        "被请求人已就涉案实用新型或者外观设计专利权提出无效宣告请求，国家知识产权局已受理",
    ),
    ("death", _l("A party died and the heirs are undecided"), "一方当事人死亡，需要等待继承人表明是否参加处理"),
    ("incapacity", _l("Incapacity without a legal representative yet"), "一方当事人丧失行为能力，尚未确定法定代理人"),
    (
        "terminated",
        _l("A party terminated without a successor"),
        "作为一方当事人的法人或者非法人组织终止，尚未确定权利义务承继者",
    ),
    ("force_majeure", _l("Force majeure"), "一方当事人因不可抗拒的事由，不能参加处理"),
    ("other_case", _l("Depends on another pending case"), "本案必须以另一案的审理结果为依据，而另一案尚未审结"),
    ("awaiting_reply", _l("Awaiting a superior's reply on a point of law"), "需要等待上级机关对法律适用问题的答复"),
]


RESUMPTION_GROUNDS: list[tuple[str, Any, str]] = [
    ("invalidation_decided", _l("Invalidation decided"), "国家知识产权局已就无效宣告请求作出审查决定"),
    ("invalidation_withdrawn", _l("Invalidation request withdrawn"), "无效宣告请求已撤回"),
    ("cause_ended", _l("The cause of the suspension ended"), "中止处理的原因已经消除"),
]


OUTCOMES: list[tuple[str, Any, str]] = [
    ("decision", _l("Adjudication decision"), "作出行政裁决"),
    ("mediation", _l("Mediation agreement"), "以调解协议结案"),
    ("cancellation", _l("Cancellation of the case"), "撤销案件"),
]


CANCELLATION_GROUNDS: list[tuple[str, Any, str]] = [
    ("inadmissible", _l("Not admissible after all"), "立案后发现不符合受理条件"),
    ("withdrawn", _l("Request withdrawn"), "请求人撤回处理请求"),
    (
        "deemed_withdrawn",
        _l("Treated as withdrawn (requester absent from the hearing)"),
        "请求人无正当理由拒不参加口头审理，按撤回请求处理",
    ),
    (
        "requester_gone",
        _l("Requester dead or dissolved with no successor"),
        "请求人死亡或者终止，没有继承人或者权利义务承受人",
    ),
    (
        "respondent_gone",
        _l("Respondent dead or dissolved with no estate"),
        "被请求人死亡或者终止，没有遗产或者权利义务承受人",
    ),
    ("claims_unclear", _l("Requester will not say which claims are asserted"), "经告知后请求人仍不明确主张的权利要求"),
    ("limitation", _l("Limitation defence upheld"), "被请求人的时效抗辩成立"),
    ("other", _l("Other"), "其他依法应当撤销案件的情形"),
]


# -- mediation (§3, §4) -------------------------------------------------------------------------

MEDIATION_REFUSAL_GROUNDS: list[tuple[str, Any, str]] = [
    ("declined", _l("The respondent declined mediation"), "被请求人不同意进行调解"),
    ("silent", _l("No statement within the period"), "被请求人逾期未提交意见陈述书"),
]


MEDIATION_CANCELLATION_GROUNDS: list[tuple[str, Any, str]] = [
    ("requester_absent", _l("Requester absent: treated as withdrawn"), "请求人无正当理由拒不参加调解，按撤回请求处理"),
    ("respondent_absent", _l("Respondent absent"), "被请求人无正当理由拒不参加调解"),
    ("no_agreement", _l("No agreement reached"), "双方当事人未能达成调解协议"),
    ("withdrawn", _l("Request withdrawn"), "请求人撤回调解请求"),
]


# -- injunctions (§6) ---------------------------------------------------------------------------

INJUNCTION_OUTCOMES: list[tuple[str, Any, str]] = [
    ("granted", _l("Granted"), "准予"),
    ("refused", _l("Refused"), "驳回"),
]


REVIEW_OUTCOMES: list[tuple[str, Any, str]] = [
    ("upheld", _l("Injunction upheld"), "维持原行政禁令决定"),
    ("revoked", _l("Injunction revoked"), "撤销原行政禁令决定"),
]
