"""Forms of the public portal. Every public form carries a honeypot field and caps every input
(SD ``source_app/forms.py``); the filing steps reuse the case file's party, agent and right fields."""

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ipcase.cases.enums import AgentAuthority, Channel
from ipcase.cases.evidence import EvidenceForm
from ipcase.cases.forms import NamedPartyFields, RightFields
from ipcase.cases.mediation_terms import MediationSubject, MediationSubjectChecks, MediationType
from ipcase.core.forms import opts

TEXT_MAX = 4000
FACTS_MAX = 8000
#: rows of the evidence list in the filing (证据材料清单)
EVIDENCE_ROWS = 10
HONEYPOT_MESSAGE = _l("This form could not be accepted. Please reload the page and fill it in again.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """Base of every public form: the honeypot ``website`` is hidden from people (and from
    assistive technology), so only a bot fills it; a filled one refuses the form."""

    website = StringField(_l("Leave this field empty"), validators=[Length(max=200)])

    def validate_website(self, field: Any) -> None:
        if field.data:
            raise ValidationError(HONEYPOT_MESSAGE)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.website.errors:
            # the field is hidden, so its refusal is shown above the form
            self.form_errors.append(HONEYPOT_MESSAGE)
        return ok

    @property
    def honeypot_tripped(self) -> bool:
        return bool(self.website.data)


# -- status check and account linking ------------------------------------------------------------


class AccessForm(PortalForm):
    reference = StringField(
        _l("Case reference"),
        description=_l("The case number on your receipt or notice, e.g. 成知裁字〔2026〕12号."),
        validators=[DataRequired(), Length(max=80)],
        filters=[_strip],
    )
    code = PasswordField(
        _l("Access code"),
        description=_l("The 16-character code you were given, with or without dashes."),
        validators=[DataRequired(), Length(max=80)],
    )


# -- online filing: one form per step ---------------------------------------------------------------


class OfficeStep(PortalForm):
    organisation_id = SelectField(_l("Office that receives the request"), coerce=int, validators=[InputRequired()])


class AgentFields(Form):
    """An optional agent of the requester ([85]17: at most two)."""

    name = StringField(_l("Agent's name"), validators=[Length(max=60)], filters=[_strip])
    firm = StringField(_l("Firm or employer"), validators=[Length(max=120)], filters=[_strip])
    licence_no = StringField(_l("Licence number"), validators=[Length(max=40)], filters=[_strip])
    address = StringField(_l("Address"), validators=[Length(max=200)], filters=[_strip])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], filters=[_strip])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_strip])
    authority = SelectField(
        _l("Authority"), choices=opts(AgentAuthority.choices()), default=AgentAuthority.general.value
    )
    authority_items = TextAreaField(
        _l("Special authority items"),
        description=_l("Special authority is needed to admit, waive or change claims, or to settle."),
        validators=[Length(max=500)],
        filters=[_strip],
    )

    def validate_name(self, field: Any) -> None:
        others = (self.firm, self.licence_no, self.address, self.phone, self.email, self.authority_items)
        if not field.data and any(f.data for f in others):
            raise ValidationError(_l("Enter the agent's name, or leave all of this agent's fields empty."))

    def validate_authority_items(self, field: Any) -> None:
        if self.name.data and self.authority.data == AgentAuthority.special and not field.data:
            raise ValidationError(_l("List the matters the special authority covers."))

    def to_command(self) -> dict[str, Any] | None:
        if not self.name.data:
            return None
        return {f.short_name: f.data or "" for f in self}


class RequesterStep(PortalForm):
    requester = FormField(NamedPartyFields, label=_l("Requester"))
    agent1 = FormField(AgentFields, label=_l("First agent (optional)"))
    agent2 = FormField(AgentFields, label=_l("Second agent (optional)"))


class RespondentStep(PortalForm):
    respondent = FormField(NamedPartyFields, label=_l("Respondent"))


class RightStep(PortalForm):
    right = FormField(RightFields, label=_l("Right"))


class RequestStep(MediationSubjectChecks, PortalForm):
    """请求处理的事项 and 事实和理由, with the channel's own fields."""

    requests = TextAreaField(
        _l("What you ask the office to do"),
        description=_l("E.g. order the respondent to stop making and selling the accused product."),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        filters=[_strip],
    )
    facts = TextAreaField(
        _l("Facts and reasons"),
        description=_l("What happened, where and when, and which claims of the patent are infringed."),
        validators=[DataRequired(), Length(max=FACTS_MAX)],
        filters=[_strip],
    )
    accused_product = StringField(
        _l("Accused product (name, model, where found)"), validators=[Length(max=200)], filters=[_strip]
    )
    mediation_type = SelectField(
        _l("Mediation type"),
        choices=opts(
            [
                (t.value, t.label)
                for t in (MediationType.administrative, MediationType.peoples, MediationType.commercial)
            ]
        ),
        default=MediationType.administrative.value,
    )
    # [85]63: what the mediation is about; damages only after an infringement decision ([85]64)
    subject = SelectField(
        _l("Subject of the dispute"),
        choices=opts([("", "—"), *MediationSubject.choices()]),
        validate_choice=False,
    )
    infringement_decision_no = StringField(
        _l("Number of the decision that found the infringement"),
        description=_l("Damages only ([85]64): the adjudication decision that found the infringement."),
        validators=[Length(max=60)],
        filters=[_strip],
    )
    infringement_decision_on = DateField(
        _l("Date of that decision"), validators=[lambda form, field: form.required_for_damages(field), Optional()]
    )
    claimed_amount = DecimalField(
        _l("Compensation asked for (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=10**11)]
    )
    booth = StringField(_l("Booth, shop or stand"), validators=[Length(max=60)], filters=[_strip])
    platform_link = StringField(_l("Link to the online listing"), validators=[Length(max=500)], filters=[_strip])
    urgency_facts = TextAreaField(_l("Why the matter is urgent"), validators=[Length(max=TEXT_MAX)], filters=[_strip])
    bond_amount = DecimalField(
        _l("Bond offered (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=10**11)]
    )
    bond_form = StringField(_l("Form of the bond"), validators=[Length(max=60)], filters=[_strip])

    channel_value: str = ""

    def validate_urgency_facts(self, field: Any) -> None:
        if self.channel_value == Channel.injunction and not field.data:
            raise ValidationError(_l("An injunction application must state why it is urgent."))

    def validate_bond_amount(self, field: Any) -> None:
        if self.channel_value == Channel.injunction and (field.data is None or field.data <= Decimal(0)):
            raise ValidationError(_l("An injunction is granted only against a bond: state the amount offered."))

    def validate_booth(self, field: Any) -> None:
        if self.channel_value == Channel.station and not (field.data or self.platform_link.data):
            raise ValidationError(_l("Give the booth or shop, or the link to the online listing."))


class EvidenceRow(Form):
    title = StringField(_l("Item of evidence"), validators=[Length(max=200)], filters=[_strip])
    purpose = StringField(_l("What it proves"), validators=[Length(max=500)], filters=[_strip])
    source = StringField(_l("Source"), validators=[Length(max=200)], filters=[_strip])
    pages = IntegerField(_l("Pages"), validators=[Optional(), NumberRange(min=1, max=10000)])
    form = SelectField(_l("Form"), choices=opts(EvidenceForm.choices()), default=EvidenceForm.copy.value)

    def validate_title(self, field: Any) -> None:
        if not field.data and (self.purpose.data or self.source.data or self.pages.data):
            raise ValidationError(_l("Name the item, or leave the whole row empty."))


class EvidenceStep(PortalForm):
    rows = FieldList(FormField(EvidenceRow), min_entries=EVIDENCE_ROWS, max_entries=EVIDENCE_ROWS)

    def items(self) -> list[tuple[int, dict[str, Any]]]:
        """(row index, item data) of the rows that name an item."""
        return [
            (i, {k: v for k, v in row.form.data.items() if k != "csrf_token"})
            for i, row in enumerate(self.rows)
            if row.form.title.data
        ]


class SubmitForm(PortalForm):
    email = StringField(
        _l("E-mail for a receipt (optional)"),
        validators=[Optional(), Email(), Length(max=254)],
        filters=[_strip],
    )
    confirm = BooleanField(
        _l("I confirm that what I have entered is true and complete."),
        validators=[DataRequired(_l("Confirm that the information is true and complete."))],
    )


# -- acting online ------------------------------------------------------------------------------------


class SubmissionForm(PortalForm):
    text = TextAreaField(_l("Your text"), validators=[Length(max=FACTS_MAX)], filters=[_strip])


class SurveyForm(PortalForm):
    score = RadioField(
        _l("How satisfied are you with how your case was handled?"),
        choices=opts(
            [
                ("5", _l("5 — very satisfied")),
                ("4", _l("4 — satisfied")),
                ("3", _l("3 — neither")),
                ("2", _l("2 — dissatisfied")),
                ("1", _l("1 — very dissatisfied")),
            ]
        ),
        validators=[InputRequired(_l("Choose a score from 1 to 5."))],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=2000)], filters=[_strip])


# -- party accounts -------------------------------------------------------------------------------------


class RegisterForm(PortalForm):
    username = StringField(
        _l("User name"),
        description=_l("Letters, digits, dots, dashes and underscores."),
        validators=[DataRequired(), Length(min=3, max=64)],
        filters=[_strip],
    )
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)], filters=[_strip])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )

    def validate_username(self, field: Any) -> None:
        if field.data and not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in field.data):
            raise ValidationError(_l("Use only letters, digits, dots, dashes and underscores."))


class PortalLoginForm(PortalForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


# -- staff ---------------------------------------------------------------------------------------------


class IssueCodeForm(FlaskForm):
    party_id = SelectField(_l("Party"), coerce=int, validators=[InputRequired()])


class HandledForm(FlaskForm):
    """Marking an online request as handled: a CSRF-checked POST with nothing else."""
