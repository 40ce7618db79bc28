"""The structured details of the workstation steps: what the officer records at each one.

The rules are applied by the step's ``apply`` in ``workflow.py``, so a step taken outside the web
form is checked the same way."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import InputRequired

from ipcase.cases.enums import Channel
from ipcase.cases.mediation_terms import MediationType
from ipcase.channels.forms import StepForm, line, text
from ipcase.channels.receiving import ReceivingForm, receiving_organisations
from ipcase.channels.stations.states import NoticeMethod, OnSiteMeasure, ResponsePosition
from ipcase.core.forms import MultipleChoiceField, opts


class ForwardForm(ReceivingForm):
    """The complaint goes to the competent office within 24 hours ([EXPO]11)."""

    CHANNEL = Channel.adjudication


class NoticeForm(StepForm):
    method = SelectField(
        _l("How the respondent was notified"),
        choices=opts(NoticeMethod.choices()),
        validators=[InputRequired()],
        description=_l("“When” is the time of notification: the 24 hours for a response run from it."),
    )
    received_by = line(_l("Notice received by (name, position)"), required=False)


class ResponseForm(StepForm):
    position = SelectField(
        _l("Respondent's position"), choices=opts(ResponsePosition.choices()), validators=[InputRequired()]
    )
    summary = text(_l("Summary of the response and the evidence offered"))


class MeasuresForm(StepForm):
    measures = MultipleChoiceField(
        _l("Measures taken"),
        choices=opts(OnSiteMeasure.choices()),
        validators=[InputRequired()],
    )
    items = text(_l("Exhibits, materials or links concerned"))
    respondent_complied = BooleanField(_l("The respondent complied"))


class RulingForm(StepForm):
    """The final ruling that confirmed the infringement ([EXPO-G]14): a court judgment or an
    office decision no longer open to challenge."""

    reference = line(_l("Number of the final ruling"), max_length=120)
    ruled_on = DateField(_l("Date of the ruling"), validators=[InputRequired()])


class AdjudicationReferralForm(ReceivingForm):
    CHANNEL = Channel.adjudication


class MediationReferralForm(ReceivingForm):
    CHANNEL = Channel.mediation

    organisation = SelectField(_l("Receiving office or mediation centre"), coerce=int, validators=[InputRequired()])
    mediation_type = SelectField(
        _l("Mediation type"),
        choices=opts(MediationType.choices()),
        default=MediationType.administrative.value,
        validators=[InputRequired()],
    )


class TransferForm(ReceivingForm):
    """After the exhibition: the unfinished complaint goes to the competent office (15 working
    days), by default the office it was forwarded to."""

    CHANNEL = Channel.adjudication

    def prepare(self, case: Any) -> None:
        super().prepare(case)
        forwarded = getattr(case, "forwarded_to_id", None)
        if forwarded and not self.is_submitted():
            ids = {o.id for o in receiving_organisations(case, self.CHANNEL)}
            if forwarded in ids:
                self.organisation.data = forwarded
