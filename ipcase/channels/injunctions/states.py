"""States of an injunction application (domain.md §6)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class InjunctionState(LabelledEnum):
    received = "received"
    under_review = "under_review"
    refused = "refused"
    granted = "granted"
    served = "served"
    review_pending = "review_pending"
    lifted = "lifted"
    expired = "expired"


InjunctionState.set_labels(
    {
        InjunctionState.received: _l("Application received"),
        InjunctionState.under_review: _l("Under urgent review"),
        InjunctionState.refused: _l("Refused"),
        InjunctionState.granted: _l("Injunction granted"),
        InjunctionState.served: _l("Injunction served and in force"),
        InjunctionState.review_pending: _l("Review requested"),
        InjunctionState.lifted: _l("Lifted"),
        InjunctionState.expired: _l("Expired"),
    }
)

CLOSED = frozenset({InjunctionState.refused, InjunctionState.lifted, InjunctionState.expired})


# -- procedural vocabularies and pure rules (local design, domain.md §6) ----------------------------

#: the longest an injunction may be granted for, in days (a local assumption: renewable)
MAX_DURATION_DAYS = 730


def expiry_day(granted_on: date, days: int) -> date:
    """The day an injunction granted on ``granted_on`` for ``days`` days expires: the period
    starts the day after the grant (P1) and ends on its last day. Holidays do not extend it: it
    is the injunction's own life, not a time limit for a party (P3)."""
    return granted_on + timedelta(days=days)


class LiftGround(LabelledEnum):
    """Why an injunction is lifted before it expires."""

    main_case_decided = "main_case_decided"
    bond = "bond"
    circumstances_changed = "circumstances_changed"
    on_review = "on_review"


LiftGround.set_labels(
    {
        LiftGround.main_case_decided: _l("The main case has been decided"),
        LiftGround.bond: _l("Bond issue: not provided, insufficient, or counter-security given"),
        LiftGround.circumstances_changed: _l("The circumstances have changed"),
        LiftGround.on_review: _l("Found on review to be unfounded"),
    }
)


class Compliance(LabelledEnum):
    """What a compliance check found."""

    complied = "complied"
    not_complied = "not_complied"
    partly = "partly"


Compliance.set_labels(
    {
        Compliance.complied: _l("Complied"),
        Compliance.not_complied: _l("Not complied"),
        Compliance.partly: _l("Partly complied"),
    }
)
