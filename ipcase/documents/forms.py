"""Forms: the base every document form shares (field builders, :class:`DocumentForm`), the forms
of the adjudication kinds (findings, reasons, order ...), service, batches and the public
verification page. The other channels' kinds have theirs in ``documents.channel_forms``, the
generic kinds in ``documents.generic_forms``.

A document form's fields become ``snapshot["fields"]`` as plain data (:meth:`DocumentForm.plain`).
Choices whose value is printed carry their Chinese wording (``documents.choices``): the form
shows the label in the reader's language, the document prints the official Chinese text."""

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
from ipcase.documents.choices import (
    CANCELLATION_GROUNDS,
    OUTCOMES,
    REFUSAL_GROUNDS,
    RESUMPTION_GROUNDS,
    SUSPENSION_GROUNDS,
)
from ipcase.documents.models import ServiceMethod
from ipcase.documents.queries import issued_for_case, latest_issued
from ipcase.documents.steps import latest_step

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
    found = latest_step(case, kind_key)
    return ((found[1].get("details") or {}).get(name) if found else None) or None


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


class SuspensionForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    ground = choice(_l("Ground (中止)"), SUSPENSION_GROUNDS)
    facts = text(_l("Facts"), required=True)
    effective_on = day(_l("Suspended from"))

    def defaults(self, case: Any) -> dict[str, Any]:
        ground = _step_detail(case, "suspension_notice", "ground")
        return super().defaults(case) | {"effective_on": clock.today()} | ({"ground": ground} if ground else {})


class ResumptionForm(DocumentForm):
    ALL_PARTIES_ALLOWED = True
    addressee = addressee_field()
    ground = choice(_l("Ground (恢复)"), RESUMPTION_GROUNDS)
    resumed_on = day(_l("Resumed on"))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"resumed_on": clock.today()}


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
        super().prepare(case)
        docs = [d for d in issued_for_case(case) if not d.is_internal and d.kind != "service_receipt"]
        self.documents.choices = opts([(d.id, f"{d.title} {d.number}") for d in docs])
        return self

    def defaults(self, case: Any) -> dict[str, Any]:
        values = super().defaults(case)
        party = next((p for p in case.parties if p.id == values.get("addressee")), None)
        values["address"] = party.address if party else ""
        return values


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
