"""The forms of the mediation, workstation and injunction document kinds (the adjudication
kinds' forms and the base they share are in ``documents.forms``)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ipcase.cases.enums import PartyRole
from ipcase.core import clock
from ipcase.documents.choices import (
    INJUNCTION_OUTCOMES,
    MEDIATION_CANCELLATION_GROUNDS,
    MEDIATION_REFUSAL_GROUNDS,
    REVIEW_OUTCOMES,
)
from ipcase.documents.forms import DocumentForm, addressee_field, choice, day, line, moment, text

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


class ReviewDecisionForm(DocumentForm):
    outcome = choice(_l("Decision"), REVIEW_OUTCOMES)
    reasons = text(_l("Reasons"), required=True)


class LiftingForm(DocumentForm):
    lifted_on = day(_l("Lifted on"))
    reasons = text(_l("Reasons"), required=True)

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"lifted_on": clock.today()}
