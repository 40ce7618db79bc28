"""IPC symbols (International Patent Classification): the class of a patent right on the case
file, and the classes a pool member knows, in one canonical form so they can be matched."""

import re
import unicodedata

#: section A–H, class (2 digits), subclass (a letter); optionally main group / subgroup
_IPC = re.compile(r"([A-H])([0-9]{2})([A-Z])(?:([0-9]{1,4})/([0-9]{2,6}))?")
_IPC_PREFIX = re.compile(r"[A-H][0-9]{0,2}|[A-H][0-9]{2}[A-Z](?:[0-9]{1,4}(?:/[0-9]{0,6})?)?")


class InvalidIPC(ValueError):
    pass


def _ipc_text(raw: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).upper()


def parse_ipc(raw: str) -> str:
    """The canonical IPC symbol: a subclass (``H04L``) or a group (``A61K 31/00``); spaces
    and leading zeros of the main group are optional (``a61k31/00``, ``A61K 031/00``)."""
    m = _IPC.fullmatch(_ipc_text(raw))
    if m is None:
        raise InvalidIPC(raw)
    section, cls, subclass, group, subgroup = m.groups()
    symbol = f"{section}{cls}{subclass}"
    if group is None:
        return symbol
    return f"{symbol} {int(group)}/{subgroup}"


def parse_ipc_list(raw: str) -> list[str]:
    """Several IPC symbols separated by commas, semicolons or new lines; canonical, no repeats."""
    found: list[str] = []
    for part in re.split(r"[,;，；、\n]+", unicodedata.normalize("NFKC", raw or "")):
        if part.strip():
            symbol = parse_ipc(part)
            if symbol not in found:
                found.append(symbol)
    return found


def ipc_prefix(raw: str) -> str:
    """A beginning of an IPC symbol to search by (``H04``, ``A61K``, ``A61K 31``), canonical."""
    text = _ipc_text(raw)
    if not _IPC_PREFIX.fullmatch(text):
        raise InvalidIPC(raw)
    if len(text) > 4:
        text = f"{text[:4]} {text[4:].lstrip('0') or '0'}"
    return text


def ipc_affinity(a: str, b: str) -> int:
    """How close two canonical IPC symbols are: 3 the same main group, 2 the same subclass,
    1 the same class, 0 unrelated."""
    if not a or not b:
        return 0
    if a[:4] == b[:4]:
        group_a, group_b = a[5:].split("/")[0], b[5:].split("/")[0]
        return 3 if group_a and group_a == group_b else 2
    return 1 if a[:3] == b[:3] else 0
