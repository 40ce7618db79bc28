"""The contract every channel fulfils, and the registry the case file looks channels up in.

A channel declares its key, title, case-number type code, the state enum with labels, the
initial state and the closed states, its joined-subclass model and its transition table; it
registers itself when its package is imported (``ipcase.channels`` imports all four, and the app
factory imports ``ipcase.channels``). The case file knows channels only through this interface:
it sits below them and never imports them.
"""

from dataclasses import dataclass
from typing import Any

from ipcase.cases.enums import Channel
from ipcase.core.enums import LabelledEnum


@dataclass(frozen=True)
class ChannelDef:
    key: Channel
    #: 机关代字 suffix for case numbers: 裁, 调, 展, 禁 (domain.md §9)
    type_code: str
    states: type[LabelledEnum]
    initial_state: LabelledEnum
    closed_states: frozenset[LabelledEnum]
    model: Any
    #: the transition table (ipcase.channels.workflow.Workflow); None until the channel has one
    workflow: Any = None

    @property
    def title(self) -> Any:
        return self.key.label

    def state_label(self, state: str) -> Any:
        try:
            return self.states(state).label
        except ValueError:
            return state

    def state_choices(self) -> list[tuple[str, Any]]:
        return self.states.choices()


CHANNELS: dict[Channel, ChannelDef] = {}


def register(defn: ChannelDef) -> ChannelDef:
    CHANNELS[defn.key] = defn
    return defn


def get_channel(key: Channel | str) -> ChannelDef:
    try:
        return CHANNELS[Channel(key)]
    except KeyError:
        raise LookupError(f"channel {key!s} is not registered: import ipcase.channels (the app factory does)") from None


def all_channels() -> list[ChannelDef]:
    missing = [c for c in Channel if c not in CHANNELS]
    if missing:
        raise LookupError(f"channels {missing} are not registered: import ipcase.channels (the app factory does)")
    return [CHANNELS[c] for c in Channel]
