"""Channel A: administrative adjudication of patent infringement disputes (domain.md §2)."""

from ipcase.cases.enums import Channel
from ipcase.cases.registry import ChannelDef, register
from ipcase.channels.adjudication.models import AdjudicationCase
from ipcase.channels.adjudication.states import CLOSED, AdjudicationState
from ipcase.channels.adjudication.workflow import WORKFLOW

CHANNEL = register(
    ChannelDef(
        key=Channel.adjudication,
        type_code="裁",
        states=AdjudicationState,
        initial_state=AdjudicationState.received,
        closed_states=CLOSED,
        model=AdjudicationCase,
        workflow=WORKFLOW,
    )
)
