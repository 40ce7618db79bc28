"""States of a mediation case (domain.md §3, §4)."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class MediationState(LabelledEnum):
    received = "received"
    awaiting_statement = "awaiting_statement"
    statement_received = "statement_received"
    refused = "refused"
    docketed = "docketed"
    in_session = "in_session"
    agreement_reached = "agreement_reached"
    confirmation_pending = "confirmation_pending"
    closed_agreed = "closed_agreed"
    closed_failed = "closed_failed"
    withdrawn = "withdrawn"
    referred = "referred"


MediationState.set_labels(
    {
        MediationState.received: _l("Request received"),
        MediationState.awaiting_statement: _l("Awaiting respondent's statement"),
        MediationState.statement_received: _l("Statement received, docketing pending"),
        MediationState.refused: _l("Not docketed"),
        MediationState.docketed: _l("Docketed for mediation"),
        MediationState.in_session: _l("In mediation sessions"),
        MediationState.agreement_reached: _l("Agreement reached"),
        MediationState.confirmation_pending: _l("Awaiting confirmation or award"),
        MediationState.closed_agreed: _l("Closed with agreement"),
        MediationState.closed_failed: _l("Closed without agreement"),
        MediationState.withdrawn: _l("Withdrawn"),
        MediationState.referred: _l("Referred to another channel"),
    }
)

CLOSED = frozenset(
    {
        MediationState.refused,
        MediationState.closed_agreed,
        MediationState.closed_failed,
        MediationState.withdrawn,
        MediationState.referred,
    }
)
