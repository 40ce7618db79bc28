"""Forms: the variable parts of each document kind (findings, reasons, order ...), service,
batches and the public verification page.

A document form's fields become ``snapshot["fields"]`` as plain data (:meth:`DocumentForm.plain`).
Choices whose value is printed carry their Chinese wording here too: the form shows the label in
the reader's language, the document prints the official Chinese text."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ipcase.cases.enums import PartyRole
from ipcase.core import clock
from ipcase.core.forms import MAX_YUAN, MultipleChoiceField, opts

TEXT_MAX = 4000
LINE_MAX = 200
#: the value of "all parties" in an addressee select
ALL_PARTIES = 0


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def text(label: Any, *, required: bool = False, description: Any = None) -> TextAreaField:
    validators = [DataRequired() if required else Optional(), Length(max=TEXT_MAX)]
    return TextAreaField(label, validators=validators, filters=[strip], description=description)


def line(label: Any, *, required: bool = False, max_length: int = LINE_MAX) -> StringField:
    validators = [DataRequired() if required else Optional(), Length(max=max_length)]
    return StringField(label, validators=validators, filters=[strip])


def day(label: Any, *, required: bool = True) -> DateField:
    return DateField(label, validators=[InputRequired() if required else Optional()])


def moment(label: Any, *, required: bool = True) -> DateTimeLocalField:
    return DateTimeLocalField(label, format="%Y-%m-%dT%H:%M", validators=[InputRequired() if required else Optional()])


def choice(label: Any, table: list[tuple[str, Any, str]]) -> SelectField:
    return SelectField(label, choices=opts([(v, lab) for v, lab, _zh in table]), validators=[InputRequired()])


def zh(table: list[tuple[str, Any, str]]) -> dict[str, str]:
    """value → the Chinese wording printed on the document."""
    return {v: text_zh for v, _lab, text_zh in table}


def _local_date(value: datetime | None) -> date | None:
    return clock.to_local(value).date() if value else None


class DocumentForm(FlaskForm):
    """The variable parts of one document kind. ``addressee`` (when a kind has one) is the party
    the document is addressed to; ``ADDRESSEE`` is the role chosen by default."""

    #: default addressee role; None: the document has no addressee field
    ADDRESSEE: PartyRole | None = None
    #: the addressee select offers "all parties"
    ALL_PARTIES_ALLOWED = False

    def prepare(self, case: Any) -> "DocumentForm":
        """Fill the choices that depend on the case (its parties, its documents)."""
        if "addressee" in self._fields:
            pairs = [(p.id, f"{p.name} ({p.role.label})") for p in case.parties]
            if self.ALL_PARTIES_ALLOWED:
                pairs.insert(0, (ALL_PARTIES, _l("All parties")))
            self.addressee.choices = opts(pairs)
        return self

    def defaults(self, case: Any) -> dict[str, Any]:
        """Initial values drawn from the case."""
        values: dict[str, Any] = {}
        if "addressee" in self._fields:
            wanted = [p for p in case.parties if p.role == self.ADDRESSEE] if self.ADDRESSEE else []
            values["addressee"] = wanted[0].id if wanted else ALL_PARTIES if self.ALL_PARTIES_ALLOWED else None
        return values

    def fill(self, values: dict[str, Any]) -> "DocumentForm":
        """Set field data from defaults or from a stored snapshot's plain values."""
        for name, value in values.items():
            if name not in self._fields or value is None:
                continue
            field = self._fields[name]
            if isinstance(field, DateTimeLocalField) and isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif isinstance(field, DateField) and isinstance(value, str):
                value = date.fromisoformat(value)
            elif isinstance(field, DecimalField) and isinstance(value, str | int | float):
                value = Decimal(str(value))
            field.data = value
        return self

    def lock(self, locked: dict[str, Any], step_label: Any) -> "DocumentForm":
        """Make the fields a step recorded read-only (``documents.steps``): a select offers only
        the recorded choice, a text or date field is read-only and says where it comes from."""
        for name, value in locked.items():
            field = self._fields.get(name)
            if field is None:
                continue
            if isinstance(field, SelectField) and not isinstance(field, SelectMultipleField):
                field.choices = [c for c in (field.choices or []) if str(_choice_value(c)) == str(value)]
            field.render_kw = {**(field.render_kw or {}), "readonly": True}
            field.description = _l("As recorded by the step “%(step)s”.", step=step_label)
        return self

    def plain(self) -> dict[str, Any]:
        """The variable parts as JSON-ready plain data."""
        found: dict[str, Any] = {}
        for name, field in self._fields.items():
            if name == "csrf_token":
                continue
            value = field.data
            if isinstance(value, datetime):
                value = value.strftime("%Y-%m-%dT%H:%M")
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = f"{value:.2f}"
            found[name] = value
        return found


