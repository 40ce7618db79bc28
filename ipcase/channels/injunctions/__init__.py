"""Channel E: administrative injunctions (domain.md §6; local design, no national rule)."""

from ipcase.cases.enums import Channel
from ipcase.cases.registry import ChannelDef, register
from ipcase.channels.injunctions.models import InjunctionCase
from ipcase.channels.injunctions.states import CLOSED, InjunctionState
from ipcase.channels.injunctions.workflow import WORKFLOW

CHANNEL = register(
    ChannelDef(
        key=Channel.injunction,
        type_code="禁",
        states=InjunctionState,
        initial_state=InjunctionState.received,
        closed_states=CLOSED,
        model=InjunctionCase,
        workflow=WORKFLOW,
    )
)
