"""The catalogue of document kinds (domain.md §7): for each, its Chinese title, the type code of
its number, its template, the form of its variable parts, its snapshot extras, its legal basis,
and what serving it sets off.

The workflows name the kinds their steps call for (``Transition.documents``); a kind the
workflows name but this catalogue lacks is shown as "not available yet" rather than failing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.deadlines.rules import M85
from ipcase.documents import forms as f
from ipcase.documents import snapshots as s

PATENT_LAW = "《中华人民共和国专利法》"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    #: the official title printed on the document
    title: str
    #: the name staff see, in their language
    label: Any
    #: type code in the document number, e.g. 裁 in 成知裁〔2026〕3号; kinds sharing a code share a counter
    code: str
    channels: frozenset[str]
    form: type[f.DocumentForm]
    #: ``rule:<id>`` (the rule's current citation) or a citation text
    basis: tuple[str, ...] = ()
    #: the kind's own snapshot parts: f(case, fields, snapshot) -> dict (periods, Chinese wording ...)
    builder: Callable[..., dict[str, Any]] | None = None
    #: template under templates/documents/pdf/ (default: the key)
    template: str = ""
    #: an internal form (审批表, 笔录): never shown to the parties
    internal: bool = False
    #: issued by the head of the office only (decisions)
    director_only: bool = False
    #: serving this document on a party in ``roles`` records ``event`` (starts its periods)
    service_event: tuple[str, frozenset[str]] | None = None
    #: may be issued for many cases at once
    batchable: bool = False
    #: may be prepared whatever steps were taken (service receipts, demands ...)
    always: bool = False
    #: generic kinds: the body text staff start from
    default_body: str = ""
    #: service by electronic means / by leaving at the address is not allowed (domain §1 P10)
    forbids: frozenset[str] = field(default_factory=frozenset)

    @property
    def template_file(self) -> str:
        return self.template or self.key


ADJ = frozenset({"adjudication"})
MED = frozenset({"mediation"})
STA = frozenset({"station"})
INJ = frozenset({"injunction"})
RESPONDENT = frozenset({"respondent"})
ANYONE = frozenset({"requester", "respondent", "third_party"})

KINDS: tuple[DocumentKind, ...] = (
    # -- adjudication ---------------------------------------------------------------------------
    DocumentKind(
        "deficiency_notice",
        "补正通知书",
        _l("Deficiency notice (补正通知书)"),
        "补",
        ADJ,
        f.DeficiencyForm,
        basis=(f"{M85}第十五条", f"{M85}第十六条"),
    ),
    DocumentKind(
        "refusal_notice",
        "不予受理通知书",
        _l("Refusal to docket (不予受理通知书)"),
        "不受",
        ADJ,
        f.RefusalForm,
        basis=(f"{M85}第十二条", "rule:adj.docket"),
        builder=s.zh_choice(f.REFUSAL_GROUNDS, "grounds"),
        director_only=True,
    ),
    DocumentKind(
        "docketing_notice",
        "受理通知书",
        _l("Docketing notice (受理通知书)"),
        "立",
        ADJ,
        f.DocketingForm,
        basis=(f"{M85}第十二条", "rule:adj.docket"),
    ),
    DocumentKind(
        "defence_notice",
        "答辩通知书",
        _l("Defence notice (答辩通知书)"),
        "答",
        ADJ,
        f.DefenceNoticeForm,
        basis=("rule:adj.defence",),
        builder=s.defence_extra,
        service_event=("request_served", RESPONDENT),
    ),
    DocumentKind(
        "hearing_notice",
        "口头审理通知书",
        _l("Hearing notice with reply slip (口头审理通知书)"),
        "审",
        ADJ,
        f.HearingForm,
        basis=(f"{M85}第二十六条", f"{M85}第二十七条"),
        builder=s.hearing_extra,
        batchable=True,
    ),
    DocumentKind(
        "suspension_notice",
        "中止处理通知书",
        _l("Suspension notice (中止处理通知书)"),
        "中",
        ADJ,
        f.SuspensionForm,
        basis=(f"{M85}第二十八条", f"{M85}第三十七条"),
        builder=s.zh_choice(f.SUSPENSION_GROUNDS, "ground"),
    ),
    DocumentKind(
        "resumption_notice",
        "恢复处理通知书",
        _l("Resumption notice (恢复处理通知书)"),
        "恢",
        ADJ,
        f.ResumptionForm,
        basis=(f"{M85}第二十八条", f"{M85}第二十九条"),
        builder=s.zh_choice(f.RESUMPTION_GROUNDS, "ground"),
    ),
    DocumentKind(
        "closing_approval_form",
        "结案审批表",
        _l("Closing approval form (结案审批表)"),
        "结审",
        ADJ,
        f.ClosingApprovalForm,
        basis=(f"{M85}第二十五条", f"{M85}第三十条"),
        builder=s.zh_choice(f.OUTCOMES, "proposed"),
        internal=True,
    ),
    DocumentKind(
        "adjudication_decision",
        "专利侵权纠纷行政裁决书",
        _l("Adjudication decision (行政裁决书)"),
        "裁",
        ADJ,
        f.DecisionForm,
        basis=(f"{M85}第三十条", f"{M85}第三十一条", f"{M85}第三十二条", "rule:adj.lawsuit_window"),
        builder=s.decision_extra,
        director_only=True,
        service_event=("decision_served", ANYONE),
        forbids=frozenset({"electronic"}),
    ),
    DocumentKind(
        "mediation_agreement",
        "调解协议书",
        _l("Mediation agreement (调解协议书)"),
        "调协",
        ADJ | MED,
        f.MediationAgreementForm,
        basis=(f"{M85}第三十五条", f"{M85}第六十九条"),
        builder=s.agreement_extra,
        forbids=frozenset({"electronic", "left_at_address"}),
    ),
    DocumentKind(
        "cancellation_decision",
        "撤销专利侵权纠纷案件决定书",
        _l("Decision to cancel the case (撤销案件决定书)"),
        "撤",
        ADJ,
        f.CancellationForm,
        basis=(f"{M85}第三十六条", "rule:adj.lawsuit_window"),
        builder=s.cancellation_extra,
        director_only=True,
    ),
    DocumentKind(
        "enforcement_application",
        "强制执行申请书",
        _l("Application for court enforcement (强制执行申请书)"),
        "执",
        ADJ,
        f.EnforcementForm,
        basis=("rule:adj.enforcement_application",),
        director_only=True,
    ),
    DocumentKind(
        "performance_demand",
        "履行催告书",
        _l("Demand for performance (催告书)"),
        "催",
        ADJ,
        f.PerformanceDemandForm,
        basis=("rule:adj.performance_demand",),
        builder=s.demand_extra,
        service_event=("demand_served", RESPONDENT),
    ),
    DocumentKind(
        "service_receipt",
        "送达回证",
        _l("Service receipt (送达回证)"),
        "送",
        ADJ | MED | INJ | STA,
        f.ServiceReceiptForm,
        basis=(f"{M85}第十条",),
        builder=s.service_receipt_extra,
        always=True,
    ),
    # -- mediation ------------------------------------------------------------------------------
    DocumentKind(
        "statement_notice",
        "陈述意见通知书",
        _l("Notice to state views (陈述意见通知书)"),
        "陈",
        MED,
        f.StatementNoticeForm,
        basis=("rule:med.respondent_statement",),
        builder=s.statement_extra,
        service_event=("notice_served", RESPONDENT),
    ),
    DocumentKind(
        "mediation_docketing_notice",
        "调解立案通知书",
        _l("Mediation docketing notice (调解立案通知书)"),
        "调立",
        MED,
        f.MediationDocketingForm,
        basis=("rule:med.docket",),
        builder=s.mediation_docketing_extra,
        batchable=True,
    ),
    DocumentKind(
        "mediation_refusal_notice",
        "不予立案通知书",
        _l("Mediation not docketed (不予立案通知书)"),
        "调不立",
        MED,
        f.MediationRefusalForm,
        basis=("rule:med.docket",),
        builder=s.zh_choice(f.MEDIATION_REFUSAL_GROUNDS, "ground"),
    ),
    DocumentKind(
        "mediation_record",
        "调解笔录",
        _l("Record of the mediation session (调解笔录)"),
        "调录",
        MED,
        f.MediationRecordForm,
        basis=(f"{M85}第六十七条",),
        builder=s.record_extra,
        internal=True,
    ),
    DocumentKind(
        "mediation_cancellation_notice",
        "撤销调解案件通知书",
        _l("Mediation cancellation notice (撤销案件通知书)"),
        "调撤",
        MED,
        f.MediationCancellationForm,
        basis=(f"{M85}第六十七条", f"{M85}第六十九条"),
        builder=s.zh_choice(f.MEDIATION_CANCELLATION_GROUNDS, "ground"),
    ),
    DocumentKind(
        "judicial_confirmation_application",
        "司法确认申请书",
        _l("Application for judicial confirmation (司法确认申请书)"),
        "司确",
        MED,
        f.ConfirmationForm,
        basis=("rule:med.judicial_confirmation",),
        builder=s.confirmation_extra,
    ),
    DocumentKind(
        "notarisation_application",
        "赋予强制执行效力公证申请书",
        _l("Application for notarisation with enforceability (公证申请书)"),
        "公证",
        MED,
        f.ConfirmationForm,
        basis=(f"{M85}第六十九条",),
    ),
    DocumentKind(
        "arbitration_agreement",
        "仲裁协议书",
        _l("Arbitration agreement (仲裁协议书)"),
        "仲",
        MED,
        f.ConfirmationForm,
        basis=("《中华人民共和国仲裁法》第十六条",),
    ),
    # -- workstations ---------------------------------------------------------------------------
    DocumentKind(
        "supplement_notice",
        "补充材料通知书",
        _l("Notice to supplement the complaint (补充材料通知书)"),
        "展补",
        STA,
        f.SupplementForm,
        basis=("《展会知识产权保护办法》第九条",),
        builder=s.supplement_extra,
    ),
    DocumentKind(
        "non_acceptance_notice",
        "投诉不予受理通知书",
        _l("Complaint not accepted (不予受理通知书)"),
        "展不受",
        STA,
        f.ReasonsNoticeForm,
        basis=("《展会知识产权保护办法》第九条",),
    ),
    DocumentKind(
        "complaint_forwarding_notice",
        "投诉材料移交函",
        _l("Complaint forwarded to the office (投诉材料移交函)"),
        "展移",
        STA,
        f.LetterForm,
        basis=("rule:sta.forward",),
    ),
    DocumentKind(
        "respondent_notice",
        "被投诉通知书",
        _l("Notice to the respondent (被投诉通知书)"),
        "展通",
        STA,
        f.RespondentNoticeForm,
        basis=("rule:sta.respondent_response",),
        builder=s.respondent_notice_extra,
    ),
    DocumentKind(
        "onsite_measures_notice",
        "现场处置通知书",
        _l("On-site measures notice (现场处置通知书)"),
        "展处",
        STA,
        f.MeasuresForm,
        basis=("rule:sta.respondent_response",),
    ),
    DocumentKind(
        "complaint_closing_notice",
        "投诉处理结果通知书",
        _l("Complaint result notice (投诉处理结果通知书)"),
        "展结",
        STA,
        f.ResultNoticeForm,
        basis=("《展会知识产权保护办法》第十五条",),
    ),
    DocumentKind(
        "referral_letter",
        "案件移送函",
        _l("Referral letter (移送函)"),
        "转",
        STA,
        f.LetterForm,
        basis=(f"{M85}第六条",),
    ),
    DocumentKind(
        "case_transfer_letter",
        "案件移交函",
        _l("Case transfer letter (案件移交函)"),
        "移",
        STA | ADJ,
        f.LetterForm,
        basis=(f"{M85}第九条",),
    ),
    # -- injunctions ----------------------------------------------------------------------------
    DocumentKind(
        "injunction_decision",
        "行政禁令决定书",
        _l("Administrative injunction decision (行政禁令决定书)"),
        "禁",
        INJ,
        f.InjunctionDecisionForm,
        basis=("rule:inj.decision",),
        builder=s.injunction_extra,
        director_only=True,
    ),
    DocumentKind(
        "review_decision",
        "行政禁令复议决定书",
        _l("Review decision (复议决定书)"),
        "禁复",
        INJ,
        f.ReviewDecisionForm,
        basis=("rule:inj.review_decision",),
        builder=s.zh_choice(f.REVIEW_OUTCOMES, "outcome"),
        director_only=True,
    ),
    DocumentKind(
        "lifting_decision",
        "解除行政禁令决定书",
        _l("Decision lifting the injunction (解除行政禁令决定书)"),
        "禁解",
        INJ,
        f.LiftingForm,
        basis=("rule:inj.decision",),
        director_only=True,
    ),
)


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
    base = f.GenericInternalForm if internal else f.GenericForm
    return DocumentKind(
        key,
        title,
        label,
        code,
        ADJ,
        f.generic_form(base, body),
        basis=basis,
        template=template or ("generic_record" if internal else "generic_notice"),
        internal=internal,
        director_only=director_only,
        service_event=service_event,
    )


def _item_list(key: str, title: str, label: Any, code: str, basis: tuple[str, ...]) -> DocumentKind:
    return DocumentKind(key, title, label, code, ADJ, f.ItemListForm, basis=basis, template="generic_list")


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
KINDS = KINDS + GENERIC_KINDS

BY_KEY: dict[str, DocumentKind] = {k.key: k for k in KINDS}


def get_kind(key: str) -> DocumentKind | None:
    return BY_KEY.get(key)


def kinds_for(channel: str) -> list[DocumentKind]:
    return [k for k in KINDS if channel in k.channels]


def document_code(kind: DocumentKind) -> str:
    """The kind's type code, or the one configured in ``DOCUMENT_CODES``."""
    from flask import current_app

    return current_app.config.get("DOCUMENT_CODES", {}).get(kind.key, kind.code)
