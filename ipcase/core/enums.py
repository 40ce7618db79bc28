"""String enums whose members carry a translated label, as Indico's ``RichIntEnum`` does."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class LabelledEnum(StrEnum):
    """A ``StrEnum`` with ``.label`` (lazy translation) and ``choices()`` for forms."""

    @classmethod
    def set_labels(cls, labels: Mapping[Any, Any]) -> None:
        missing = set(cls) - set(labels)
        if missing:
            raise ValueError(f"{cls.__name__}: no label for {sorted(missing)}")
        type.__setattr__(cls, "_labels", dict(labels))

    @property
    def label(self) -> Any:
        return type(self)._labels[self]  # type: ignore[attr-defined]

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        return [(m.value, m.label) for m in cls]