def _choice_value(choice: Any) -> Any:
    return choice[0] if isinstance(choice, tuple | list) else getattr(choice, "value", choice)


def addressee_field() -> SelectField:
    return SelectField(_l("Addressed to"), coerce=int, validators=[InputRequired()])


# -- adjudication (domain.md §2, §7) ------------------------------------------------------------


class DeficiencyForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    defects = text(_l("Deficiencies, one per line (all of them: [85]16)"), required=True)
    cure_by = day(_l("Correct by"))

    def defaults(self, case: Any) -> dict[str, Any]:
        cure_by = _step_detail(case, "deficiency_notice", "cure_by")
        return super().defaults(case) | {"cure_by": cure_by or clock.today() + timedelta(days=15)}


def _step_detail(case: Any, kind_key: str, name: str) -> Any:
    """A detail the step that called for ``kind_key`` recorded (the cure date of the deficiency
    notice, the ground of a suspension or a refusal), or None."""
    from ipcase.documents.steps import latest_step

    found = latest_step(case, kind_key)
    return ((found[1].get("details") or {}).get(name) if found else None) or None


REFUSAL_GROUNDS: list[tuple[str, Any, str]] = [
    ("not_right_holder", _l("Not the patentee or an interested party"), "请求人不是专利权人或者利害关系人"),
    ("no_respondent", _l("No definite respondent"), "没有明确的被请求人"),
    ("no_claims", _l("No definite claims, facts or reasons"), "没有明确的请求事项和具体事实、理由"),
    ("outside_jurisdiction", _l("Outside the office's remit or jurisdiction"), "不属于本部门受案范围和管辖"),
    ("in_court", _l("A party has sued in court or another forum was agreed"), "当事人已就该专利侵权纠纷向人民法院起诉"),
    ("not_cured", _l("Deficiencies not corrected in time"), "请求人未在指定期限内补正或者补正后仍不符合要求"),
    ("other", _l("Other"), "其他不符合受理条件的情形"),
]


class RefusalForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    grounds = MultipleChoiceField(
        _l("Grounds (不予受理)"),
        choices=opts([(v, lab) for v, lab, _zh in REFUSAL_GROUNDS]),
        validators=[DataRequired()],
    )
    reasons = text(_l("Reasons"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        ground = _step_detail(case, "refusal_notice", "ground")
        return super().defaults(case) | ({"grounds": [ground]} if ground else {})


class DocketingForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    docketed_on = day(_l("Docketed on"))
    note = text(_l("Further notes"))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"docketed_on": _local_date(case.docketed_at) or clock.today()}


class DefenceNoticeForm(DocketingForm):
    ADDRESSEE = PartyRole.respondent


class HearingForm(DocumentForm):
    ADDRESSEE = None
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    hearing_at = moment(_l("Hearing date and time"))
    place = line(_l("Place"), required=True)
    is_online = BooleanField(_l("Online hearing"))
    bring = text(_l("What to bring"))
    is_public = BooleanField(_l("Public hearing"), default=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {
            "bring": "身份证明、授权委托书原件，证据原件及副本，专利权有效的证明",
            "place": case.organisation.address or "",
            "is_public": True,
        }


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


class SuspensionForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    ground = choice(_l("Ground (中止)"), SUSPENSION_GROUNDS)
    facts = text(_l("Facts"), required=True)
    effective_on = day(_l("Suspended from"))

    def defaults(self, case: Any) -> dict[str, Any]:
        ground = _step_detail(case, "suspension_notice", "ground")
        return super().defaults(case) | {"effective_on": clock.today()} | ({"ground": ground} if ground else {})


RESUMPTION_GROUNDS: list[tuple[str, Any, str]] = [
    ("invalidation_decided", _l("Invalidation decided"), "国家知识产权局已就无效宣告请求作出审查决定"),
    ("invalidation_withdrawn", _l("Invalidation request withdrawn"), "无效宣告请求已撤回"),
    ("cause_ended", _l("The cause of the suspension ended"), "中止处理的原因已经消除"),
]


class ResumptionForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    ground = choice(_l("Ground (恢复)"), RESUMPTION_GROUNDS)
    resumed_on = day(_l("Resumed on"))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"resumed_on": clock.today()}


OUTCOMES: list[tuple[str, Any, str]] = [
    ("decision", _l("Adjudication decision"), "作出行政裁决"),
    ("mediation", _l("Mediation agreement"), "以调解协议结案"),
    ("cancellation", _l("Cancellation of the case"), "撤销案件"),
]


class ClosingApprovalForm(DocumentForm):
    summary = text(_l("Summary of the case (案情简介)"), required=True)
    panel_opinion = text(_l("Panel's opinion (合议组意见)"), required=True)
    proposed = choice(_l("Proposed outcome"), OUTCOMES)

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"summary": case.summary or ""}


