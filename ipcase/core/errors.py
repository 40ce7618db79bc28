"""Domain errors: raised by operations, mapped onto forms or flash messages by views."""

from typing import Any


class DomainError(Exception):
    """Bad input or an illegal action. ``reasons`` is a list of (field or None, message)."""

    def __init__(self, *reasons: tuple[str | None, Any] | Any) -> None:
        self.reasons: list[tuple[str | None, Any]] = [r if isinstance(r, tuple) else (None, r) for r in reasons]
        super().__init__("; ".join(str(m) for _, m in self.reasons))

    @property
    def messages(self) -> list[str]:
        return [str(m) for _, m in self.reasons]

    def prefixed(self, prefix: str) -> "DomainError":
        """The same error with field names as nested form fields name them (``prefix-field``)."""
        return DomainError(*[(f"{prefix}-{f}" if f else None, m) for f, m in self.reasons])
