"""States of a workstation complaint (domain.md §5)."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class StationState(LabelledEnum):
    received = "received"
    incomplete = "incomplete"
    forwarded = "forwarded"
    awaiting_response = "awaiting_response"
    under_review = "under_review"
    measures_taken = "measures_taken"
    awaiting_transfer = "awaiting_transfer"
    resolved = "resolved"
    referred = "referred"
    withdrawn = "withdrawn"
    not_accepted = "not_accepted"
    dismissed = "dismissed"
    transferred = "transferred"


StationState.set_labels(
    {
        StationState.received: _l("Complaint received"),
        StationState.incomplete: _l("Awaiting supplementary material"),
        StationState.forwarded: _l("Forwarded to the office"),
        StationState.awaiting_response: _l("Awaiting respondent's response"),
        StationState.under_review: _l("Response stage over: under review"),
        StationState.measures_taken: _l("On-site measures taken"),
        StationState.awaiting_transfer: _l("Exhibition closed: awaiting transfer"),
        StationState.resolved: _l("Resolved"),
        StationState.referred: _l("Referred to another channel"),
        StationState.withdrawn: _l("Withdrawn"),
        StationState.not_accepted: _l("Not accepted"),
        StationState.dismissed: _l("Closed without measures"),
        StationState.transferred: _l("Transferred to the competent office"),
    }
)

CLOSED = frozenset(
    {
        StationState.resolved,
        StationState.referred,
        StationState.withdrawn,
        StationState.not_accepted,
        StationState.dismissed,
        StationState.transferred,
    }
)