class DecisionForm(DocumentForm):
    requester_claims = text(_l("The requester's claims (请求人称)"), required=True)
    respondent_defence = text(_l("The respondent's defence (被请求人辩称)"))
    hearing_on = day(_l("Oral hearing held on"), required=False)
    findings = text(_l("Facts found (经审理查明)"), required=True)
    evidence = text(_l("Evidence relied on and comments on it"))
    reasoning = text(_l("The office's reasoning (本局认为)"), required=True)
    order = text(
        _l("Operative part (主文), one order per line"),
        required=True,
        description=_l("e.g. 被请求人立即停止制造、销售侵犯涉案专利权的产品"),
    )
    costs = line(_l("Costs, if any"))

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"requester_claims": getattr(case, "requests", "") or ""}


class MediationAgreementForm(DocumentForm):
    agreed_on = day(_l("Agreement reached on"))
    amount = DecimalField(
        _l("Compensation agreed (yuan)"),
        places=2,
        validators=[Optional(), NumberRange(min=0), NumberRange(max=MAX_YUAN)],
        description=_l("0 or empty when the agreement pays no compensation."),
    )
    due_on = day(_l("Payment due by"), required=False)
    instalments = IntegerField(_l("Number of instalments"), validators=[Optional(), NumberRange(min=1, max=120)])
    terms = text(
        _l("Other terms, one per line"),
        description=_l("Numbered by the document: a number typed in front of a term (一、 1. （1）) is dropped."),
    )
    copies = IntegerField(_l("Number of copies"), validators=[InputRequired(), NumberRange(min=1, max=20)])

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"agreed_on": clock.today(), "copies": len(case.parties) + 1}

    def validate_terms(self, field: Any) -> None:
        if not (field.data or "").strip() and not (self.amount.data or 0) > 0:
            raise ValidationError(_l("An agreement states its terms or the compensation agreed."))


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


class CancellationForm(DocumentForm):
    ground = choice(_l("Ground (撤销案件)"), CANCELLATION_GROUNDS)
    facts = text(_l("Facts"), required=True)
    costs = line(_l("Costs, if any"))


