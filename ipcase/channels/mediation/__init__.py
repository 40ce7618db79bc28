"""Channels B and C: administrative mediation and the arbitration-mediation linkage centre (§3, §4)."""

from ipcase.cases.enums import Channel
from ipcase.cases.registry import ChannelDef, register
from ipcase.channels.mediation.models import MediationCase
from ipcase.channels.mediation.states import CLOSED, MediationState
from ipcase.channels.mediation.workflow import WORKFLOW

CHANNEL = register(
    ChannelDef(
        key=Channel.mediation,
        type_code="调",
        states=MediationState,
        initial_state=MediationState.received,
        closed_states=CLOSED,
        model=MediationCase,
        workflow=WORKFLOW,
    )
)
