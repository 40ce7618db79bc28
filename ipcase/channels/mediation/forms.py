"""The structured details of the mediation steps: what the mediator records at each one.

Each form is a :class:`~ipcase.channels.forms.StepForm`; ``prepare`` fills the choices that depend
on the case (the mediators' pool, the offices that may receive a referral). The rules are applied
by the step's ``apply`` in ``workflow.py``, so a step taken outside the web form is checked the
same way."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DateTimeLocalField, DecimalField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from ipcase.auth.models import User
from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import ELIGIBLE
from ipcase.channels.forms import StepForm, line, text
from ipcase.channels.mediation.states import MAX_INSTALMENTS, ArbitralForm, FailureGround, SessionOutcome
from ipcase.channels.receiving import ReceivingForm
from ipcase.core.extensions import db
from ipcase.core.forms import MAX_YUAN, opts

NUMBER_MAX = 60


def optional_int(value: Any) -> int | None:
    """Select coercion for an optional choice: the empty option is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


# -- docketing and the sessions ([85]66–68) -------------------------------------------------------


def mediator_pool(case: Any) -> list[Any]:
    """Who may be chosen to mediate: active staff eligible as mediators working for the case's
    organisation or the office above it, not yet mediating this case."""
    org_ids = [case.organisation_id, *([case.organisation.parent_id] if case.organisation.parent_id else [])]
    on_case = {a.user_id for a in case.assignments if a.role == AssignmentRole.mediator}
    stmt = (
        sa.select(User)
        .where(
            User.is_active,
            User.role.in_(ELIGIBLE[AssignmentRole.mediator]),
            User.organisation_id.in_(org_ids),
        )
        .order_by(User.display_name)
    )
    return [u for u in db.session.scalars(stmt) if u.id not in on_case]


class DocketForm(StepForm):
    mediator = SelectField(
        _l("Mediator"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Chosen from the mediators' pool when nobody mediates the case yet."),
    )

    def prepare(self, case: Any) -> None:
        assigned = [a.user.display_name for a in case.assignments if a.role == AssignmentRole.mediator]
        if assigned:
            keep = _l("Keep the assigned mediator: %(names)s", names="、".join(assigned))
            self.mediator.choices = opts([("", keep)])
        else:
            self.mediator.choices = opts(
                [("", "—"), *((u.id, f"{u.display_name} · {u.role.label}") for u in mediator_pool(case))]
            )


class SessionForm(StepForm):
    held_at = DateTimeLocalField(
        _l("Session date and time (China time)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    online = BooleanField(_l("Held online"))
    place = line(_l("Place"), required=False, max_length=200)
    requester_present = BooleanField(_l("Requester present"))
    respondent_present = BooleanField(_l("Respondent present"))
    outcome = SelectField(_l("Outcome"), choices=opts(SessionOutcome.choices()), validators=[InputRequired()])
    next_session_at = DateTimeLocalField(
        _l("Next session (China time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


class FailureForm(StepForm):
    ground = SelectField(
        _l("Why no agreement was reached"), choices=opts(FailureGround.choices()), validators=[InputRequired()]
    )


# -- the agreement and its follow-up ([85]69; domain.md §4) ---------------------------------------


class AgreementForm(StepForm):
    amount = DecimalField(
        _l("Compensation agreed (yuan)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0), NumberRange(max=MAX_YUAN)],
        description=_l("0 when the agreement pays no compensation."),
    )
    terms = text(_l("Other terms"), required=False)
    due_on = DateField(_l("Payment due by"), validators=[Optional()])
    instalments = IntegerField(
        _l("Number of instalments"), validators=[Optional(), NumberRange(min=1, max=MAX_INSTALMENTS)]
    )
    enforcement_undertaking = BooleanField(
        _l("The respondent undertakes to accept enforcement (承诺接受强制执行)"),
        description=_l("With a payment clause, this lets a notarial deed make the agreement enforceable ([85]69)."),
    )


class ConfirmationForm(StepForm):
    court = line(_l("Court asked to confirm the agreement"))
    court_case_no = line(_l("Court case number"), required=False, max_length=NUMBER_MAX)


class NotarisationForm(StepForm):
    notary_office = line(_l("Notary office"))


class AwardForm(StepForm):
    commission = line(_l("Arbitration commission"))
    form = SelectField(_l("Asked for"), choices=opts(ArbitralForm.choices()), validators=[InputRequired()])
    arbitration_case_no = line(_l("Arbitration case number"), required=False, max_length=NUMBER_MAX)


class FollowUpResultForm(StepForm):
    number = line(_l("Number of the ruling, notarial deed or award"), max_length=NUMBER_MAX)
    issued_on = DateField(_l("Issued on"), validators=[Optional()])


class AdjudicationReferralForm(ReceivingForm):
    """A failed or refused mediation goes on as an administrative adjudication."""

    CHANNEL = Channel.adjudication
