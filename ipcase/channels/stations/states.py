"""States of a workstation complaint (domain.md §5)."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class StationState(LabelledEnum):
    received = "received"
    incomplete = "incomplete"
    forwarded = "forwarded"
    awaiting_response = "awaiting_response"
    measures_taken = "measures_taken"
    resolved = "resolved"
    referred = "referred"
    withdrawn = "withdrawn"
    not_accepted = "not_accepted"


StationState.set_labels(
    {
        StationState.received: _l("Complaint received"),
        StationState.incomplete: _l("Awaiting supplementary material"),
        StationState.forwarded: _l("Forwarded to the office"),
        StationState.awaiting_response: _l("Awaiting respondent's response"),
        StationState.measures_taken: _l("On-site measures taken"),
        StationState.resolved: _l("Resolved"),
        StationState.referred: _l("Referred to another channel"),
        StationState.withdrawn: _l("Withdrawn"),
        StationState.not_accepted: _l("Not accepted"),
    }
)

CLOSED = frozenset(
    {
        StationState.resolved,
        StationState.referred,
        StationState.withdrawn,
        StationState.not_accepted,
    }
)
