"""The shared contract every channel fulfils, and the registry that looks channels up.

A channel declares its key, title, case-number type code, the state enum with labels, the
initial state and the closed states, and its joined-subclass model (CTFd's challenge registry).
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
    _load()
    return CHANNELS[Channel(key)]


def all_channels() -> list[ChannelDef]:
    _load()
    return [CHANNELS[c] for c in Channel]


def _load() -> None:
    if len(CHANNELS) < len(Channel):
        from ipcase.channels import adjudication, injunctions, mediation, stations  # noqa: F401
