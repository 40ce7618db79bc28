"""Forms of the case file. Each hands plain data to operations through ``to_command()``."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ipcase.cases.enums import (
    AgentAuthority,
    AssignmentRole,
    CaseSource,
    Channel,
    IdType,
    JurisdictionBasis,
    LegalStatus,
    Origin,
    PartyKind,
    PartyRole,
    PatentType,
    RightType,
)
from ipcase.cases.mediation_terms import MediationSubject, MediationSubjectChecks, MediationType
from ipcase.cases.operations import PARTY_FIELDS, RIGHT_FIELDS
from ipcase.core import clock
from ipcase.core.forms import opts

BLANK = [("", "—")]
TEXT_MAX = 4000


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class PartyFields(Form):
    role = SelectField(_l("Role"), choices=opts(PartyRole.choices()), validators=[InputRequired()])
    kind = SelectField(_l("Type"), choices=opts(PartyKind.choices()), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[_strip])
    id_type = SelectField(
        _l("Identity document"), choices=opts(BLANK + IdType.choices()), validators=[Optional()], filters=[_strip]
    )
    id_number = StringField(_l("Document number"), validators=[Length(max=40)], filters=[_strip])
    legal_rep_name = StringField(_l("Legal representative"), validators=[Length(max=60)], filters=[_strip])
    legal_rep_title = StringField(_l("Representative's title"), validators=[Length(max=60)], filters=[_strip])
    address = StringField(_l("Address"), validators=[Length(max=200)], filters=[_strip])
    postcode = StringField(_l("Postcode"), validators=[Length(max=10)], filters=[_strip])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], filters=[_strip])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_strip])
    has_domestic_domicile = BooleanField(_l("Has a domicile in mainland China"), default=True)
    origin = SelectField(_l("Origin"), choices=opts(Origin.choices()), default=Origin.mainland.value)

    def validate_id_number(self, field: Any) -> None:
        if field.data and not self.id_type.data:
            raise ValidationError(_l("Choose the type of identity document."))

    def validate_legal_rep_name(self, field: Any) -> None:
        if self.kind.data in (PartyKind.legal_person, PartyKind.unincorporated) and not field.data:
            raise ValidationError(_l("An organisation needs its legal representative or person in charge."))

    def to_command(self) -> dict[str, Any]:
        data = {f.short_name: f.data for f in self if f.short_name in PARTY_KEYS}
        data["id_type"] = data["id_type"] or None
        return data


PARTY_KEYS = set(PARTY_FIELDS) - {"user"}


class PartyForm(FlaskForm, PartyFields):
    account = StringField(
        _l("Online account"),
        description=_l("User name of the party's own account, so it can follow the case online."),
        validators=[Length(max=64)],
        filters=[_strip],
    )

    def to_command(self) -> dict[str, Any]:
        return super().to_command() | {"account": self.account.data or ""}


class NamedPartyFields(PartyFields):
    """A party whose role the surrounding form fixes (requester or respondent at intake)."""

    role = None


class AgentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)], filters=[_strip])
    firm = StringField(_l("Firm or employer"), validators=[Length(max=120)], filters=[_strip])
    licence_no = StringField(_l("Licence number"), validators=[Length(max=40)], filters=[_strip])
    address = StringField(_l("Address"), validators=[Length(max=200)], filters=[_strip])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], filters=[_strip])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_strip])
    authority = SelectField(_l("Authority"), choices=opts(AgentAuthority.choices()), validators=[InputRequired()])
    authority_items = TextAreaField(
        _l("Special authority items"),
        description=_l("Special authority is needed to admit, waive or change claims, or to settle."),
        validators=[Length(max=500)],
        filters=[_strip],
    )

    def validate_authority_items(self, field: Any) -> None:
        if self.authority.data == AgentAuthority.special and not field.data:
            raise ValidationError(_l("List the matters the special authority covers."))

    def to_command(self) -> dict[str, Any]:
        return {f.name: f.data for f in self if f.name not in ("csrf_token",)}


class RightFields(Form):
    right_type = SelectField(_l("Right type"), choices=opts(RightType.choices()), default=RightType.patent.value)
    number = StringField(
        _l("Patent or registration number"),
        description=_l("For a patent, e.g. ZL201710601862.3; spaces and the ZL prefix are optional."),
        validators=[DataRequired(), Length(max=40)],
        filters=[_strip],
    )
    patent_type = SelectField(
        _l("Patent type"), choices=opts(BLANK + PatentType.choices()), validators=[Optional()], filters=[_strip]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[_strip])
    holder = StringField(_l("Right holder"), validators=[DataRequired(), Length(max=200)], filters=[_strip])
    filed_on = DateField(_l("Filing date"), validators=[Optional()])
    granted_on = DateField(_l("Grant date"), validators=[Optional()])
    legal_status = SelectField(
        _l("Legal status"), choices=opts(LegalStatus.choices()), default=LegalStatus.unknown.value
    )
    status_checked_on = DateField(_l("Status checked on"), validators=[Optional()])
    asserted_claims = StringField(_l("Asserted claims"), validators=[Length(max=200)], filters=[_strip])

    def to_command(self) -> dict[str, Any]:
        data = {f.short_name: f.data for f in self if f.short_name in RIGHT_KEYS}
        data["patent_type"] = data["patent_type"] or None
        return data


RIGHT_KEYS = set(RIGHT_FIELDS)


class RightForm(FlaskForm, RightFields):
    # staff only (not at intake or on the portal): suggests pool members of the field
    ipc_class = StringField(
        _l("IPC class"),
        description=_l("The main class of the patent, e.g. A47C 4/00: pool members of the field are suggested."),
        validators=[Length(max=20)],
        filters=[_strip],
    )


class CaseDetailsFields(MediationSubjectChecks, Form):
    source = SelectField(_l("Source"), choices=opts(CaseSource.choices()), validators=[InputRequired()])
    jurisdiction_basis = SelectField(
        _l("Jurisdiction basis"),
        choices=opts(BLANK + JurisdictionBasis.choices()),
        validators=[Optional()],
        filters=[_strip],
    )
    title = StringField(
        _l("Cause"),
        description=_l("The 案由, e.g. “一种折叠椅”实用新型专利侵权纠纷."),
        validators=[DataRequired(), Length(max=200)],
        filters=[_strip],
    )
    summary = TextAreaField(_l("Summary"), validators=[Length(max=TEXT_MAX)], filters=[_strip])
    received_at = DateTimeLocalField(_l("Received at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    # channel-specific
    requests = TextAreaField(_l("Requests"), validators=[Length(max=TEXT_MAX)], filters=[_strip])
    accused_product = StringField(_l("Accused product"), validators=[Length(max=200)], filters=[_strip])
    infringement_known_on = DateField(
        _l("Right holder knew of the infringement on"),
        description=_l(
            "When the right holder knew or should have known of the act and the infringer: the 3-year "
            "limitation ([85]19) is shown from this day, as information (a late request may still be heard)."
        ),
        validators=[Optional()],
    )
    # checked in validate_mediation_type: required for mediation only, absent from other channels' posts
    mediation_type = SelectField(
        _l("Mediation type"), choices=opts(BLANK + MediationType.choices()), validate_choice=False
    )
    # [85]63–64: what the mediation is about; damages only name the decision that found infringement
    subject = SelectField(
        _l("Subject of the dispute"), choices=opts(BLANK + MediationSubject.choices()), validate_choice=False
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
        _l("Amount claimed (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=10**11)]
    )
    referring_court_case_no = StringField(
        _l("Referring court case number"), validators=[Length(max=60)], filters=[_strip]
    )
    booth = StringField(_l("Booth or shop"), validators=[Length(max=60)], filters=[_strip])
    platform_link = StringField(_l("Platform link"), validators=[Length(max=500)], filters=[_strip])
    urgency_facts = TextAreaField(_l("Urgency facts"), validators=[Length(max=TEXT_MAX)], filters=[_strip])
    requested_measures = TextAreaField(_l("Requested measures"), validators=[Length(max=TEXT_MAX)], filters=[_strip])
    bond_amount = DecimalField(
        _l("Bond amount (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=10**11)]
    )
    bond_form = StringField(_l("Bond form"), validators=[Length(max=60)], filters=[_strip])

    channel_value: str = ""

    def validate_received_at(self, field: Any) -> None:
        if field.data and clock.from_local(field.data) > clock.now():
            raise ValidationError(_l("The time of receipt cannot be in the future."))

    def validate_infringement_known_on(self, field: Any) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(_l("This day cannot be in the future."))

    def validate_mediation_type(self, field: Any) -> None:
        if field.data and field.data not in set(MediationType):
            raise ValidationError(_l("Choose one of the listed values."))
        if self.channel_value == Channel.mediation and not field.data:
            raise ValidationError(_l("Choose the type of mediation."))

    def validate_urgency_facts(self, field: Any) -> None:
        if self.channel_value == Channel.injunction and not field.data:
            raise ValidationError(_l("An injunction application must state why it is urgent."))

    def validate_requested_measures(self, field: Any) -> None:
        if self.channel_value == Channel.injunction and not field.data:
            raise ValidationError(_l("State the measures requested."))

    def details_command(self) -> dict[str, Any]:
        data = {
            "source": self.source.data,
            "jurisdiction_basis": self.jurisdiction_basis.data or None,
            "title": self.title.data,
            "summary": self.summary.data or "",
            "received_at": clock.from_local(self.received_at.data),
        }
        channel_data = {
            "requests": self.requests.data or "",
            "accused_product": self.accused_product.data or "",
            "infringement_known_on": self.infringement_known_on.data,
            "mediation_type": self.mediation_type.data or None,
            "subject": self.subject.data or None,
            "infringement_decision_no": self.infringement_decision_no.data or "",
            "infringement_decision_on": self.infringement_decision_on.data,
            "claimed_amount": self.claimed_amount.data,
            "referring_court_case_no": self.referring_court_case_no.data or "",
            "booth": self.booth.data or "",
            "platform_link": self.platform_link.data or "",
            "urgency_facts": self.urgency_facts.data or "",
            "requested_measures": self.requested_measures.data or "",
            "bond_amount": self.bond_amount.data,
            "bond_form": self.bond_form.data or "",
        }
        return data | {"channel_data": channel_data}


class OpenCaseForm(FlaskForm, CaseDetailsFields):
    channel = SelectField(_l("Channel"), choices=opts(Channel.choices()), validators=[InputRequired()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    requester = FormField(NamedPartyFields, label=_l("Requester"))
    respondent = FormField(NamedPartyFields, label=_l("Respondent"))
    right = FormField(RightFields, label=_l("Right"))

    def validate(self, extra_validators: Any = None) -> bool:
        self.channel_value = self.channel.data or ""
        return super().validate(extra_validators)

    def to_command(self) -> dict[str, Any]:
        data = self.details_command()
        requester = self.requester.form.to_command() | {"role": PartyRole.requester.value}
        respondent = self.respondent.form.to_command() | {"role": PartyRole.respondent.value}
        return data | {
            "channel": Channel(self.channel.data),
            "parties": [requester, respondent],
            "rights": [self.right.form.to_command()],
        }


class EditCaseForm(FlaskForm, CaseDetailsFields):
    def to_command(self) -> dict[str, Any]:
        data = self.details_command()
        return {k: v for k, v in data.items() if k != "channel_data"} | data["channel_data"]


class AssignmentForm(FlaskForm):
    user_id = SelectField(_l("Staff member"), coerce=int, validators=[InputRequired()])
    role = SelectField(_l("Role on the case"), choices=opts(AssignmentRole.choices()), validators=[InputRequired()])


class CaseFilterForm(FlaskForm):
    """The list's filters, read from the query string (GET: no CSRF needed, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)], filters=[_strip])
    channel = SelectField(
        _l("Channel"),
        choices=opts([("", _l("All channels")), *Channel.choices()]),
        validators=[Optional()],
        filters=[_strip],
    )
    state = SelectField(_l("State"), validators=[Optional()], validate_choice=False)
    assignee = SelectField(_l("Assignee"), validators=[Optional()], validate_choice=False)
    organisation = SelectField(_l("Organisation"), validators=[Optional()], validate_choice=False)
    closed = SelectField(
        _l("Open or closed"),
        choices=opts([("", _l("Open and closed")), ("open", _l("Open")), ("closed", _l("Closed"))]),
        validators=[Optional()],
        filters=[_strip],
    )
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


class CrimeReportForm(FlaskForm):
    facts = TextAreaField(
        _l("Facts suggesting a crime"), validators=[DataRequired(), Length(max=TEXT_MAX)], filters=[_strip]
    )


class CrimeDecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=opts([("approve", _l("Refer to the police")), ("decline", _l("Do not refer"))]),
        validators=[InputRequired()],
    )
    reasons = TextAreaField(_l("Reasons"), validators=[Length(max=TEXT_MAX)], filters=[_strip])


class CrimeHandoverForm(FlaskForm):
    authority = StringField(_l("Receiving authority"), validators=[DataRequired(), Length(max=120)], filters=[_strip])


class MainCaseForm(FlaskForm):
    number = StringField(
        _l("Case number of the main adjudication case"), validators=[DataRequired(), Length(max=60)], filters=[_strip]
    )
