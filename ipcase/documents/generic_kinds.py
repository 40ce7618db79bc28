"""The adjudication steps' further documents (domain.md §7, [78] forms) on the generic layouts:
a standard text staff complete (``documents.generic_forms``) or a list of items. A table of
data (the kinds with a form of their own are in ``documents.catalogue``)."""

from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.deadlines.rules import M85
from ipcase.documents import generic_forms as g
from ipcase.documents.kinds import ADJ, ANYONE, DocumentKind


def _generic(
    key: str,
    title: str,
    label: Any,
    code: str,
    basis: tuple[str, ...],
    body: str,
    *,
    internal: bool = False,
    director_only: bool = False,
    service_event: tuple[str, frozenset[str]] | None = None,
    template: str = "",
) -> DocumentKind:
    """A kind whose text staff complete from a standard body (procedural notices, records)."""
    base = g.GenericInternalForm if internal else g.GenericForm
    return DocumentKind(
        key,
        title,
        label,
        code,
        ADJ,
        g.generic_form(base, body),
        basis=basis,
        template=template or ("generic_record" if internal else "generic_notice"),
        internal=internal,
        director_only=director_only,
        service_event=service_event,
    )


def _item_list(key: str, title: str, label: Any, code: str, basis: tuple[str, ...]) -> DocumentKind:
    return DocumentKind(key, title, label, code, ADJ, g.ItemListForm, basis=basis, template="generic_list")


