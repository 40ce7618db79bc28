"""Validation and canonical forms of Chinese identifiers: patent numbers, USCC, resident ID.

Pure functions (no Flask, no database). Each ``parse_*`` returns the canonical form or raises
:class:`InvalidIdentifier` whose ``code`` says what is wrong, so the UI can phrase it.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

PATENT_TYPES = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model", "3": "design"}
_PATENT_WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PATENT_WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _normalise(raw: str) -> str:
    """NFKC folds full-width digits, letters and dots (２０１７．３) into ASCII; then drop spaces."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).upper()


class InvalidIdentifier(ValueError):
    """``code`` is one of: format, type, check."""

    def __init__(self, code: str, expected: str | None = None) -> None:
        self.code = code
        self.expected = expected
        super().__init__(code)


@dataclass(frozen=True)
class PatentNumber:
    """A CNIPA patent number: ``ZL`` + application number + ``.`` + check character."""

    digits: str
    check: str

    @property
    def canonical(self) -> str:
        return f"ZL{self.digits}.{self.check}"

    @property
    def patent_type(self) -> str:
        """invention, utility_model or design, read from the type digit."""
        return PATENT_TYPES[self.digits[4] if len(self.digits) == 12 else self.digits[2]]

    def __str__(self) -> str:
        return self.canonical


def patent_check_char(digits: str) -> str:
    """The check character of a 12- or 8-digit application number (remainder 10 is ``X``)."""
    weights = _PATENT_WEIGHTS_12 if len(digits) == 12 else _PATENT_WEIGHTS_8
    rem = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if rem == 10 else str(rem)


def parse_patent_number(raw: str) -> PatentNumber:
    """Accept ``ZL201710601862.3``, ``2017 1 0601862.3``, ``2017106018623`` and the like."""
    text = _normalise(raw).removeprefix("ZL")
    if "." in text:
        digits, _, check = text.partition(".")
    else:
        digits, check = text[:-1], text[-1:]
    if not (re.fullmatch(r"[0-9]{12}|[0-9]{8}", digits) and re.fullmatch(r"[0-9X]", check)):
        raise InvalidIdentifier("format")
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in PATENT_TYPES:
        raise InvalidIdentifier("type")
    if len(digits) == 12 and int(digits[:4]) < 2003:
        raise InvalidIdentifier("format")
    expected = patent_check_char(digits)
    if check != expected:
        raise InvalidIdentifier("check", expected)
    return PatentNumber(digits, check)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    value = 31 - total % 31
    return USCC_ALPHABET[0 if value == 31 else value]


def parse_uscc(raw: str) -> str:
    """Unified social credit code (GB 32100-2015): 18 characters, the last a mod-31 check."""
    text = _normalise(raw)
    if len(text) != 18 or any(c not in USCC_ALPHABET for c in text):
        raise InvalidIdentifier("format")
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        raise InvalidIdentifier("check", expected)
    return text


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_resident_id(raw: str) -> str:
    """Resident identity card number (GB 11643-1999): 17 digits, a birth date, a mod-11 check."""
    text = _normalise(raw)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        raise InvalidIdentifier("format")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError as exc:
        raise InvalidIdentifier("format") from exc
    if born.year < 1880:
        raise InvalidIdentifier("format")
    expected = resident_id_check_char(text[:17])
    if text[17] != expected:
        raise InvalidIdentifier("check", expected)
    return text
