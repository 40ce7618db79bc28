"""States of a mediation case (domain.md §3, §4)."""

from datetime import date
from decimal import Decimal
from typing import Any

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


# -- procedural vocabularies and pure rules of the procedure -----------------------------------------


class SessionOutcome(LabelledEnum):
    """What a mediation session came to ([85]67–69)."""

    progress = "progress"
    adjourned = "adjourned"
    agreement_in_principle = "agreement_in_principle"
    failed = "failed"


SessionOutcome.set_labels(
    {
        SessionOutcome.progress: _l("Progress made, mediation continues"),
        SessionOutcome.adjourned: _l("Adjourned"),
        SessionOutcome.agreement_in_principle: _l("Agreement in principle"),
        SessionOutcome.failed: _l("Failed: no agreement in sight"),
    }
)


class FollowUp(LabelledEnum):
    """How the parties give a mediation agreement force (domain.md §4)."""

    judicial_confirmation = "judicial_confirmation"
    notarisation = "notarisation"
    arbitral_award = "arbitral_award"


FollowUp.set_labels(
    {
        FollowUp.judicial_confirmation: _l("Judicial confirmation (司法确认)"),
        FollowUp.notarisation: _l("Notarisation with enforceability (赋强公证)"),
        FollowUp.arbitral_award: _l("Arbitral award or arbitration mediation statement (仲裁确认)"),
    }
)


class ArbitralForm(LabelledEnum):
    """What the arbitral tribunal issues on the agreement (仲裁法第51–52条)."""

    award = "award"
    mediation_statement = "mediation_statement"


ArbitralForm.set_labels(
    {
        ArbitralForm.award: _l("Award on the agreed terms (裁决书)"),
        ArbitralForm.mediation_statement: _l("Arbitration mediation statement (仲裁调解书)"),
    }
)


class FailureGround(LabelledEnum):
    """Why a mediation ended without agreement ([85]69)."""

    liability = "liability"
    amount = "amount"
    party_refused = "party_refused"
    time_limit = "time_limit"
    other = "other"


FailureGround.set_labels(
    {
        FailureGround.liability: _l("The parties disagree on liability"),
        FailureGround.amount: _l("The parties disagree on the amount"),
        FailureGround.party_refused: _l("A party refused to continue"),
        FailureGround.time_limit: _l("The time limit ran out without agreement"),
        FailureGround.other: _l("Other"),
    }
)

#: the longest a payment plan may run, in instalments (a local assumption)
MAX_INSTALMENTS = 120


def agreement_problems(
    amount: Decimal | None,
    terms: str,
    due_on: date | None,
    instalments: int | None,
    agreed_on: date,
) -> list[tuple[str, Any]]:
    """Why the terms of a mediation agreement cannot be recorded ([85]69): (field, message) pairs,
    none when they can. An agreement either pays compensation or states other terms; a payment
    has a due date no earlier than the agreement, and is paid in one or more instalments."""
    problems: list[tuple[str, Any]] = []
    if amount is None:
        problems.append(("amount", _l("Give the compensation agreed (0 when none is paid).")))
    elif amount < 0:
        problems.append(("amount", _l("The compensation cannot be negative.")))
    pays = amount is not None and amount > 0
    if amount is not None and not pays and not (terms or "").strip():
        problems.append(("terms", _l("An agreement without compensation states its other terms.")))
    if pays and due_on is None:
        problems.append(("due_on", _l("Give the date by which the compensation is paid.")))
    if due_on is not None and due_on < agreed_on:
        problems.append(
            ("due_on", _l("The payment cannot fall due before the agreement (%(day)s).", day=agreed_on.isoformat()))
        )
    if instalments is not None and not 1 <= instalments <= MAX_INSTALMENTS:
        problems.append(("instalments", _l("The number of instalments is between 1 and %(max)d.", max=MAX_INSTALMENTS)))
    if instalments and instalments > 1 and not pays:
        problems.append(("instalments", _l("Instalments need an amount to pay.")))
    return problems
