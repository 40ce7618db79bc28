"""Official documents: templates, numbering, PDF rendering, service and verification (issue 5).

Recording the service of a document that starts periods is a step of its own: the procedural-event
recorder (``deadlines.triggers.owned_events``) learns of those steps here, since the periods sit
below the documents and never import them."""

from flask_babel import lazy_gettext as _l

from ipcase.deadlines.triggers import Owner, register_owners
from ipcase.documents.registry import kinds_for


@register_owners
def _service_events(channel: str) -> list[tuple[str, Owner]]:
    """The events the service records of ``channel``'s documents record, each with its step."""
    return [
        (
            kind.service_event[0],
            Owner(_l("Official documents"), _l("Record service of: %(document)s", document=kind.label)),
        )
        for kind in kinds_for(channel)
        if kind.service_event is not None
    ]
