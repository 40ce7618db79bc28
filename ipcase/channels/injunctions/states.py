"""States of an injunction application (domain.md §6)."""

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