#: the adjudication steps' further documents (domain.md §7, [78] forms), on the generic layouts
GENERIC_KINDS: tuple[DocumentKind, ...] = (
    _generic(
        "panel_notice",
        "合议组成员告知书",
        _l("Notice of the panel members (合议组成员告知书)"),
        "合告",
        ("rule:adj.recusal_application", f"{M85}第二十条"),
        "{case_line}，本局依法组成合议组进行审理。合议组成员：{panel}。\n"
        "当事人认为上述人员与本案有利害关系或者有其他关系可能影响公正处理的，可以自知道之日起三个工作日内向本局书面申请回避，"
        "并说明理由；举行口头审理的，至迟应当在口头审理开始时提出。",
    ),
    _generic(
        "recusal_decision",
        "回避申请决定书",
        _l("Decision on the recusal application (回避决定书)"),
        "回",
        (f"{M85}第五条",),
        "{case_line}中，当事人申请有关人员回避。经审查，本局决定：\n",
        director_only=True,
    ),
    _generic(
        "jurisdiction_objection_decision",
        "管辖权异议处理决定书",
        _l("Decision on the jurisdiction objection (管辖权异议决定书)"),
        "管",
        ("rule:adj.jurisdiction_objection",),
        "{respondents}在答辩期内对本局受理的{case_line}提出管辖权异议。经审查，本局认为：\n\n本局决定：",
        director_only=True,
    ),
    _generic(
        "suspension_refusal_notice",
        "不予中止处理通知书",
        _l("Request to suspend refused (不予中止处理通知书)"),
        "不中",
        (f"{M85}第二十八条",),
        "关于{case_line}，当事人请求中止处理。经审查，该请求不符合中止处理的条件，本局决定不予中止，本案继续处理。\n理由：",
    ),
    _generic(
        "evidence_notice",
        "举证通知书",
        _l("Evidence notice (举证通知书)"),
        "举",
        ("rule:adj.evidence_period", f"{M85}第五十三条"),
        "{case_line}，请你方自收到本通知书之日起{evidence_days}日内向本局提交证据材料，并附证据材料清单。"
        "逾期提交的证据，本局可以不予采纳。确有困难需要延长举证期限的，应当在期限届满前书面申请。"
        "申请鉴定的，应当在举证期限届满前书面提出。",
        service_event=("evidence_notice_received", ANYONE),
    ),
    _generic(
        "evidence_extension_notice",
        "延长举证期限通知书",
        _l("Evidence period extended (延长举证期限通知书)"),
        "延举",
        ("rule:adj.evidence_period", f"{M85}第三十七条"),
        "关于{case_line}，你方申请延长举证期限，经审查，本局同意将举证期限延长至　　年　　月　　日。"
        "延长的期间不计入案件处理期限。",
    ),
    _generic(
        "appraisal_decision_notice",
        "鉴定申请处理通知书",
        _l("Decision on the appraisal request (鉴定申请处理通知书)"),
        "鉴通",
        (f"{M85}第五十三条", f"{M85}第三十七条"),
        "关于{case_line}中当事人提出的鉴定申请，经合议组审查，决定如下：\n",
    ),
    _generic(
        "appraisal_commission",
        "技术鉴定委托书",
        _l("Commission of a technical appraisal (技术鉴定委托书)"),
        "鉴委",
        (f"{M85}第五十三条",),
        "本局受理的{case_line}，因案件事实认定需要，现委托你单位就下列事项进行技术鉴定，"
        "并在约定期限内出具书面鉴定意见：\n鉴定事项：\n完成期限：\n鉴定意见份数：",
    ),
    _generic(
        "assistance_request",
        "协助调查取证函",
        _l("Request to another office for help with evidence (协助调查取证函)"),
        "协",
        (f"{M85}第五十条",),
        "本局在处理{case_line}过程中，需要贵单位协助调查收集下列证据，请予协助并尽快回复：\n",
    ),
    _generic(
        "preservation_decision",
        "证据登记保存决定书",
        _l("Evidence preservation decision (证据登记保存决定书)"),
        "保",
        ("rule:adj.preservation_decision",),
        "本局在处理{case_line}过程中，因证据可能灭失或者以后难以取得，经本局负责人批准，"
        "决定对证据登记保存清单所列物品予以登记保存。登记保存期间，当事人或者有关人员不得销毁、转移或者擅自处理。",
        director_only=True,
    ),
    _item_list(
        "preservation_list",
        "证据登记保存清单",
        _l("List of evidence preserved (证据登记保存清单)"),
        "保单",
        (f"{M85}第四十九条",),
    ),
    _generic(
        "preservation_release_decision",
        "解除证据登记保存决定书",
        _l("Release of preserved evidence (解除证据登记保存决定书)"),
        "解保",
        (f"{M85}第四十九条",),
        "本局对{case_line}有关证据作出的登记保存，现决定予以解除，解除的物品见解除登记保存清单。"
        "请当事人自收到本决定书之日起三个月内领回有关物品；逾期不领回的，依法处理。",
    ),
    _item_list(
        "preservation_release_list",
        "解除证据登记保存清单",
        _l("List of evidence released (解除登记保存清单)"),
        "解保单",
        (f"{M85}第四十九条",),
    ),
    _generic(
        "sampling_decision",
        "抽样取证决定书",
        _l("Sampling decision (抽样取证决定书)"),
        "抽",
        (f"{M85}第四十八条",),
        "本局在处理{case_line}过程中，决定对抽样取证清单所列物品进行抽样取证。当事人应当予以协助配合。",
    ),
    _item_list("sampling_list", "抽样取证清单", _l("Sampling list (抽样取证清单)"), "抽单", (f"{M85}第四十八条",)),
    _generic(
        "joinder_notice",
        "追加当事人通知书",
        _l("Joinder notice (追加当事人通知书)"),
        "追",
        (f"{M85}第二十三条", f"{M85}第二十四条"),
        "本局受理的{case_line}，经审查，决定追加你方为本案当事人参加处理。"
        "请你方自收到本通知书之日起十五日内提交书面意见及证据材料。",
    ),
    _generic(
        "hearing_reply_slip",
        "口头审理回执",
        _l("Hearing reply slip (口头审理回执)"),
        "审执",
        (f"{M85}第二十六条",),
        "口头审理时间：\n口头审理地点：",
        template="hearing_reply_slip",
    ),
    _generic(
        "correction_notice",
        "修改更正通知书",
        _l("Correction notice (修改更正通知书)"),
        "更",
        (f"{M85}第三十三条",),
        "本局就{case_line}作出的　　号文书存在笔误，现更正如下：\n\n更正后的文书附后，原文书相应内容以本通知为准。",
    ),
    _generic(
        "decision_revocation",
        "变更（撤销）专利侵权纠纷行政裁决决定书",
        _l("Decision changing or revoking the adjudication decision (变更/撤销决定书)"),
        "变",
        (f"{M85}第三十三条",),
        "本局就{case_line}作出的　　号行政裁决书所涉专利权，已被生效的无效宣告请求审查决定宣告无效。"
        "依照《专利纠纷行政裁决和调解办法》第三十三条的规定，决定如下：\n\n对上述行政裁决书予以变更（撤销）。已经履行或者强制执行的部分不受影响。",
    ),
    _generic(
        "preservation_approval_form",
        "证据登记保存审批表",
        _l("Evidence preservation approval form (证据登记保存审批表)"),
        "保审",
        (f"{M85}第四十九条",),
        "申请人及申请事由：\n拟登记保存的证据及存放地点：\n承办人意见：",
        internal=True,
    ),
    _generic(
        "hearing_record",
        "口头审理笔录",
        _l("Record of the oral hearing (口头审理笔录)"),
        "审录",
        (f"{M85}第二十七条",),
        "时间：\n地点：\n合议组：{panel}\n书记员：\n到庭当事人及代理人：\n审理记录：",
        internal=True,
    ),
    _generic(
        "deliberation_record",
        "合议笔录",
        _l("Record of the panel's deliberation (合议笔录)"),
        "合录",
        (f"{M85}第二十五条",),
        "合议时间：\n合议地点：\n合议组成员：{panel}\n书记员：\n合议意见：\n少数意见：",
        internal=True,
    ),
)
