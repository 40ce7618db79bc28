"""Who opens which channel at intake (issue 12): a pure table, no Flask or database.

Each role opens only its own channels, and only at an organisation whose kind handles the channel
(``cases.transfers.HANDLED_BY``): a station officer registers workstation complaints, a mediator
mediation requests, an examiner adjudication, injunction and the office's administrative
mediation (the roles the channels' first steps admit, ``channels.<channel>.workflow``); the
director and the administrator open whatever the organisation's kind allows."""

from collections.abc import Iterable, Mapping

from ipcase.auth.models import Role
from ipcase.cases.enums import Channel

ROLE_CHANNELS: Mapping[Role, frozenset[Channel]] = {
    Role.station_officer: frozenset({Channel.station}),
    Role.mediator: frozenset({Channel.mediation}),
    Role.examiner: frozenset({Channel.adjudication, Channel.injunction, Channel.mediation}),
    Role.director: frozenset(Channel),
    Role.admin: frozenset(Channel),
}


def may_open(
    role: Role | str, channel: Channel | str, org_kind: str, handled_by: Mapping[Channel, Iterable[str]]
) -> bool:
    """Whether ``role`` may open a ``channel`` case at an organisation of ``org_kind``."""
    try:
        role, channel = Role(role), Channel(channel)
    except ValueError:
        return False
    return channel in ROLE_CHANNELS.get(role, frozenset()) and org_kind in set(handled_by[channel])