class EnforcementForm(DocumentForm):
    court = line(_l("Court"), required=True)
    decision_number = line(_l("Decision number"), required=True, max_length=60)
    decision_on = day(_l("Decision dated"))
    served_on = day(_l("Decision served on"))
    subject = text(_l("Subject of enforcement"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        from ipcase.documents.queries import latest_issued

        decision = latest_issued(case, "adjudication_decision")
        if decision is None:
            return {}
        values: dict[str, Any] = {
            "decision_number": decision.number,
            "decision_on": _local_date(decision.issued_at),
            "subject": "\n".join((decision.snapshot.get("fields") or {}).get("order", "").splitlines()),
        }
        served = sorted(s.served_on for s in decision.services)
        if served:
            values["served_on"] = served[-1]
        return values


class PerformanceDemandForm(DocumentForm):
    ADDRESSEE = PartyRole.respondent
    addressee = addressee_field()
    decision_number = line(_l("Decision number"), required=True, max_length=60)
    obligations = text(_l("What remains to be performed"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        from ipcase.documents.queries import latest_issued

        decision = latest_issued(case, "adjudication_decision")
        values = super().defaults(case)
        if decision is not None:
            values["decision_number"] = decision.number
            values["obligations"] = (decision.snapshot.get("fields") or {}).get("order", "")
        return values


class ServiceReceiptForm(DocumentForm):
    ADDRESSEE = PartyRole.respondent
    addressee = addressee_field()
    documents = MultipleChoiceField(_l("Documents served"), coerce=int, validators=[DataRequired()])
    address = line(_l("Address for service"))

    def prepare(self, case: Any) -> "ServiceReceiptForm":
        from ipcase.documents.queries import issued_for_case

        super().prepare(case)
        docs = [d for d in issued_for_case(case) if not d.is_internal and d.kind != "service_receipt"]
        self.documents.choices = opts([(d.id, f"{d.title} {d.number}") for d in docs])
        return self

    def defaults(self, case: Any) -> dict[str, Any]:
        values = super().defaults(case)
        party = next((p for p in case.parties if p.id == values.get("addressee")), None)
        values["address"] = party.address if party else ""
        return values


# -- mediation (§3, §4) -------------------------------------------------------------------------


class StatementNoticeForm(DocumentForm):
    ADDRESSEE = PartyRole.respondent
    addressee = addressee_field()
    note = text(_l("Further notes"))


class MediationDocketingForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    session_at = moment(_l("Mediation session"), required=False)
    place = line(_l("Place"))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"place": case.organisation.address or ""}


MEDIATION_REFUSAL_GROUNDS: list[tuple[str, Any, str]] = [
    ("declined", _l("The respondent declined mediation"), "被请求人不同意进行调解"),
    ("silent", _l("No statement within the period"), "被请求人逾期未提交意见陈述书"),
]


class MediationRefusalForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    ground = choice(_l("Ground"), MEDIATION_REFUSAL_GROUNDS)
    note = text(_l("Further notes"))


class MediationRecordForm(DocumentForm):
    session_at = moment(_l("Session held"))
    place = line(_l("Place"), required=True)
    attendees = text(_l("Attendees"), required=True)
    record = text(_l("Record of the session"), required=True)


MEDIATION_CANCELLATION_GROUNDS: list[tuple[str, Any, str]] = [
    ("requester_absent", _l("Requester absent: treated as withdrawn"), "请求人无正当理由拒不参加调解，按撤回请求处理"),
    ("respondent_absent", _l("Respondent absent"), "被请求人无正当理由拒不参加调解"),
    ("no_agreement", _l("No agreement reached"), "双方当事人未能达成调解协议"),
    ("withdrawn", _l("Request withdrawn"), "请求人撤回调解请求"),
]


class MediationCancellationForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    ground = choice(_l("Ground"), MEDIATION_CANCELLATION_GROUNDS)
    note = text(_l("Further notes"))


class ConfirmationForm(DocumentForm):
    body = line(_l("Court, notary office or arbitration commission"), required=True)
    agreed_on = day(_l("Agreement dated"))
    note = text(_l("Further notes"))


# -- workstations (§5) --------------------------------------------------------------------------


class SupplementForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    materials = text(_l("Material to supply, one item per line"), required=True)
    supply_by = moment(_l("Supply by"))


class ReasonsNoticeForm(DocumentForm):
    ADDRESSEE = PartyRole.requester
    addressee = addressee_field()
    reasons = text(_l("Reasons"), required=True)


class LetterForm(DocumentForm):
    to_office = line(_l("To (office)"), required=True, max_length=120)
    reasons = text(_l("Reasons and materials enclosed"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        parent = case.organisation.parent
        return {"to_office": parent.name if parent else ""}


class RespondentNoticeForm(DocumentForm):
    ADDRESSEE = PartyRole.respondent
    addressee = addressee_field()
    note = text(_l("Further notes"))


class MeasuresForm(DocumentForm):
    ADDRESSEE = PartyRole.respondent
    addressee = addressee_field()
    measures = text(_l("Measures, one per line"), required=True)


class ResultNoticeForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    result = text(_l("Result"), required=True)


# -- injunctions (§6) ---------------------------------------------------------------------------

INJUNCTION_OUTCOMES: list[tuple[str, Any, str]] = [
    ("granted", _l("Granted"), "准予"),
    ("refused", _l("Refused"), "驳回"),
]


class InjunctionDecisionForm(DocumentForm):
    outcome = choice(_l("Decision"), INJUNCTION_OUTCOMES)
    reasons = text(_l("Reasons"), required=True)
    measures = text(_l("Measures ordered, one per line"))
    valid_until = day(_l("Valid until"), required=False)

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"measures": getattr(case, "requested_measures", "") or ""}

    def validate_measures(self, field: Any) -> None:
        if self.outcome.data == "granted" and not (field.data or "").strip():
            raise ValidationError(_l("A granted injunction states its measures."))

    def validate_valid_until(self, field: Any) -> None:
        if self.outcome.data == "granted" and not field.data:
            raise ValidationError(_l("A granted injunction states the day it expires (the grant step's duration)."))


REVIEW_OUTCOMES: list[tuple[str, Any, str]] = [
    ("upheld", _l("Injunction upheld"), "维持原行政禁令决定"),
    ("revoked", _l("Injunction revoked"), "撤销原行政禁令决定"),
]


class ReviewDecisionForm(DocumentForm):
    outcome = choice(_l("Decision"), REVIEW_OUTCOMES)
    reasons = text(_l("Reasons"), required=True)


class LiftingForm(DocumentForm):
    lifted_on = day(_l("Lifted on"))
    reasons = text(_l("Reasons"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"lifted_on": clock.today()}


# -- service, batches, verification -------------------------------------------------------------


class ServiceForm(FlaskForm):
    """Service of one issued document on one party."""

    recipient = SelectField(_l("Served on"), coerce=int, validators=[InputRequired()])
    method = SelectField(_l("Method"), validators=[InputRequired()])
    served_on = DateField(
        _l("Served on (date)"),
        validators=[InputRequired()],
        description=_l("For public notice: the day of publication; service is deemed 60 days later."),
    )
    signed_by = StringField(_l("Signed by"), validators=[Optional(), Length(max=60)], filters=[strip])
    has_consent = BooleanField(_l("The recipient consented in writing to electronic service"))
    note = TextAreaField(
        _l("Remarks (e.g. a proxy's relationship)"), validators=[Optional(), Length(max=500)], filters=[strip]
    )

    def prepare(self, document: Any) -> "ServiceForm":
        from ipcase.documents.models import ServiceMethod

        self.recipient.choices = opts([(p.id, f"{p.name} ({p.role.label})") for p in document.case.parties])
        self.method.choices = opts(ServiceMethod.choices())
        return self


class BatchForm(FlaskForm):
    """The cases a notice is issued for at once; the variable parts come from the kind's form."""

    cases = MultipleChoiceField(_l("Cases"), coerce=int, validators=[DataRequired()])


class VerifyForm(FlaskForm):
    number = StringField(_l("Document number"), validators=[Optional(), Length(max=60)], filters=[strip])
    code = StringField(_l("Verification code"), validators=[Optional(), Length(max=16)], filters=[strip])
    upload = FileField(_l("Or the PDF file"))
    #: honeypot: people leave it empty
    website = StringField(validators=[Optional(), Length(max=0)])


# -- generic documents: a body staff complete from a standard text ------------------------------


def body_context(case: Any) -> dict[str, Any]:
    """What the standard texts of generic documents may name."""
    from ipcase.deadlines.operations import rule_length
    from ipcase.deadlines.rules import get_rule
    from ipcase.documents.snapshots import ROLE_ZH

    roles = ROLE_ZH.get(str(case.channel), ROLE_ZH["adjudication"])
    requesters = "、".join(p.name for p in case.requesters)
    respondents = "、".join(p.name for p in case.respondents)
    panel = "、".join(a.user.display_name for a in case.assignments if a.role.value in ("panel_leader", "panel_member"))
    return {
        "case_line": f"{roles['requester']}{requesters}与{roles['respondent']}{respondents}{case.title}一案",
        "cause": case.title,
        "requesters": requesters,
        "respondents": respondents,
        "office": case.organisation.name,
        "panel": panel,
        "evidence_days": rule_length(get_rule("adj.evidence_period"), case.organisation_id),
    }


class GenericForm(DocumentForm):
    """Addressee and body for documents whose text is mostly the case's own (records, letters,
    decisions on a procedural point); staff start from the kind's standard text."""

    ALL_PARTIES_ALLOWED = True
    #: the standard text, formatted with :func:`body_context`
    DEFAULT_BODY = ""
    addressee = addressee_field()
    body = text(_l("Text"), required=True, description=_l("One paragraph per line."))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"body": self.DEFAULT_BODY.format(**body_context(case))}


class GenericInternalForm(DocumentForm):
    """An internal record or approval form: its body only."""

    DEFAULT_BODY = ""
    body = text(_l("Text"), required=True, description=_l("One paragraph per line."))

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"body": self.DEFAULT_BODY.format(**body_context(case))}


class ItemListForm(DocumentForm):
    """A list of items (evidence preserved or sampled): one row per line, cells separated by |."""

    DEFAULT_BODY = ""
    items = text(
        _l("Items, one per line"),
        required=True,
        description=_l("Cells separated by |: name | specification or model | quantity | where kept | remarks"),
    )
    note = text(_l("Further notes"))


def generic_form(base: type[DocumentForm], body: str) -> type[DocumentForm]:
    """A form class of ``base`` whose standard text is ``body``."""
    return type(f"{base.__name__}Text", (base,), {"DEFAULT_BODY": body})
