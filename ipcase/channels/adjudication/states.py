"""States of an adjudication case (domain.md §2.2)."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class AdjudicationState(LabelledEnum):
    received = "received"
    deficient = "deficient"
    rejected = "rejected"
    docketed = "docketed"
    served = "served"
    defence_period = "defence_period"
    evidence = "evidence"
    hearing_scheduled = "hearing_scheduled"
    heard = "heard"
    suspended = "suspended"
    deliberation = "deliberation"
    closing_approval = "closing_approval"
    closed_decided = "closed_decided"
    closed_mediated = "closed_mediated"
    closed_cancelled = "closed_cancelled"
    published = "published"
    litigated = "litigated"
    enforcement_requested = "enforcement_requested"


AdjudicationState.set_labels(
    {
        AdjudicationState.received: _l("Request received"),
        AdjudicationState.deficient: _l("Awaiting correction"),
        AdjudicationState.rejected: _l("Not docketed"),
        AdjudicationState.docketed: _l("Docketed"),
        AdjudicationState.served: _l("Request served"),
        AdjudicationState.defence_period: _l("Defence period"),
        AdjudicationState.evidence: _l("Evidence and fact-finding"),
        AdjudicationState.hearing_scheduled: _l("Hearing scheduled"),
        AdjudicationState.heard: _l("Hearing held"),
        AdjudicationState.suspended: _l("Suspended"),
        AdjudicationState.deliberation: _l("Panel deliberation"),
        AdjudicationState.closing_approval: _l("Awaiting closing approval"),
        AdjudicationState.closed_decided: _l("Closed by decision"),
        AdjudicationState.closed_mediated: _l("Closed by mediation"),
        AdjudicationState.closed_cancelled: _l("Closed by cancellation"),
        AdjudicationState.published: _l("Decision published"),
        AdjudicationState.litigated: _l("Administrative lawsuit filed"),
        AdjudicationState.enforcement_requested: _l("Court enforcement requested"),
    }
)

CLOSED = frozenset(
    {
        AdjudicationState.rejected,
        AdjudicationState.closed_decided,
        AdjudicationState.closed_mediated,
        AdjudicationState.closed_cancelled,
        AdjudicationState.published,
        AdjudicationState.litigated,
        AdjudicationState.enforcement_requested,
    }
)
