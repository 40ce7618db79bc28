"""Channel D: complaints at rights-protection workstations in exhibitions, markets, parks (§5)."""

from ipcase.cases.enums import Channel
from ipcase.cases.registry import ChannelDef, register
from ipcase.channels.stations.models import StationComplaint
from ipcase.channels.stations.states import CLOSED, StationState
from ipcase.channels.stations.workflow import WORKFLOW

CHANNEL = register(
    ChannelDef(
        key=Channel.station,
        type_code="展",
        states=StationState,
        initial_state=StationState.received,
        closed_states=CLOSED,
        model=StationComplaint,
        workflow=WORKFLOW,
    )
)
