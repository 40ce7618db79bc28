"""The structured details of the injunction steps: what the office records at each one.

The rules are applied by the step's ``apply`` in ``workflow.py``, so a step taken outside the web
form is checked the same way."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from ipcase.cases.enums import PartyRole
from ipcase.channels.forms import StepForm, line, text
from ipcase.channels.injunctions.states import MAX_DURATION_DAYS, Compliance, LiftGround
from ipcase.core.forms import opts


class GrantForm(StepForm):
    measures = text(_l("Measures ordered"), description=_l("What the respondent must do or stop doing, and where."))
    duration_days = IntegerField(
        _l("Duration (days)"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_DURATION_DAYS)],
        description=_l("Counted from the day after the grant; the injunction expires on the last day."),
    )

    def prepare(self, case: Any) -> None:
        if not self.is_submitted() and not self.measures.data:
            self.measures.data = getattr(case, "requested_measures", "") or ""


class ComplianceForm(StepForm):
    checked_on = DateField(_l("Checked on"), validators=[InputRequired()])
    checked_by = line(_l("Checked by"))
    complied = SelectField(_l("Compliance"), choices=opts(Compliance.choices()), validators=[InputRequired()])
    findings = text(_l("Findings"))
    record_credit = BooleanField(
        _l("Record the respondent's failure to comply in the credit history (拒不履行)"),
        description=_l("Only when the injunction was not, or only partly, complied with."),
    )


class ReviewApplicationForm(StepForm):
    party = SelectField(_l("Applicant for review"), coerce=int, validators=[InputRequired()])
    grounds = text(_l("Grounds for review"))

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(
            [(p.id, f"{p.name} · {p.role.label}") for p in case.parties if p.role == PartyRole.respondent]
        )


class LiftForm(StepForm):
    ground = SelectField(_l("Ground for lifting"), choices=opts(LiftGround.choices()), validators=[InputRequired()])
