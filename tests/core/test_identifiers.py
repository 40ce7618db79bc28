"""Patent numbers, unified social credit codes and resident ID numbers (domain.md §9).

The check digits are recomputed here with independent formulas (weights as powers, not the
module's tables), so a wrong weight table in ``ipcase.core.identifiers`` cannot hide."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcase.core.identifiers import (
    USCC_ALPHABET,
    InvalidIdentifier,
    parse_patent_number,
    parse_resident_id,
    parse_uscc,
    patent_check_char,
)

# -- independent oracles ----------------------------------------------------------------------


def oracle_patent_check(digits: str) -> str:
    # weights run 2, 3, …, 9 and start again at 2
    rem = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits)) % 11
    return "X" if rem == 10 else str(rem)


def oracle_uscc_check(first17: str) -> str:
    # GB 32100-2015 weights are 3**i mod 31
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def oracle_id_check(first17: str) -> str:
    # GB 11643-1999 (ISO 7064 MOD 11-2): weights 2**(17-i) mod 11, check (12 - sum) mod 11
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def test_oracles_agree_with_the_worked_examples_of_the_domain_notes():
    assert oracle_patent_check("201710601862") == "3"  # sum 157, 157 mod 11 = 3
    assert oracle_patent_check("95115608") == "X"  # sum 186, remainder 10
    assert oracle_uscc_check("91350100M000100Y4") == "3"
    assert oracle_id_check("11010519491231002") == "X"


# -- patent numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical", "patent_type"),
    [
        ("ZL201710601862.3", "ZL201710601862.3", "invention"),
        ("201710601862.3", "ZL201710601862.3", "invention"),
        ("zl201710601862.3", "ZL201710601862.3", "invention"),
        ("ZL 2017 1 0601862.3", "ZL201710601862.3", "invention"),
        ("  2017 1060 1862 . 3 ", "ZL201710601862.3", "invention"),
        ("2017106018623", "ZL201710601862.3", "invention"),
        ("ZL201710601862．3", "ZL201710601862.3", "invention"),  # full-width dot
        ("\u3000ZL201710601862.3\u3000", "ZL201710601862.3", "invention"),  # ideographic spaces
        ("95115608.X", "ZL95115608.X", "invention"),
        ("95115608.x", "ZL95115608.X", "invention"),
        ("ZL95115608X", "ZL95115608.X", "invention"),
        ("ZL 951 15608.X", "ZL95115608.X", "invention"),
    ],
)
def test_patent_number_spellings(raw, canonical, patent_type):
    parsed = parse_patent_number(raw)
    assert parsed.canonical == canonical
    assert str(parsed) == canonical
    assert parsed.patent_type == patent_type
    assert parse_patent_number(parsed.canonical) == parsed


@pytest.mark.parametrize(
    ("type_digit", "patent_type"),
    [("1", "invention"), ("2", "utility_model"), ("3", "design"), ("8", "invention"), ("9", "utility_model")],
)
def test_patent_type_is_read_from_the_fifth_digit(type_digit, patent_type):
    digits = f"2019{type_digit}0123456"
    parsed = parse_patent_number(digits + "." + oracle_patent_check(digits))
    assert parsed.patent_type == patent_type


@pytest.mark.parametrize(("type_digit", "patent_type"), [("1", "invention"), ("2", "utility_model"), ("3", "design")])
def test_eight_digit_type_is_the_third_digit(type_digit, patent_type):
    digits = f"98{type_digit}01234"
    assert parse_patent_number(digits + oracle_patent_check(digits)).patent_type == patent_type


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ZL201710601862.4", "3"),
        ("201710601862.X", "3"),
        ("2017106018620", "3"),
        ("95115608.1", "X"),
        ("ZL951156080", "X"),
    ],
)
def test_wrong_check_digit_says_which_is_expected(raw, expected):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_patent_number(raw)
    assert exc.value.code == "check"
    assert exc.value.expected == expected


@pytest.mark.parametrize("type_digit", ["0", "4", "5", "6", "7"])
def test_bad_type_digit_12(type_digit):
    digits = f"2017{type_digit}0601862"
    with pytest.raises(InvalidIdentifier) as exc:
        parse_patent_number(f"ZL{digits}.{oracle_patent_check(digits)}")
    assert exc.value.code == "type"


def test_bad_type_digit_8():
    digits = "95515608"
    with pytest.raises(InvalidIdentifier) as exc:
        parse_patent_number(digits + "." + oracle_patent_check(digits))
    assert exc.value.code == "type"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "   ",
        "ZL",
        "abc",
        "ZL2017",
        "2017106018.3",  # 10 digits
        "20171060186.3",  # 11 digits
        "2017106018623.3",  # 13 digits
        "201710601862.33",
        "201710601862.A",
        "201710601862.",
        ".3",
        "ZL201710601862-3",
        "ZLZL201710601862.3",
        "2017106O1862.3",  # letter O, not zero
        "200210601862.3",  # 12-digit numbers start in 2003
        "1710601862.3",
    ],
)
def test_garbage_is_a_format_error(raw):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_patent_number(raw)
    assert exc.value.code == "format"


def test_check_char_function_matches_domain_examples():
    assert patent_check_char("201710601862") == "3"
    assert patent_check_char("95115608") == "X"


def test_full_width_digits_are_normalised():
    assert parse_patent_number("ZL２０１７１０６０１８６２．３").canonical == "ZL201710601862.3"


_year = st.integers(min_value=2003, max_value=2099).map(str)
_type = st.sampled_from("12389")
_serial = st.text(alphabet="0123456789", min_size=7, max_size=7)


@settings(database=None, max_examples=300, deadline=None)
@given(year=_year, type_digit=_type, serial=_serial)
def test_property_patent_number_round_trip(year, type_digit, serial):
    digits = year + type_digit + serial
    check = patent_check_char(digits)
    assert check == oracle_patent_check(digits)
    parsed = parse_patent_number(digits + "." + check)
    assert parsed.canonical == f"ZL{digits}.{check}"
    assert parse_patent_number(parsed.canonical) == parsed
    assert parse_patent_number(f"ZL {digits[:4]} {digits[4]} {digits[5:]}{check}").canonical == parsed.canonical
    for other in "0123456789X":
        if other == check:
            continue
        with pytest.raises(InvalidIdentifier) as exc:
            parse_patent_number(digits + "." + other)
        assert exc.value.code == "check"
        assert exc.value.expected == check


@settings(database=None, max_examples=200, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda d: d[2] in "12389"))
def test_property_eight_digit_round_trip(digits):
    check = oracle_patent_check(digits)
    assert parse_patent_number(digits + check).canonical == f"ZL{digits}.{check}"


# -- unified social credit codes --------------------------------------------------------------

USCC_GOOD = "91350100M000100Y43"


def test_uscc_known_good():
    assert parse_uscc(USCC_GOOD) == USCC_GOOD
    assert parse_uscc(" 91350100m000100y43 ") == USCC_GOOD


@pytest.mark.parametrize("last", [c for c in USCC_ALPHABET if c != "3"])
def test_uscc_flipped_last_char_is_rejected(last):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_uscc(USCC_GOOD[:17] + last)
    assert exc.value.code == "check"
    assert exc.value.expected == "3"


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [8, 17])
def test_uscc_forbidden_letters(letter, position):
    raw = USCC_GOOD[:position] + letter + USCC_GOOD[position + 1 :]
    with pytest.raises(InvalidIdentifier) as exc:
        parse_uscc(raw)
    assert exc.value.code == "format"


@pytest.mark.parametrize("raw", ["", None, USCC_GOOD[:17], USCC_GOOD + "0", "91350100-000100Y43"])
def test_uscc_bad_format(raw):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_uscc(raw)
    assert exc.value.code == "format"


@settings(database=None, max_examples=200, deadline=None)
@given(first17=st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_property_uscc_check(first17):
    check = oracle_uscc_check(first17)
    assert parse_uscc(first17 + check) == first17 + check
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(check) + 1) % 31]
    with pytest.raises(InvalidIdentifier):
        parse_uscc(first17 + wrong)


# -- resident identity card numbers -----------------------------------------------------------

ID_GOOD = "11010519491231002X"


def test_resident_id_known_good():
    assert parse_resident_id(ID_GOOD) == ID_GOOD
    assert parse_resident_id("11010519491231002x") == ID_GOOD


@pytest.mark.parametrize("last", list("0123456789"))
def test_resident_id_wrong_check(last):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_resident_id(ID_GOOD[:17] + last)
    assert exc.value.code == "check"
    assert exc.value.expected == "X"


@pytest.mark.parametrize(
    "birth",
    ["19490230", "19491301", "19490000", "19491232", "18791231"],  # Feb 30, month 13, zeros, day 32, too old
)
def test_resident_id_bad_birth_date(birth):
    first17 = "110105" + birth + "002"
    with pytest.raises(InvalidIdentifier) as exc:
        parse_resident_id(first17 + oracle_id_check(first17))
    assert exc.value.code == "format"


@pytest.mark.parametrize("raw", ["", None, ID_GOOD[:17], ID_GOOD + "1", "1101051949123100XX", "11010519491231002Y"])
def test_resident_id_bad_format(raw):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_resident_id(raw)
    assert exc.value.code == "format"


def test_resident_id_full_width_digits_are_not_stored_as_typed():
    try:
        result = parse_resident_id("１１０１０５１９４９１２３１００２X")
    except InvalidIdentifier:
        return
    assert result == ID_GOOD
